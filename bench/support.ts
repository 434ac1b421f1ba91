import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
  };
}

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * A counting pass-through proxy in front of an emulator: the number of AWS requests is read on
 * the wire, by operation (X-Amz-Target), not from the code under test. SQS clients send to the
 * host of the queue URL, so callers use queue URLs on the proxy's origin; the proxy turns them
 * back into the emulator's before forwarding (the emulator looks queues up by exact URL).
 */
export async function countingProxy(target: string) {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  let origin = '';
  const server = createServer(async (req, res) => {
    const operation =
      String(req.headers['x-amz-target'] ?? `${req.method} ${req.url}`)
        .split('.')
        .pop() ?? '?';
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.from(Buffer.concat(chunks).toString('utf8').replaceAll(origin, upstream.origin));
    const proxied = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, 'content-length': String(body.length), host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    /** The same queue, reached through the proxy. */
    viaProxy: (queueUrl: string) => queueUrl.replace(upstream.origin, origin),
    count: (operation: string) => counts.get(operation) ?? 0,
    reset: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
