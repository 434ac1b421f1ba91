import type { SObjectRecord } from './contracts';
import { SalesforceApiError } from './errors';

/**
 * Products as a real org has them: Product2, price books (Pricebook2, one of them the standard
 * price book every org has) and their entries (PricebookEntry), and opportunity products
 * (OpportunityLineItem) that are always an entry of the opportunity's price book.
 *
 * What follows is Salesforce's documentation (Object Reference: OpportunityLineItem,
 * PricebookEntry, Pricebook2; "Effects on Opportunities"):
 * - a line names its entry by PricebookEntryId, or by Product2Id, which is looked up in the
 *   opportunity's price book; Name (the opportunity's name and the product's, hence 376
 *   characters: 120 + 1 + 255), ProductCode and ListPrice (the entry's price) are derived and
 *   read-only;
 * - UnitPrice ("Sales Price") or TotalPrice is given, never both; Subtotal is Quantity × UnitPrice
 *   and TotalPrice that less Discount; an update of Discount alone keeps UnitPrice and adjusts
 *   TotalPrice; an update may not change both prices;
 * - an opportunity without a price book takes its first line's one; the entry must be active, in
 *   the opportunity's price book and currency; an opportunity with lines keeps its price book and
 *   currency (the API rejects a change);
 * - an entry of a custom price book needs the product's standard price first
 *   (STANDARD_PRICE_NOT_DEFINED); one entry per product, price book and currency.
 * Where the wording of an error is not in the documentation, it is our reading (the README says so).
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_opportunitylineitem.htm
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_pricebookentry.htm
 */

export const STANDARD_PRICE_BOOK_NAME = 'Standard Price Book';

/** What the rules read from the org (rows are the store's own: not to be mutated here). */
export interface ProductRecords {
  row(id: string): SObjectRecord | undefined;
  rows(sObjectType: string): readonly SObjectRecord[];
}

const integrity = (message: string, fields: string[]) =>
  new SalesforceApiError(400, 'FIELD_INTEGRITY_EXCEPTION', `field integrity exception: ${message}`, fields);

const MUST_NAME_ENTRY = integrity(
  'PricebookEntryId, unknown (versions 3.0 and higher must specify pricebook entry id; others must specify product id)',
  ['PricebookEntryId', 'unknown'],
);

const round2 = (n: number) => Math.round(n * 100) / 100;
const num = (value: unknown) => (typeof value === 'number' ? value : null);

/**
 * A new opportunity product: its entry found and checked, its derived fields set. Returns the
 * price book the opportunity takes when it has none yet (the caller writes it).
 */
export function prepareLineItem(
  records: ProductRecords,
  line: SObjectRecord,
  given: Record<string, unknown>,
): { opportunityPricebook?: string } {
  const opportunity = typeof line.OpportunityId === 'string' ? records.row(line.OpportunityId) : undefined;
  if (!opportunity) return {};
  const book = typeof opportunity.Pricebook2Id === 'string' ? opportunity.Pricebook2Id : null;
  let entry: SObjectRecord | undefined;
  if (typeof line.PricebookEntryId === 'string') {
    entry = records.row(line.PricebookEntryId);
    if (entry && typeof line.Product2Id === 'string' && line.Product2Id !== entry.Product2Id)
      throw integrity('Product2Id (the product is not the price book entry’s)', ['Product2Id']);
  } else if (typeof line.Product2Id === 'string') {
    // Without an entry, the product's entry in the opportunity's price book and currency.
    if (!book) throw MUST_NAME_ENTRY;
    entry = records
      .rows('PricebookEntry')
      .find(
        (e) =>
          e.Product2Id === line.Product2Id &&
          e.Pricebook2Id === book &&
          e.CurrencyIsoCode === opportunity.CurrencyIsoCode,
      );
  }
  if (!entry) throw MUST_NAME_ENTRY;
  if (entry.IsActive !== true)
    throw integrity('PricebookEntryId (pricebook entry is inactive)', ['PricebookEntryId']);
  if (book && entry.Pricebook2Id !== book)
    throw integrity(
      'PricebookEntryId (pricebook entry is in a different pricebook than the one assigned to the opportunity)',
      ['PricebookEntryId'],
    );
  const pricebook = typeof entry.Pricebook2Id === 'string' ? records.row(entry.Pricebook2Id) : undefined;
  if (!book && pricebook?.IsActive !== true)
    throw integrity('PricebookEntryId (pricebook entry is in an inactive pricebook)', ['PricebookEntryId']);
  if (entry.CurrencyIsoCode !== opportunity.CurrencyIsoCode)
    throw integrity(
      'PricebookEntryId (pricebook entry currency code does not match opportunity currency code)',
      ['PricebookEntryId'],
    );
  const product = typeof entry.Product2Id === 'string' ? records.row(entry.Product2Id) : undefined;
  line.PricebookEntryId = entry.Id;
  line.Product2Id = entry.Product2Id ?? null;
  line.Name = [opportunity.Name, product?.Name].filter((p) => typeof p === 'string' && p !== '').join(' ');
  line.ProductCode = product?.ProductCode ?? null;
  line.ListPrice = num(entry.UnitPrice);
  line.CurrencyIsoCode = opportunity.CurrencyIsoCode ?? null;

  const unit = given.UnitPrice !== undefined && given.UnitPrice !== null;
  const total = given.TotalPrice !== undefined && given.TotalPrice !== null;
  if (unit && total)
    throw integrity('TotalPrice (cannot specify both unit price and total price)', ['TotalPrice']);
  if (!unit && !total)
    throw integrity('TotalPrice (must specify either unit price or total price)', ['TotalPrice']);
  return book ? {} : { opportunityPricebook: String(entry.Pricebook2Id) };
}

