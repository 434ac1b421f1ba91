import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { QuoteSend } from '../../domain/quote-editing';
import { quoteSendPrefix, sitePartition } from './keys';

/**
 * A quote's sends, oldest first: the items of their own, after any a quote stored before they
 * were (a `sends` list on the quote's item).
 */
export async function quoteSends(
  db: DynamoDBDocumentClient,
  table: string,
  siteId: string,
  quoteId: string,
  quoteItem: Record<string, unknown> | undefined,
): Promise<QuoteSend[]> {
  const sends = [...((quoteItem?.sends as QuoteSend[] | undefined) ?? [])];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': sitePartition(siteId), ':prefix': quoteSendPrefix(quoteId) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const { pk: _pk, sk: _sk, entity: _e, ...send } of page.Items ?? []) sends.push(send as QuoteSend);
    start = page.LastEvaluatedKey;
  } while (start);
  return sends;
}
