import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type ApiUsageObservation, usageDay } from '../../domain/api-budget';
import type { ApiUsageRecord, ApiUsageStore } from '../../ports/api-usage';
import { itemKeys } from './keys';

/** Days a usage item is kept: a week of history for the status and for support. */
const KEEP_DAYS = 8;
const DAY_MS = 86_400_000;

/**
 * One item per site and UTC day, `SITE#<siteId>` / `APIUSAGE#<day>`: this service's calls that
 * day (an atomic counter) and the org's usage as Salesforce last reported it.
 */
export class DynamoDbApiUsage implements ApiUsageStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(siteId: string, entry: { at: Date; calls: number; observation?: ApiUsageObservation }) {
    const day = usageDay(entry.at);
    const expiresAt = Math.floor(entry.at.getTime() / 1000) + KEEP_DAYS * 86_400;
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
    const read = (d: string) =>
      this.db
        .send(
          new GetCommand({ TableName: this.table, Key: itemKeys.apiUsage(siteId, d), ConsistentRead: true }),
        )
        .then((r) => r.Item);
    const [today, before] = await Promise.all([read(day), read(yesterday)]);
    const observation = (today?.observation ?? before?.observation) as ApiUsageObservation | undefined;
    return {
      day,
      callsToday: Number(today?.calls ?? 0),
      ...(observation ? { observation } : {}),
    };
  }
}
