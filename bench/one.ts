import { buildOutboundMessage, opportunities } from '../test/support/outbound-messages';
import { benchAckOutboundMessage } from './ack-outbound-message';
import { benchBundles } from './bundles';
import { benchConsoleBundle } from './console-bundle';
import { benchHostileCorpus } from './hostile-corpus';
import { benchQuotePdf } from './quote-pdf';
import { benchSyncNow } from './sync-now';
import { benchSyncWorker } from './sync-worker';

/**
 * One benchmark in a process of its own (run by bench/run.ts): handler modules read their
 * configuration once per process, as on a Lambda cold start, so two local stacks cannot share
 * one; it also keeps each benchmark's memory figures its own. Prints the result as JSON.
 */
export const BENCHMARKS: Record<string, () => Promise<unknown>> = {
  ack: () => benchAckOutboundMessage((n) => buildOutboundMessage({ notifications: opportunities(n) })),
  'sync-worker': benchSyncWorker,
  'sync-now': benchSyncNow,
  'quote-pdf': benchQuotePdf,
  console: benchConsoleBundle,
  bundles: benchBundles,
  hostile: benchHostileCorpus,
};

async function main() {
  const name = process.argv[2] ?? '';
  const run = BENCHMARKS[name];
  if (!run) throw new Error(`unknown benchmark "${name}"; one of ${Object.keys(BENCHMARKS).join(', ')}`);
  process.stdout.write(`\nRESULT ${JSON.stringify(await run())}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
