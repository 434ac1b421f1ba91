import type { SandboxClock } from './contracts';
import { requestLimitExceeded } from './errors';

/** The kinds of request the control plane counts separately. */
export type RequestKind =
  | 'versions'
  | 'query'
  | 'queryMore'
  | 'sobject'
  | 'composite'
  | 'collections'
  | 'describe'
  | 'limits'
  | 'oauth'
  | 'identity'
  | 'metadata'
  | 'other';

/** Kinds that count against the org's daily API request limit; OAuth and identity calls do not. */
const COUNTED: ReadonlySet<RequestKind> = new Set([
  'query',
  'queryMore',
  'sobject',
  'composite',
  'collections',
  'describe',
  'limits',
  'metadata',
  'other',
]);

const DAY_MS = 86_400_000;

/** The counts and their window as plain data, for a persisted org: a restart does not refill the day. */
export interface ApiUsageState {
  used: number;
  windowStart: number;
  dailyLimit: number;
  byKind: Partial<Record<RequestKind, number>>;
}

/**
 * The org's API request usage over a 24-hour window on the sandbox clock, reported in every
 * response's `Sforce-Limit-Info: api-usage=N/M`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 */
export class ApiUsage {
  private used = 0;
  private windowStart: number;
  private byKind = new Map<RequestKind, number>();

  constructor(
    private readonly clock: SandboxClock,
    public dailyLimit: number,
  ) {
    this.windowStart = clock.now();
  }

  /** Counts one request; throws REQUEST_LIMIT_EXCEEDED (and does not count it) when the limit is reached. */
  record(kind: RequestKind): void {
    this.rollWindow();
    if (COUNTED.has(kind) && this.used >= this.dailyLimit) throw requestLimitExceeded();
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    if (COUNTED.has(kind)) this.used += 1;
  }

  header(): string {
    this.rollWindow();
    return `api-usage=${this.used}/${this.dailyLimit}`;
  }

  get usedToday(): number {
    this.rollWindow();
    return this.used;
  }

  /** Sets today's usage, e.g. to test behaviour near the limit. */
  setUsed(used: number): void {
    this.rollWindow();
    this.used = Math.max(0, Math.floor(used));
  }

  snapshot(): { used: number; limit: number; byKind: Record<string, number> } {
    this.rollWindow();
    return { used: this.used, limit: this.dailyLimit, byKind: Object.fromEntries(this.byKind) };
  }

  exportState(): ApiUsageState {
    return {
      used: this.used,
      windowStart: this.windowStart,
      dailyLimit: this.dailyLimit,
      byKind: Object.fromEntries(this.byKind),
    };
  }

  importState(state: ApiUsageState): void {
    this.used = state.used;
    this.windowStart = state.windowStart;
    this.dailyLimit = state.dailyLimit;
    this.byKind = new Map(Object.entries(state.byKind) as Array<[RequestKind, number]>);
    this.rollWindow();
  }

  reset(): void {
    this.used = 0;
    this.byKind = new Map();
    this.windowStart = this.clock.now();
  }

  private rollWindow(): void {
    const now = this.clock.now();
    if (now - this.windowStart >= DAY_MS) {
      this.used = 0;
      this.windowStart = now;
    }
  }
}
