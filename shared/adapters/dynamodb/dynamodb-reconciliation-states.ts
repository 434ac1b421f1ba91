import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReconciliationState } from '../../domain/reconciliation';
import type { ReconciliationStates } from '../../ports/reconciliation';
import { itemKeys } from './keys';

/** One item per site: SITE#<siteId> / RECONCILE, holding the watermark and the cached query. */
export class DynamoDbReconciliationStates implements ReconciliationStates {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(siteId: string): Promise<ReconciliationState | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: itemKeys.reconciliation(siteId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...state } = Item;
    return state as ReconciliationState;
  }

  async put(state: ReconciliationState): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...itemKeys.reconciliation(state.siteId), entity: 'reconciliation', ...state },
      }),
    );
  }
}
