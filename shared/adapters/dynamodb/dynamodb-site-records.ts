import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SiteRole } from '../../domain/access';
import type {
  EncryptedSecret,
  SalesforceConnectionRecord,
  SetupState,
  SiteSettingsRecord,
  SiteUser,
} from '../../domain/salesforce-connection';
import { withSettingDefaults } from '../../domain/settings';
import type { SiteLogo } from '../../domain/site-logo';
import { type SiteProfile, type SiteProfileRecord, siteProfileSchema } from '../../domain/site-profile';
import type {
  ConnectionRepository,
  ConnectRefusalRecord,
  ConnectRefusalRepository,
  OAuthStateRepository,
  PendingAuthorization,
  SettingsRepository,
  SiteProfileRepository,
  UserRepository,
} from '../../ports/site-records';
import { indexPartitions, itemKeys, SORT_PREFIX, sitePartition, userSignInSortKey } from './keys';
import { TABLE_KEYS } from './table';

/** Items that hang off a site: settings, the Salesforce connection, pending OAuth states, users. */
const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _g1, gsi1sk: _g1s, ...rest } = item;
  return rest as T;
};

export class DynamoDbSettingsRepository implements SettingsRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(siteId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: itemKeys.settings(siteId) }),
    );
    if (!Item) return undefined;
    const record = strip<SiteSettingsRecord>(Item);
    return { ...record, settings: withSettingDefaults(record.settings) };
  }

  async put(record: SiteSettingsRecord) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...itemKeys.settings(record.siteId), entity: 'settings', ...record },
      }),
    );
  }

  async saveSetup(siteId: string, setup: SetupState) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: itemKeys.settings(siteId),
        UpdateExpression: 'SET #setup = :setup',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#setup': 'setup' },
        ExpressionAttributeValues: { ':setup': setup },
      }),
    );
  }
}

/**
 * The site's profile: one item, whose `profile` each PUT replaces whole, and whose `logo` (the
 * S3 key and what the image is) is set apart by the upload; each write leaves the other as it is.
 */
export class DynamoDbSiteProfileRepository implements SiteProfileRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(siteId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: itemKeys.profile(siteId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const record = strip<SiteProfileRecord>(Item);
    if (record.profile === undefined) return record;
    const parsed = siteProfileSchema.safeParse(record.profile);
    return parsed.success ? { ...record, profile: parsed.data } : record;
  }

  async put(record: { siteId: string; profile: SiteProfile; updatedAt: string }) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: itemKeys.profile(record.siteId),
        UpdateExpression:
          'SET #entity = :entity, #siteId = :siteId, #profile = :profile, #updatedAt = :updatedAt',
        ExpressionAttributeNames: {
          '#entity': 'entity',
          '#siteId': 'siteId',
          '#profile': 'profile',
          '#updatedAt': 'updatedAt',
        },
        ExpressionAttributeValues: {
          ':entity': 'site-profile',
          ':siteId': record.siteId,
          ':profile': record.profile,
          ':updatedAt': record.updatedAt,
        },
      }),
    );
  }

  async setLogo(siteId: string, logo: SiteLogo | null) {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: itemKeys.profile(siteId),
        ...(logo
          ? {
              UpdateExpression: 'SET #entity = :entity, #siteId = :siteId, #logo = :logo',
              ExpressionAttributeNames: { '#entity': 'entity', '#siteId': 'siteId', '#logo': 'logo' },
              ExpressionAttributeValues: { ':entity': 'site-profile', ':siteId': siteId, ':logo': logo },
            }
          : { UpdateExpression: 'REMOVE #logo', ExpressionAttributeNames: { '#logo': 'logo' } }),
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    return (Attributes?.logo as SiteLogo | undefined) ?? undefined;
  }
}

export class DynamoDbConnectionRepository implements ConnectionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(siteId: string) {
    return itemKeys.connection(siteId);
  }

  async get(siteId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: this.key(siteId), ConsistentRead: true }),
    );
    return Item ? strip<SalesforceConnectionRecord>(Item) : undefined;
  }

  async put(record: SalesforceConnectionRecord) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...this.key(record.siteId), entity: 'salesforce-connection', ...record },
      }),
    );
  }

  async rotateRefreshToken(siteId: string, expectedVersion: number, token: EncryptedSecret) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(siteId),
          UpdateExpression: 'SET refreshToken = :token, tokenVersion = :next, updatedAt = :now',
          ConditionExpression: 'tokenVersion = :expected',
          ExpressionAttributeValues: {
            ':token': token,
            ':next': expectedVersion + 1,
            ':expected': expectedVersion,
            ':now': new Date().toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markReconnectNeeded(siteId: string, reason: string) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(siteId),
        UpdateExpression: 'SET #status = :status, reconnectReason = :reason, updatedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': 'reconnect-needed',
          ':reason': reason,
          ':now': new Date().toISOString(),
        },
      }),
    );
  }

  async saveOrgAssessment(siteId: string, org: NonNullable<SalesforceConnectionRecord['org']>) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(siteId),
          UpdateExpression: 'SET org = :org, #status = :status, updatedAt = :now',
          // A refused refresh token outranks what the org is: the site must reconnect first.
          ConditionExpression: 'attribute_exists(pk) AND #status <> :reconnect',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':org': org,
            ':status': org.supported ? 'connected' : 'unsupported-org',
            ':reconnect': 'reconnect-needed',
            ':now': new Date().toISOString(),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async delete(siteId: string) {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: this.key(siteId) }));
  }
}

export class DynamoDbOAuthStateRepository implements OAuthStateRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(pending: PendingAuthorization) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...itemKeys.oauthState(pending.siteId, pending.nonce), entity: 'oauth-state', ...pending },
      }),
    );
  }

  async take(siteId: string, nonce: string) {
    const { Attributes } = await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: itemKeys.oauthState(siteId, nonce),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes ? strip<PendingAuthorization>(Attributes) : undefined;
  }
}

export class DynamoDbConnectRefusalRepository implements ConnectRefusalRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(record: ConnectRefusalRecord) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...itemKeys.connectRefusal(record.siteId), entity: 'connect-refusal', ...record },
      }),
    );
  }

  async get(siteId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: itemKeys.connectRefusal(siteId), ConsistentRead: true }),
    );
    return Item ? strip<ConnectRefusalRecord>(Item) : undefined;
  }

  async delete(siteId: string) {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: itemKeys.connectRefusal(siteId) }));
  }
}

export class DynamoDbUserRepository implements UserRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(siteId: string) {
    const users: SiteUser[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': sitePartition(siteId), ':prefix': SORT_PREFIX.user },
          ExclusiveStartKey,
        }),
      );
      users.push(...(page.Items ?? []).map((item) => strip<SiteUser>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return users;
  }

  async get(siteId: string, userId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: itemKeys.user(siteId, userId) }),
    );
    return Item ? strip<SiteUser>(Item) : undefined;
  }

  async put(user: SiteUser) {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...itemKeys.user(user.siteId, user.userId),
          entity: 'user',
          ...(user.role
            ? {
                gsi1pk: indexPartitions.signIn(user.email),
                gsi1sk: userSignInSortKey(user.siteId, user.userId),
              }
            : {}),
          ...user,
        },
      }),
    );
  }

  async rolesOf(email: string) {
    const roles: Array<{ siteId: string; role: SiteRole }> = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey },
          ExpressionAttributeValues: { ':pk': indexPartitions.signIn(email) },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const user = strip<SiteUser>(item);
        if (user.role) roles.push({ siteId: user.siteId, role: user.role });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return roles;
  }
}
