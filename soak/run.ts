import { parseArgs } from 'node:util';
import { runSoak } from './soak';

/**
 * `npm run soak [-- --n 2000]`: the soak, printed. Exits 1 if anything is missing, duplicated or
 * stale, or the DLQ holds anything but the planted poison.
 */
async function main() {
  const { values, positionals } = parseArgs({
    options: { n: { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string' } },
    allowPositionals: true,
  });
  const n = Number(values.n ?? positionals[0] ?? 2000);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`N must be a positive whole number, got ${values.n ?? positionals[0]}`);
  const report = await runSoak({
    n,
    ...(values.scale ? { timeScale: Number(values.scale) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
    log: (line) => console.log(`  … ${line}`),
  });
  console.log(`soak, N = ${report.n}
  quotes                     ${report.quotes}
  missing                    ${report.missing}
  duplicates                 ${report.duplicates}
  stale                      ${report.stale}
  DLQ depth                  ${report.dlq.depth} (${report.dlq.unplanted} not planted)
${Object.entries(report.dlq.reasons)
  .map(([reason, count]) => `    ${count} × ${reason}`)
  .join('\n')}
  Salesforce API calls / opp ${report.apiCallsPerOpportunity.toFixed(3)}
  time to settle             ${report.settleSeconds.toFixed(1)} s
  peak RSS                   ${report.peakRssMiB} MiB
  outbound deliveries        ${report.faults.deliveries}
  faults hit                 ${Object.entries(report.faults.hits)
    .map(([fault, count]) => `${fault} ${count}`)
    .join(', ')}
  result                     ${report.ok ? 'OK' : 'FAILED'}`);
  process.exit(report.ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
