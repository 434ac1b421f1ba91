import type { SandboxClock } from './contracts';

interface PendingTimer {
  dueAt: number;
  fn: () => void;
  handle: NodeJS.Timeout | undefined;
  done: boolean;
}

/**
 * Sandbox time runs `scale` times faster than real time, anchored at the moment the scale last
 * changed, plus whatever `advance` added. Timers are kept in sandbox time and re-armed when the
 * scale changes, so a test can speed up 24 hours of outbound-message retries.
 */
export class ScaledClock implements SandboxClock {
  private anchorReal = Date.now();
  private anchorSandbox: number;
  private currentScale: number;
  private readonly timers = new Set<PendingTimer>();

  constructor(options: { scale?: number; start?: number } = {}) {
    this.currentScale = validScale(options.scale ?? 1);
    this.anchorSandbox = options.start ?? this.anchorReal;
  }

  get scale(): number {
    return this.currentScale;
  }

  now(): number {
    return this.anchorSandbox + (Date.now() - this.anchorReal) * this.currentScale;
  }

  setScale(scale: number): void {
    const now = this.now();
    this.anchorReal = Date.now();
    this.anchorSandbox = now;
    this.currentScale = validScale(scale);
    for (const timer of this.timers) this.arm(timer);
  }

  /** Jumps sandbox time forward (token expiry, retry schedules) without waiting. */
  advance(sandboxMs: number): void {
    this.anchorSandbox += Math.max(0, sandboxMs);
    for (const timer of this.timers) this.arm(timer);
  }

  setTimeout(fn: () => void, sandboxMs: number): { cancel(): void } {
    const timer: PendingTimer = {
      dueAt: this.now() + Math.max(0, sandboxMs),
      fn,
      handle: undefined,
      done: false,
    };
    this.timers.add(timer);
    this.arm(timer);
    return {
      cancel: () => {
        timer.done = true;
        if (timer.handle) clearTimeout(timer.handle);
        this.timers.delete(timer);
      },
    };
  }

  /** Cancels every pending timer (server stop). */
  stop(): void {
    for (const timer of this.timers) {
      timer.done = true;
      if (timer.handle) clearTimeout(timer.handle);
    }
    this.timers.clear();
  }

  private arm(timer: PendingTimer): void {
    if (timer.handle) clearTimeout(timer.handle);
    const realDelay = Math.max(0, (timer.dueAt - this.now()) / this.currentScale);
    timer.handle = setTimeout(
      () => {
        if (timer.done) return;
        timer.done = true;
        this.timers.delete(timer);
        timer.fn();
      },
      Math.min(realDelay, 2_147_483_647),
    );
    timer.handle.unref?.();
  }
}

function validScale(scale: number): number {
  if (!Number.isFinite(scale) || scale <= 0)
    throw new RangeError(`time scale must be a positive number, got ${scale}`);
  return scale;
}
