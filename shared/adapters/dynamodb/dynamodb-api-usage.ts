import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ApiUsageObservation, usageDay } from '../../domain/api-budget';
import type { ApiUsageRecord, ApiUsageStore } from '../../ports/api-usage';
import { apiUsagePrefix, itemKeys, sitePartition } from './keys';

/** Days a usage item is kept: a week of history for the status and for support. */
const KEEP_DAYS = 8;
const DAY_MS = 86_400_000;

/** When a usage item of a call made at `at` expires (DynamoDB's TTL, in seconds). */
export const usageExpiry = (at: Date) => Math.floor(at.getTime() / 1000) + KEEP_DAYS * 86_400;

/**
 * A site's API usage per UTC day: this service's calls that day and the org's usage as Salesforce
 * last reported it. The day's calls are the sum of its items: `APIUSAGE#<day>`, an atomic counter
 * that every function but the sync worker adds to (record, below), and one
 * `APIUSAGE#<day>#<environment>` per sync worker environment, which that environment puts with
 * its sync log entries (CarriedApiUsage). One query reads them all, the day before's included.
 */
export class DynamoDbApiUsage implements ApiUsageStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(siteId: string, entry: { at: Date; calls: number; observation?: ApiUsageObservation }) {
    const day = usageDay(entry.at);
    const expiresAt = usageExpiry(entry.at);
    const base = {
      TableName: this.table,
      Key: itemKeys.apiUsage(siteId, day),
      ExpressionAttributeNames: { '#calls': 'calls' },
    };
    if (entry.observation) {
      try {
        // Concurrent writers: only a newer observation replaces the one kept.
        await this.db.send(
          new UpdateCommand({
            ...base,
            UpdateExpression:
              'ADD #calls :calls SET observation = :observation, observedAt = :observedAt, expiresAt = :expiresAt, entity = :entity',
            ConditionExpression: 'attribute_not_exists(observedAt) OR observedAt <= :observedAt',
            ExpressionAttributeValues: {
              ':calls': entry.calls,
              ':observation': entry.observation,
              ':observedAt': entry.observation.observedAt,
              ':expiresAt': expiresAt,
              ':entity': 'api-usage',
            },
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    await this.db.send(
      new UpdateCommand({
        ...base,
        UpdateExpression: 'ADD #calls :calls SET expiresAt = :expiresAt, entity = :entity',
        ExpressionAttributeValues: { ':calls': entry.calls, ':expiresAt': expiresAt, ':entity': 'api-usage' },
      }),
    );
  }

  async get(siteId: string, now: Date): Promise<ApiUsageRecord> {
    const day = usageDay(now);
    const yesterday = usageDay(new Date(now.getTime() - DAY_MS));
    const items: Array<Record<string, unknown>> = [];
    let from: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': sitePartition(siteId),
            ':from': apiUsagePrefix(yesterday),
            // '~' sorts after '#' and every character of an environment id.
            ':to': `${apiUsagePrefix(day)}~`,
          },
          ConsistentRead: true,
          ...(from ? { ExclusiveStartKey: from } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      from = page.LastEvaluatedKey;
    } while (from);
    const today = items.filter((item) => String(item.sk).startsWith(apiUsagePrefix(day)));
    const before = items.filter((item) => !String(item.sk).startsWith(apiUsagePrefix(day)));
    const observation = newestObservation(today) ?? newestObservation(before);
    return {
      day,
      callsToday: today.reduce((sum, item) => sum + Number(item.calls ?? 0), 0),
      ...(observation ? { observation } : {}),
    };
  }
}

function newestObservation(items: ReadonlyArray<Record<string, unknown>>): ApiUsageObservation | undefined {
  let newest: ApiUsageObservation | undefined;
  for (const item of items) {
    const observation = item.observation as ApiUsageObservation | undefined;
    if (observation && (!newest || newest.observedAt < observation.observedAt)) newest = observation;
  }
  return newest;
}
