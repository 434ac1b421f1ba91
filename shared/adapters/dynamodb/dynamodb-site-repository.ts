import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Site } from '../../domain/site';
import type { SiteRepository } from '../../ports/site-repository';
import { itemKeys } from './keys';
import { TABLE_KEYS } from './table';

/** Every site is also filed on gsi2 under SITES / <siteId>: the operators' directory of sites. */
const DIRECTORY = 'SITES';

/** What a stored site item must look like; unknown attributes are kept for later versions. */
const siteItemSchema = z.object({
  siteId: z.string(),
  name: z.string(),
  webhookSecretHash: z.string().regex(/^[0-9a-f]{64}$/),
  webhookSecretGeneration: z.number().int().positive().default(1),
  previousWebhookSecretHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  previousSecretValidUntil: z.string().optional(),
  salesforce: z
    .object({
      organizationId: z.string(),
      instanceUrl: z.string().optional(),
      connectedAt: z.string().optional(),
    })
    .optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export class DynamoDbSiteRepository implements SiteRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(siteId: string): Promise<Site | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: itemKeys.site(siteId) }),
    );
    return Item === undefined ? undefined : siteItemSchema.parse(Item);
  }

  async put(site: Site): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...itemKeys.site(site.siteId),
          entity: 'site',
          gsi2pk: DIRECTORY,
          gsi2sk: site.siteId,
          ...site,
        },
      }),
    );
  }

  async list(limit: number): Promise<Site[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_KEYS.gsi2.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi2.partitionKey },
        ExpressionAttributeValues: { ':pk': DIRECTORY },
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => siteItemSchema.parse(item));
  }
}
