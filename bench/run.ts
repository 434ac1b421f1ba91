import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOutboundMessage, opportunities } from '../test/support/outbound-messages';
import { benchAckOutboundMessage } from './ack-outbound-message';

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
  try {
    results.ackOutboundMessage = await benchAckOutboundMessage((n) =>
      buildOutboundMessage({ notifications: opportunities(n) }),
    );
  } finally {
    emulators.kill('SIGTERM');
    await once(emulators, 'exit');
  }
  const text = JSON.stringify(results, null, 2);
  console.log(text);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), `${text}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
