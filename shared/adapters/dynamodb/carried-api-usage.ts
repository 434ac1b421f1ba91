import { randomUUID } from 'node:crypto';
import { type ApiUsageObservation, usageDay } from '../../domain/api-budget';
import type { ApiUsageRecord, ApiUsageStore } from '../../ports/api-usage';
import { usageExpiry } from './dynamodb-api-usage';
import { itemKeys } from './keys';

/** Items another write puts in its own BatchWriteItem, so they cost no request of their own. */
export interface CarriedItems {
  /** What to put with a write of the site's items, and what to call once that write is stored. */
  boardFor(siteId: string): { items: Array<Record<string, unknown>>; stored(): void };
}

interface DayTally {
  calls: number;
  observation?: ApiUsageObservation;
  lastAt: Date;
  /** Bumped by every record; what was last stored is `storedVersion`. */
  version: number;
  storedVersion: number;
}

/**
 * The sync worker's API usage. Counting each batch's calls in the day's shared counter cost every
 * batch an UpdateItem of its own: at one notification a batch, one of its five requests. Instead
 * this execution environment keeps its own total of the day per site and puts it, as an item of
 * its own (`APIUSAGE#<day>#<environment>`), in the BatchWriteItem that stores the site's sync log
 * entries right after the calls (DynamoDbSyncLog's `carry`).
 *
 * Each put holds the day's whole total so far, so a put that is repeated, or lost with a failed
 * log write, is mended by the next; and only this environment writes its item, one invocation at
 * a time, so no put overtakes a newer one. What no log write carried is put by `flush`, before the
 * invocation ends. Reading sums every item of the day (DynamoDbApiUsage.get).
 */
export class CarriedApiUsage implements ApiUsageStore, CarriedItems {
  /** siteId → UTC day → this environment's calls that day. */
  private readonly tallies = new Map<string, Map<string, DayTally>>();

  constructor(
    private readonly table: Pick<ApiUsageStore, 'get'>,
    private readonly put: (items: Array<Record<string, unknown>>) => Promise<void>,
    /** Unique per cold start: two environments never share an item. */
    readonly environmentId: string = randomUUID(),
  ) {}

  get(siteId: string, now: Date): Promise<ApiUsageRecord> {
    return this.table.get(siteId, now);
  }

  /** Only counts, in memory: the site's next sync log write (or flush) stores it. */
  async record(siteId: string, entry: { at: Date; calls: number; observation?: ApiUsageObservation }) {
    const days = this.tallies.get(siteId) ?? new Map<string, DayTally>();
    this.tallies.set(siteId, days);
    const day = usageDay(entry.at);
    const tally = days.get(day) ?? { calls: 0, lastAt: entry.at, version: 0, storedVersion: 0 };
    days.set(day, tally);
    tally.calls += entry.calls;
    tally.lastAt = entry.at;
    tally.version += 1;
    const { observation } = entry;
    if (observation && (!tally.observation || tally.observation.observedAt <= observation.observedAt))
      tally.observation = observation;
  }

  boardFor(siteId: string) {
    const days = this.tallies.get(siteId);
    const unstored = [...(days ?? [])].filter(([, tally]) => tally.version > tally.storedVersion);
    const boarded = unstored.map(([day, tally]) => ({ day, tally, version: tally.version }));
    return {
      items: boarded.map(({ day, tally }) => ({
        ...itemKeys.environmentApiUsage(siteId, day, this.environmentId),
        entity: 'api-usage',
        calls: tally.calls,
        ...(tally.observation
          ? { observation: tally.observation, observedAt: tally.observation.observedAt }
          : {}),
        expiresAt: usageExpiry(tally.lastAt),
      })),
      stored: () => {
        for (const { tally, version } of boarded)
          tally.storedVersion = Math.max(tally.storedVersion, version);
        // A day that is over and stored needs no tally any more: only the newest day is added to.
        if (!days) return;
        const newest = [...days.keys()].sort().at(-1);
        for (const [day, tally] of days)
          if (day !== newest && tally.storedVersion === tally.version) days.delete(day);
      },
    };
  }

  /** Puts what no log write carried (a failed one, or calls after it). */
  async flush(): Promise<void> {
    const boards = [...this.tallies.keys()].map((siteId) => this.boardFor(siteId));
    const items = boards.flatMap((b) => b.items);
    if (items.length === 0) return;
    await this.put(items);
    for (const board of boards) board.stored();
  }
}
