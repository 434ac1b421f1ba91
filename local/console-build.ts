import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
} from 'node:fs';
import { join } from 'node:path';
import { CONSOLE_BUILD_SCRIPT, CONSOLE_DIR, CONSOLE_DIST } from '../infra/console-assets';

/**
 * `npm start` builds the console when its build is missing or older than its sources, so the
 * printed console URL always serves what the sources say. One build at a time: parallel
 * starts (the end-to-end tests) wait for the one that builds, then find it up to date.
 */
export type ConsoleBuild =
  | { status: 'up to date' }
  | { status: 'built'; ms: number }
  | { status: 'absent' | 'failed'; reason: string };

const IGNORED = new Set(['dist', 'node_modules', 'test-results']);
const LOCK_WAIT_MS = 180_000;
/** A lock older than this was left by a build that died. */
const STALE_LOCK_MS = 10 * 60_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (IGNORED.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isStale(root: string): boolean {
  const index = join(root, CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const manifest = statSync(join(root, 'package.json')).mtimeMs;
  return Math.max(newestSource(join(root, CONSOLE_DIR)), manifest) > built;
}

function sleep(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function ensureConsoleBuilt(
  root: string,
  log: (line: string) => void = () => undefined,
): ConsoleBuild {
  const scripts = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  ).scripts;
  if (!existsSync(join(root, CONSOLE_DIR)) || !scripts?.[CONSOLE_BUILD_SCRIPT])
    return { status: 'absent', reason: `no ${CONSOLE_DIR}/ folder or no "${CONSOLE_BUILD_SCRIPT}" script` };
  if (!isStale(root)) return { status: 'up to date' };

  const lock = join(root, CONSOLE_DIR, '.build.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(lock, 'wx');
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) unlinkSync(lock);
      if (Date.now() > deadline) return { status: 'failed', reason: `another build holds ${lock}` };
      sleep(250);
    }
  }
  try {
    // Another start may have built it while this one waited.
    if (!isStale(root)) return { status: 'up to date' };
    log(`building the console (npm run ${CONSOLE_BUILD_SCRIPT})…`);
    const started = Date.now();
    // npm sets npm_execpath to its own CLI; run it with this runtime, as `npm run` would.
    const npm = process.env.npm_execpath;
    const result = npm
      ? spawnSync(process.execPath, [npm, 'run', CONSOLE_BUILD_SCRIPT], { cwd: root, stdio: 'inherit' })
      : spawnSync('npm', ['run', CONSOLE_BUILD_SCRIPT], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0)
      return {
        status: 'failed',
        reason: `npm run ${CONSOLE_BUILD_SCRIPT} exited with ${result.status ?? result.signal}`,
      };
    const index = join(root, CONSOLE_DIST, 'index.html');
    if (!existsSync(index))
      return { status: 'failed', reason: `the build wrote no ${CONSOLE_DIST}/index.html` };
    // A build that left index.html as it was would look stale for ever.
    const now = new Date();
    utimesSync(index, now, now);
    return { status: 'built', ms: Date.now() - started };
  } finally {
    closeSync(fd);
    unlinkSync(lock);
  }
}

export function describeConsoleBuild(build: ConsoleBuild): string {
  switch (build.status) {
    case 'built':
      return `built in ${(build.ms / 1000).toFixed(1)} s`;
    case 'up to date':
      return 'build up to date';
    default:
      return `NOT built: ${build.reason}`;
  }
}
