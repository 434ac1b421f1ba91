import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * One table holds every entity; the key of each is built in ./keys.ts. The CDK stack declares
 * the same key schema (infra/).
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  timeToLive: 'expiresAt',
} as const;

/** The table as the local stack and the tests create it (on-demand, like the deployed one). */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const { gsi1, gsi2 } = TABLE_KEYS;
  const index = (i: typeof gsi1 | typeof gsi2) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk', 'sk', gsi1.partitionKey, gsi1.sortKey, gsi2.partitionKey, gsi2.sortKey].map(
      (name) => ({ AttributeName: name, AttributeType: 'S' as const }),
    ),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [index(gsi1), index(gsi2)],
  };
}
