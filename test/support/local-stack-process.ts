import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { BANNER_END, parseBanner } from './banner';
import { eventually } from './eventually';

/**
 * `npm start` as a user runs it, without a terminal, with its own data folder. It leads a
 * process group of its own, so a test can find (and, after a failure, kill) every process the
 * stack created, while the signals under test go to the npm process alone, as `kill <pid>` does.
 * The folder of the tests' own runtime leads its PATH, so npm and the `node` its script execs are
 * the project's Node 24 even when Jest was not started through an npm script.
 */
export interface StartedStack {
  child: ChildProcess;
  /** The pid of the npm process. */
  pid: number;
  output: () => string;
  url: string;
  adminToken: string;
  syncQueueUrl: string;
  /** Resolves with the exit code of the npm process. */
  exited: Promise<number | null>;
  /** Sends `signal` to the npm process and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL to the whole group: the cleanup after a failed test. */
  kill(): void;
}

/**
 * `until: 'ready'` (the default) waits for the banner, printed once start-up is complete;
 * `'listening'` returns as soon as the API listens, while start-up goes on (`url` is known then).
 */
export async function startStackProcess(
  env: Record<string, string> = {},
  { until = 'ready' }: { until?: 'ready' | 'listening' } = {},
): Promise<StartedStack> {
  const root = join(__dirname, '..', '..');
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
      PORT: '0',
      SANDBOX_PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'quote-sync-')),
      ADMIN_TOKEN: 'e2e-admin-token-0123456789',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid ?? 0;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const kill = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  };

  const listening = /starting: API on (http:\/\/127\.0\.0\.1:\d+)/;
  const awaited = until === 'ready' ? BANNER_END : listening;
  try {
    await eventually(
      () => {
        if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
        return awaited.test(output);
      },
      `npm start to be ${until}`,
      45_000,
      50,
    );
  } catch (error) {
    kill();
    throw new Error(`the local stack did not start (${(error as Error).message}):\n${output}`);
  }
  // Once ready, the banner says it all; while it starts, only the listening line is there.
  const banner = until === 'ready' ? parseBanner(output) : undefined;
  return {
    child,
    pid,
    output: () => output,
    url: banner?.apiUrl ?? listening.exec(output)?.[1] ?? '',
    adminToken: env.ADMIN_TOKEN ?? 'e2e-admin-token-0123456789',
    syncQueueUrl: banner?.syncQueueUrl ?? '',
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
    kill,
  };
}

/** One process as /proc shows it: `state` Z is a zombie (it has exited; only its entry is left). */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  state: string;
  /** The thread name of the main thread: Node.js 24 names its own `MainThread`. */
  command: string;
  /** The executable's path ('' once the process has exited). */
  executable: string;
}

export function processTable(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command is in parentheses and may hold spaces; the fields after it are fixed.
      const close = stat.lastIndexOf(')');
      const [state = '', ppid = '0', pgid = '0'] = stat.slice(close + 2).split(' ');
      entries.push({
        pid: Number(name),
        ppid: Number(ppid),
        pgid: Number(pgid),
        state,
        command: stat.slice(stat.indexOf('(') + 1, close),
        executable: executableOf(name),
      });
    } catch {
      // exited while being read
    }
  }
  return entries;
}

function executableOf(pid: string): string {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return '';
  }
}

/** Every process below `pid`, however deep. */
export function descendantsOf(pid: number, table = processTable()): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const children = table.filter((entry) => parents.has(entry.ppid));
    found.push(...children);
    parents = new Set(children.map((entry) => entry.pid));
  }
  return found;
}
