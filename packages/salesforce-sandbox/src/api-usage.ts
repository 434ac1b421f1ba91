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
/** Calls are kept per minute of the sandbox clock: each leaves the count 24 hours after its minute. */
const BUCKET_MS = 60_000;

/** The counts as plain data, for a persisted org: a restart does not refill the last 24 hours. */
export interface ApiUsageState {
  /** Counted calls by the minute they were made in, oldest first. */
  buckets: Array<[number, number]>;
  dailyLimit: number;
  byKind: Partial<Record<RequestKind, number>>;
}

/**
 * The org's API request usage over the last 24 hours on the sandbox clock, reported in every
 * response's `Sforce-Limit-Info: api-usage=N/M`. Salesforce counts a rolling 24 hours: "calls are
 * blocked until usage for the preceding 24 hours drops below the limit" (Help: System Overview,
 * API Usage), so a call stops counting a day after it was made, not at a daily reset.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 */
export class ApiUsage {
  /** Counted calls by the minute they were made in (sandbox clock), oldest first. */
  private buckets = new Map<number, number>();
  private used = 0;
  private byKind = new Map<RequestKind, number>();

  constructor(
    private readonly clock: SandboxClock,
    public dailyLimit: number,
  ) {}

  /** Counts one request; throws REQUEST_LIMIT_EXCEEDED (and does not count it) when the limit is reached. */
  record(kind: RequestKind): void {
    this.roll();
    if (COUNTED.has(kind) && this.used >= this.dailyLimit) throw requestLimitExceeded();
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    if (COUNTED.has(kind)) this.add(1);
  }

  header(): string {
    this.roll();
    return `api-usage=${this.used}/${this.dailyLimit}`;
  }

  get usedToday(): number {
    this.roll();
    return this.used;
  }

  /** Sets the last 24 hours' usage, as if made now (so it leaves the count a day from now). */
  setUsed(used: number): void {
    this.buckets = new Map();
    this.used = 0;
    this.add(Math.max(0, Math.floor(used)));
  }

  snapshot(): { used: number; limit: number; byKind: Record<string, number> } {
    this.roll();
    return { used: this.used, limit: this.dailyLimit, byKind: Object.fromEntries(this.byKind) };
  }

  exportState(): ApiUsageState {
    this.roll();
    return {
      buckets: [...this.buckets],
      dailyLimit: this.dailyLimit,
      byKind: Object.fromEntries(this.byKind),
    };
  }

  importState(state: ApiUsageState): void {
    const buckets = [...state.buckets].sort(([a], [b]) => a - b);
    this.buckets = new Map(buckets);
    this.used = buckets.reduce((sum, [, calls]) => sum + calls, 0);
    this.dailyLimit = state.dailyLimit;
    this.byKind = new Map(Object.entries(state.byKind) as Array<[RequestKind, number]>);
    this.roll();
  }

  reset(): void {
    this.buckets = new Map();
    this.used = 0;
    this.byKind = new Map();
  }

  private add(calls: number): void {
    if (calls === 0) return;
    const minute = Math.floor(this.clock.now() / BUCKET_MS);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + calls);
    this.used += calls;
  }

  /** Drops the minutes that are more than 24 hours old (Map keeps insertion order: oldest first). */
  private roll(): void {
    const oldest = Math.floor((this.clock.now() - DAY_MS) / BUCKET_MS);
    for (const [minute, calls] of this.buckets) {
      if (minute > oldest) break;
      this.buckets.delete(minute);
      this.used -= calls;
    }
  }
}
