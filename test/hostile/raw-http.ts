import { connect, type Socket } from 'node:net';

/**
 * A client that sends exactly the bytes it is given, as a hostile or broken sender would:
 * fetch and node:http normalise paths, refuse bad header values and always finish a request,
 * so they cannot send most of the corpus. Every request ends with the server's answer or the
 * connection's end; nothing here waits on a timer of its own except `pause`.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** True when the server closed the connection without any answer. */
  closedWithoutAnswer: boolean;
}

/** A part of a request: bytes to write, or a pause (a slow client). */
export type RawPart = string | Buffer | { pauseMs: number };

export function parseRawResponse(bytes: Buffer): RawResponse {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return { status: 0, headers: {}, body: bytes.toString('utf8'), closedWithoutAnswer: true };
  const [statusLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return {
    status: Number(statusLine.split(' ')[1] ?? 0),
    headers,
    body: body.toString('utf8'),
    closedWithoutAnswer: false,
  };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd === -1) break;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Opens a connection to the gateway; `send` writes parts in order, then reads the answer to the end. */
export async function rawExchange(baseUrl: string, parts: readonly RawPart[]): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const socket: Socket = connect({ host: hostname, port: Number(port) });
  const chunks: Buffer[] = [];
  let ended = false;
  // Sends after the server has closed are the server's business to refuse, not errors here.
  const done = new Promise<void>((resolve) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      ended = true;
      resolve();
    });
    // A reset after the server answered still leaves its answer in `chunks`.
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  for (const part of parts) {
    if (ended) break;
    if (typeof part === 'object' && !Buffer.isBuffer(part)) {
      // A pause ends early when the server closes the connection: that is what a slow client sees.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, part.pauseMs)))]);
      clearTimeout(timer);
      continue;
    }
    await new Promise<void>((resolve) => socket.write(part, () => resolve()));
  }
  // A request that is complete gets its answer and `Connection: close` ends it; one that is not
  // (a slow client) waits for the server to give up on it.
  await done;
  return parseRawResponse(Buffer.concat(chunks));
}

export interface RawRequestOptions {
  method?: string;
  /** Sent as is: no normalisation, no encoding. */
  target: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Leave Content-Length out (a chunked body, or none). */
  noContentLength?: boolean;
  httpVersion?: string;
}

/** The bytes of one HTTP/1.1 request, with `Connection: close` so its answer ends the exchange. */
export function requestBytes(options: RawRequestOptions): Buffer {
  const body =
    options.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(options.body)
        ? options.body
        : Buffer.from(options.body, 'utf8');
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    connection: 'close',
    ...(options.noContentLength || (body.length === 0 && !options.body)
      ? {}
      : { 'content-length': String(body.length) }),
    ...options.headers,
  };
  const head = [
    `${options.method ?? 'GET'} ${options.target} HTTP/${options.httpVersion ?? '1.1'}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
}
