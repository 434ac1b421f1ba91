import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from '../../http/http-errors';
import type { IdempotentRunner, Reply } from '../../http/router';
import { indexPartitions } from './keys';
import { TABLE_KEYS } from './table';

/** How long an answer is replayed for its key: a day covers every client's retries. */
const REPLAY_SECONDS = 24 * 60 * 60;

/**
 * Idempotency-Key through Powertools' idempotency utility, in the one table: the record lives
 * under the site (`SITE#<site>#IDEMPOTENCY`, sort key = operation and key hashed) and expires
 * with the table's TTL attribute. Powertools asks for the old item on a failed condition
 * (ReturnValuesOnConditionCheckFailure), which the local emulator ignores; it then reads the
 * record instead, so the same code runs on both.
 */
export class PowertoolsIdempotency implements IdempotentRunner {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async run(
    input: Parameters<IdempotentRunner['run']>[0],
    work: () => Promise<Reply>,
  ): Promise<Reply & { replayed: boolean }> {
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      payloadValidationJmesPath: 'request',
      expiresAfterSeconds: REPLAY_SECONDS,
      throwOnNoIdempotencyKey: true,
    });
    // The in-progress marker then lapses with the invocation, so a timed-out attempt can be retried.
    config.registerLambdaContext(input.context);
    let ran = false;
    const once = makeIdempotent(
      async (_payload: unknown): Promise<Reply> => {
        ran = true;
        return work();
      },
      {
        persistenceStore: new DynamoDBPersistenceLayer({
          tableName: this.tableName,
          awsSdkV3Client: this.client,
          keyAttr: TABLE_KEYS.partitionKey,
          sortKeyAttr: TABLE_KEYS.sortKey,
          staticPkValue: indexPartitions.idempotency(input.siteId),
          expiryAttr: TABLE_KEYS.timeToLive,
        }),
        config,
      },
    );
    try {
      const reply = await once({
        key: { operation: input.operationId, key: input.key },
        request: input.request,
      });
      return { ...reply, replayed: !ran };
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new IdempotencyKeyInUseError(
          'A request with this Idempotency-Key is still being answered; retry in a few seconds',
          { cause: error },
        );
      }
      if (error instanceof IdempotencyValidationError) {
        throw new IdempotencyKeyReusedError(
          'This Idempotency-Key was used for a different request; use a new key for a new request',
          { cause: error },
        );
      }
      throw error;
    }
  }
}
