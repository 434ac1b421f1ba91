import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOutboundMessage, opportunities } from '../test/support/outbound-messages';
import { benchAckOutboundMessage } from './ack-outbound-message';
import { benchSyncNow } from './sync-now';
import { benchSyncWorker } from './sync-worker';

/**
 * `npm run bench`: every benchmark on the local stack. Figures are printed and written to
 * bench/results/latest.json; they are medians and ratios, read on a shared, noisy machine.
 */
async function main() {
  const emulators = spawn(join(__dirname, '..', 'node_modules', '.bin', 'tsx'), ['local/emulators-main.ts'], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [firstLine] = (await once(emulators.stdout, 'data')) as [Buffer];
  Object.assign(process.env, JSON.parse(firstLine.toString().split('\n')[0] ?? '{}'));
  const results: Record<string, unknown> = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
  };
  // `npm run bench -- sync-now` runs only the named benchmarks.
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  try {
    if (wanted('ack')) {
      results.ackOutboundMessage = await benchAckOutboundMessage((n) =>
        buildOutboundMessage({ notifications: opportunities(n) }),
      );
    }
    if (wanted('sync-worker')) results.syncWorker = await benchSyncWorker();
    if (wanted('sync-now')) results.syncNow = await benchSyncNow();
  } finally {
    emulators.kill('SIGTERM');
    await once(emulators, 'exit');
  }
  console.log(JSON.stringify(results, null, 2));
  // Merged into the previous results, so benchmarks run on their own keep the others' figures.
  const file = join(__dirname, 'results', 'latest.json');
  const previous = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
    : {};
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
