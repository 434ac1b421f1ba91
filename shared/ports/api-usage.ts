import type { ApiUsageObservation } from '../domain/api-budget';

export interface ApiUsageRecord {
  /** The UTC day the calls count under. */
  day: string;
  /** Calls this service made to the site's org that day. */
  callsToday: number;
  /** The org's usage as Salesforce last reported it (today's, else the day before's). */
  observation?: ApiUsageObservation;
}

/** What the service spent of each site's org allocation, and the org's usage as last seen. */
export interface ApiUsageStore {
  /** Adds calls to the day's count and keeps the observation if it is the newest. */
  record(
    siteId: string,
    entry: { at: Date; calls: number; observation?: ApiUsageObservation },
  ): Promise<void>;
  get(siteId: string, now: Date): Promise<ApiUsageRecord>;
  /** Stores what `record` kept in memory, if the store keeps any (the sync worker's does). */
  flush?(): Promise<void>;
}
