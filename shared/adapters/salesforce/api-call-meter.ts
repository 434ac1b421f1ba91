import type { Connection } from 'jsforce/core';
import { type ApiUsageObservation, parseLimitInfo } from '../../domain/api-budget';
import type { ApiUsageStore } from '../../ports/api-usage';

interface Transport {
  httpRequest(request: { url?: string }, options?: unknown): PromiseLike<HttpResponse>;
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
}

interface Tally {
  calls: number;
  observation?: ApiUsageObservation;
}

/** For metrics: the calls made to a site's org since the last take, and its usage as last reported. */
export interface ApiUsage {
  calls: number;
  used?: number;
  limit?: number;
}

/**
 * Counts the calls each site's org is sent through jsforce and keeps the usage Salesforce
 * reports on every response (`Sforce-Limit-Info`), for the site's API budget. jsforce has no
 * per-connection hook that sees both REST and SOAP (Metadata API) responses, so the meter wraps
 * the connection's transport: every request jsforce makes to the instance goes through it.
 */
export class ApiCallMeter {
  /** Not yet stored (flush). */
  private readonly tallies = new Map<string, Tally>();
  /** Not yet taken for metrics (takeUsage). */
  private untaken = new Map<string, Tally>();

  private readonly now: () => Date;
  /**
   * Hands each call to the store as soon as it is counted, for a store that keeps it in memory
   * until the site's next write carries it (the sync worker's CarriedApiUsage); else the calls
   * are stored together at `flush`.
   */
  private readonly recordEachCall: boolean;

  constructor(
    /** Without a store the meter only counts, for metrics. */
    private readonly store?: ApiUsageStore,
    options: { now?: () => Date; recordEachCall?: boolean } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.recordEachCall = options.recordEachCall ?? false;
  }

  attach(siteId: string, connection: Connection): void {
    const holder = connection as unknown as { _transport: Transport };
    const transport = holder._transport;
    holder._transport = {
      httpRequest: (request, options) => {
        const pending = transport.httpRequest(request, options);
        pending.then(
          (response) => this.observe(siteId, request.url ?? '', response),
          () => undefined,
        );
        return pending;
      },
    };
  }

  private observe(siteId: string, url: string, response: HttpResponse): void {
    // The versions URI does not count; a call refused for an expired session (401, which jsforce
    // answers with a refresh and a retry) is not counted by Salesforce either.
    if (response.statusCode === 401 || /\/services\/data\/?$/.test(url.split('?')[0] ?? '')) return;
    const header = response.headers['sforce-limit-info'];
    const usage = parseLimitInfo(Array.isArray(header) ? header[0] : header);
    const at = this.now();
    const observation = usage ? { ...usage, observedAt: at.toISOString() } : undefined;
    if (this.recordEachCall && this.store) {
      // Such a store only counts in memory; the catch keeps a rejection from going unhandled.
      this.store
        .record(siteId, { at, calls: 1, ...(observation ? { observation } : {}) })
        .catch(() => undefined);
    }
    for (const tallies of this.recordEachCall ? [this.untaken] : [this.tallies, this.untaken]) {
      const tally = tallies.get(siteId) ?? { calls: 0 };
      tally.calls += 1;
      if (observation) tally.observation = observation;
      tallies.set(siteId, tally);
    }
  }

  /** The calls made per site since the last take, and each org's usage as last reported. */
  takeUsage(): Map<string, ApiUsage> {
    const taken = this.untaken;
    this.untaken = new Map();
    return new Map(
      [...taken].map(([siteId, { calls, observation }]) => [
        siteId,
        { calls, ...(observation ? { used: observation.used, limit: observation.limit } : {}) },
      ]),
    );
  }

  /** Stores what was counted; call before an invocation ends. */
  async flush(): Promise<void> {
    const entries = [...this.tallies.entries()];
    this.tallies.clear();
    const store = this.store;
    if (!store) return;
    const at = this.now();
    await Promise.all(
      entries.map(([siteId, tally]) =>
        store.record(siteId, {
          at,
          calls: tally.calls,
          ...(tally.observation ? { observation: tally.observation } : {}),
        }),
      ),
    );
    await store.flush?.();
  }
}
