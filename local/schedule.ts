import type { Context } from 'aws-lambda';
import { lambdaContext } from './lambda-context';

/**
 * A local stand-in for an EventBridge Scheduler rate schedule: invokes the handler every
 * `intervalMs`, one run at a time (a run still going when the next is due makes that one wait,
 * as the deployed schedule invokes no more often than its function can finish).
 */
export interface LocalSchedule {
  /** Runs the handler now, after any run in progress; resolves when it is done. */
  runNow(): Promise<void>;
  /** Resolves when the run in progress, or else the next one the timer starts, has ended. */
  nextRunEnd(): Promise<void>;
  stop(): Promise<void>;
}

export function startSchedule(options: {
  name: string;
  intervalMs: number;
  timeoutMs: number;
  handler: () => (event: unknown, context: Context) => Promise<unknown>;
  log?: (line: Record<string, unknown>) => void;
}): LocalSchedule {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let waiting: Array<() => void> = [];
  const run = (): Promise<void> => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await options.handler()(
          { source: 'local.scheduler' },
          lambdaContext(options.name, options.timeoutMs),
        );
      } catch (error) {
        options.log?.({
          level: 'ERROR',
          message: 'scheduled run failed',
          source: options.name,
          error: String(error),
        });
      }
      const ended = waiting;
      waiting = [];
      for (const resolve of ended) resolve();
    });
    return running;
  };
  const timer = setInterval(() => void run(), options.intervalMs);
  timer.unref();
  return {
    runNow: run,
    nextRunEnd: () => new Promise<void>((resolve) => waiting.push(resolve)),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      for (const resolve of waiting) resolve();
      waiting = [];
    },
  };
}
