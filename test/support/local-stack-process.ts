import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm start` as a user runs it (through tsx), in a child process with its own data folder. */
export interface StartedStack {
  child: ChildProcess;
  output: () => string;
  url: string;
  adminToken: string;
  syncQueueUrl: string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startStackProcess(env: Record<string, string> = {}): Promise<StartedStack> {
  const root = join(__dirname, '..', '..');
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['local/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      SANDBOX_PORT: '0',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'quote-sync-')),
      ADMIN_TOKEN: 'e2e-admin-token-0123456789',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 30_000;
  while (!/Stop with Ctrl-C/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the local stack did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const find = (pattern: RegExp) => pattern.exec(output)?.[1] ?? '';
  return {
    child,
    output: () => output,
    url: find(/API\s+(http:\/\/127\.0\.0\.1:\d+)/),
    adminToken: env.ADMIN_TOKEN ?? 'e2e-admin-token-0123456789',
    syncQueueUrl: find(/sync queue\s+(\S+)/),
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
