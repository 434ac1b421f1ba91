import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run bench [-- name …]`: every benchmark (or the named ones: ack, sync-worker, sync-now, quote-pdf, console, bundles, hostile)
 * on the local stack. The emulators run in a process of their own, and so does each benchmark.
 * Figures are printed and merged into bench/results/latest.json; they are medians and ratios,
 * read on a shared, noisy machine.
 */
const ROOT = join(__dirname, '..');
/** tsx run by this process's runtime (the project's Node 24), not by whichever `node` PATH finds first. */
const TSX_CLI = require.resolve('tsx/cli');
const NAMES = ['ack', 'sync-worker', 'sync-now', 'quote-pdf', 'console', 'bundles', 'hostile'];
const KEYS: Record<string, string> = {
  ack: 'ackOutboundMessage',
  'sync-worker': 'syncWorker',
  'sync-now': 'syncNow',
  'quote-pdf': 'quotePdf',
  console: 'consoleBundle',
  bundles: 'functionBundles',
  hostile: 'hostileCorpus',
};

async function runOne(name: string, env: NodeJS.ProcessEnv): Promise<unknown> {
  const child = spawn(process.execPath, [TSX_CLI, 'bench/one.ts', name], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line)
    throw new Error(`benchmark ${name} failed (exit ${code}):\n${output.slice(-2000)}`);
  return JSON.parse(line.slice('RESULT '.length));
}

async function main() {
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !NAMES.includes(name));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark(s) ${unknown.join(', ')}; one of ${NAMES.join(', ')}`);
  const emulators = spawn(process.execPath, [TSX_CLI, 'local/emulators-main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [firstLine] = (await once(emulators.stdout, 'data')) as [Buffer];
  const env = {
    ...process.env,
    ...(JSON.parse(firstLine.toString().split('\n')[0] ?? '{}') as Record<string, string>),
  };
  const results: Record<string, unknown> = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
  };
  try {
    for (const name of only.length > 0 ? only : NAMES) {
      results[KEYS[name] ?? name] = await runOne(name, env);
    }
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
