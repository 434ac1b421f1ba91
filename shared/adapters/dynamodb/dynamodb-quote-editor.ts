import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../domain/errors';
import type { QuotePatch, QuotePdf, QuoteSend } from '../../domain/quote-editing';
import type { QuoteLine, QuoteTotals } from '../../domain/quote-lines';
import type { EditableQuote, QuoteEditor } from '../../ports/quote-edits';
import { refusingOversize } from './item-budget';
import { itemKeys } from './keys';
import { quoteSends } from './quote-sends';

const key = itemKeys.quote;

function toQuote(item: Record<string, unknown>): EditableQuote {
  const {
    pk: _pk,
    sk: _sk,
    entity: _e,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi2pk: _g2,
    gsi2sk: _g2s,
    ...quote
  } = item;
  return quote as unknown as EditableQuote;
}

/**
 * Edits of quotes by people. Every update names only the attributes it changes (never a whole
 * item), so a concurrent sync of the opportunity and an edit of the lines both keep their data.
 */
export class DynamoDbQuoteEditor implements QuoteEditor {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(siteId: string, quoteId: string) {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: key(siteId, quoteId), ConsistentRead: true }),
    );
    return Item ? { ...toQuote(Item), sends: await this.sends(siteId, quoteId, Item) } : undefined;
  }

  private sends(siteId: string, quoteId: string, item: Record<string, unknown> | undefined) {
    return quoteSends(this.db, this.table, siteId, quoteId, item);
  }

  /** `touch` marks a change of the quote's content (what its PDF shows); bookkeeping does not. */
  private async update(
    siteId: string,
    quoteId: string,
    set: Record<string, unknown>,
    touch = true,
  ): Promise<EditableQuote> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const parts = Object.entries(touch ? { ...set, updatedAt: new Date().toISOString() } : set).map(
      ([name, value], i) => {
        names[`#a${i}`] = name;
        values[`:v${i}`] = value;
        return `#a${i} = :v${i}`;
      },
    );
    try {
      const { Attributes } = await refusingOversize(`the quote ${quoteId}`, set, () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key(siteId, quoteId),
            UpdateExpression: `SET ${parts.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return { ...toQuote(Attributes ?? {}), sends: await this.sends(siteId, quoteId, Attributes) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new NotFoundError(`Site ${siteId} has no quote ${quoteId}`, { cause: error });
      }
      throw error;
    }
  }

  setLines(siteId: string, quoteId: string, lines: QuoteLine[], totals: QuoteTotals, currency: string) {
    return this.update(siteId, quoteId, { lines, totals, currency });
  }

  patch(siteId: string, quoteId: string, patch: QuotePatch) {
    return this.update(
      siteId,
      quoteId,
      Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    );
  }

  async recordPdf(siteId: string, quoteId: string, pdf: QuotePdf) {
    await this.update(siteId, quoteId, { pdf }, false);
  }

  async recordProject(siteId: string, quoteId: string, projectId: string) {
    await this.update(siteId, quoteId, { projectId }, false);
  }

  async recordSend(
    siteId: string,
    quoteId: string,
    send: QuoteSend,
    result?: { contentDocumentId: string; opportunityAmount: string | null },
  ) {
    // Each send is an item of its own: a quote sent a thousand times stays as large as it was.
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...itemKeys.quoteSend(siteId, quoteId, send.at, send.sendId), entity: 'quote-send', ...send },
      }),
    );
    if (!result) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key(siteId, quoteId),
        // The quote shows the Amount Salesforce holds at once: the flow fires no outbound message
        // for an Amount change of an opportunity already at the stage, so no sync would.
        UpdateExpression: 'SET contentDocumentId = :doc, opportunityAmount = :amount',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':doc': result.contentDocumentId, ':amount': result.opportunityAmount },
      }),
    );
  }
}