/** The prices after a create or update: UnitPrice from a given TotalPrice, then Subtotal and TotalPrice. */
export function priceLineItem(line: SObjectRecord, given: Record<string, unknown>, isCreate: boolean): void {
  if (!isCreate && 'UnitPrice' in given && 'TotalPrice' in given)
    throw new SalesforceApiError(
      400,
      'INVALID_FIELD',
      "Cannot change both 'UnitPrice' and 'TotalPrice' in update call",
      ['UnitPrice'],
    );
  const quantity = num(line.Quantity) ?? 0;
  const discount = num(line.Discount) ?? 0;
  const total = num(given.TotalPrice);
  if (total !== null) {
    const per = quantity * (1 - discount / 100);
    line.UnitPrice = per === 0 ? 0 : round2(total / per);
  }
  const unit = num(line.UnitPrice) ?? 0;
  line.Subtotal = round2(quantity * unit);
  line.TotalPrice = total ?? round2(quantity * unit * (1 - discount / 100));
}

/** An opportunity with lines keeps its price book and currency. */
export function checkOpportunityChange(current: SObjectRecord, values: Record<string, unknown>): void {
  if (current.HasOpportunityLineItem !== true) return;
  for (const field of ['Pricebook2Id', 'CurrencyIsoCode']) {
    if (field in values && values[field] !== current[field])
      throw integrity(
        `${field} (cannot change ${field === 'Pricebook2Id' ? 'pricebook' : 'currency'} on opportunity with line items)`,
        [field],
      );
  }
}

/** A new price book entry: one per product, price book and currency; a custom book needs the standard price. */
export function preparePricebookEntry(records: ProductRecords, entry: SObjectRecord): void {
  const product = typeof entry.Product2Id === 'string' ? records.row(entry.Product2Id) : undefined;
  const book = typeof entry.Pricebook2Id === 'string' ? records.row(entry.Pricebook2Id) : undefined;
  entry.Name = product?.Name ?? null;
  entry.ProductCode = product?.ProductCode ?? null;
  const entries = records
    .rows('PricebookEntry')
    .filter((e) => e.Product2Id === entry.Product2Id && e.CurrencyIsoCode === entry.CurrencyIsoCode);
  if (entries.some((e) => e.Pricebook2Id === entry.Pricebook2Id))
    throw new SalesforceApiError(
      400,
      'DUPLICATE_VALUE',
      'This price definition already exists in this price book',
      [],
    );
  if (book?.IsStandard === true) {
    if (entry.UseStandardPrice === true)
      throw integrity('UseStandardPrice (the standard price book has no standard price to use)', [
        'UseStandardPrice',
      ]);
    return;
  }
  const standard = entries.find(
    (e) => e.Pricebook2Id !== undefined && records.row(String(e.Pricebook2Id))?.IsStandard === true,
  );
  if (!standard)
    throw new SalesforceApiError(
      400,
      'STANDARD_PRICE_NOT_DEFINED',
      'No standard price defined for this product',
      [],
    );
  if (entry.UseStandardPrice === true) entry.UnitPrice = standard.UnitPrice ?? null;
}

/** One product to put on an opportunity, as a person adds it (see addOpportunityProducts). */
export interface ProductLineInput {
  name: string;
  productCode?: string;
  /** The standard price (the entry's UnitPrice): the line's ListPrice. */
  listPrice: number;
  quantity: number;
  /** The sales price; default the list price. */
  unitPrice?: number;
  discount?: number;
  description?: string;
}

/** The org's standard price book (every org has one). */
export function standardPricebookId(records: ProductRecords): string {
  const book = records.rows('Pricebook2').find((b) => b.IsStandard === true);
  if (!book) throw new Error('The org has no standard price book');
  return book.Id;
}

/**
 * Creates each product with its standard price, then the opportunity's line through that entry,
 * as a person does in Salesforce (a product, its price in the standard price book, "Add Products").
 */
export function addOpportunityProducts(
  store: ProductRecords & {
    create(type: string, input: Record<string, unknown>, ctx: { userId: string }): SObjectRecord;
  },
  userId: string,
  opportunityId: string,
  products: readonly ProductLineInput[],
): SObjectRecord[] {
  const pricebook = standardPricebookId(store);
  const currency = store.row(opportunityId)?.CurrencyIsoCode;
  return products.map((p) => {
    const product = store.create(
      'Product2',
      { Name: p.name, ProductCode: p.productCode ?? null, IsActive: true },
      { userId },
    );
    const entry = store.create(
      'PricebookEntry',
      {
        Pricebook2Id: pricebook,
        Product2Id: product.Id,
        UnitPrice: p.listPrice,
        IsActive: true,
        ...(typeof currency === 'string' ? { CurrencyIsoCode: currency } : {}),
      },
      { userId },
    );
    return store.create(
      'OpportunityLineItem',
      {
        OpportunityId: opportunityId,
        PricebookEntryId: entry.Id,
        Quantity: p.quantity,
        UnitPrice: p.unitPrice ?? p.listPrice,
        ...(p.discount !== undefined ? { Discount: p.discount } : {}),
        ...(p.description !== undefined ? { Description: p.description } : {}),
      },
      { userId },
    );
  });
}
