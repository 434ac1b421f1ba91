import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { errorOf, loggedIn, startTestSandbox } from './sandbox-helpers';

type Row = Record<string, unknown> & { Id: string };

/**
 * Products as a real org has them: the standard price book, price book entries, and opportunity
 * products through an entry or a product, with their derived names and prices.
 */
describe('sandbox products, price books and opportunity products', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  let standard: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ demoData: false });
    conn = await loggedIn(sandbox);
    const [book] = (
      await conn.query<Row>('SELECT Id, Name, IsActive FROM Pricebook2 WHERE IsStandard = true')
    ).records;
    expect(book).toMatchObject({ Name: 'Standard Price Book', IsActive: true });
    standard = book?.Id ?? '';
  });
  afterAll(() => sandbox.stop());

  const create = async (type: string, fields: Record<string, unknown>) => {
    const result = await conn.sobject(type).create(fields);
    if (!result.success) throw new Error(JSON.stringify(result));
    return result.id;
  };
  const read = (type: string, id: string) => conn.sobject(type).retrieve(id) as Promise<Row>;
  const product = async (name: string, code: string, price: number) => {
    const product2 = await create('Product2', { Name: name, ProductCode: code, IsActive: true });
    const entry = await create('PricebookEntry', {
      Pricebook2Id: standard,
      Product2Id: product2,
      UnitPrice: price,
      IsActive: true,
    });
    return { product2, entry };
  };
  const opportunity = (name: string) =>
    create('Opportunity', { Name: name, StageName: 'Prospecting', CloseDate: '2027-03-31' });

  it('derives an entry’s name and code from its product; a custom price book needs the standard price first', async () => {
    const { product2, entry } = await product('Gateway', 'GW-1', 300);
    expect(await read('PricebookEntry', entry)).toMatchObject({
      Name: 'Gateway',
      ProductCode: 'GW-1',
      UnitPrice: 300,
    });
    const duplicate = await errorOf(
      conn.sobject('PricebookEntry').create({ Pricebook2Id: standard, Product2Id: product2, UnitPrice: 1 }),
    );
    expect(duplicate.errorCode).toBe('DUPLICATE_VALUE');

    const partners = await create('Pricebook2', { Name: 'Partners', IsActive: true });
    const { product2: bare } = { product2: await create('Product2', { Name: 'Unpriced', IsActive: true }) };
    const noStandard = await errorOf(
      conn.sobject('PricebookEntry').create({ Pricebook2Id: partners, Product2Id: bare, UnitPrice: 9 }),
    );
    expect(noStandard).toMatchObject({
      errorCode: 'STANDARD_PRICE_NOT_DEFINED',
      message: 'No standard price defined for this product',
    });
    const useStandard = await create('PricebookEntry', {
      Pricebook2Id: partners,
      Product2Id: product2,
      UseStandardPrice: true,
      IsActive: true,
    });
    expect((await read('PricebookEntry', useStandard)).UnitPrice).toBe(300);
    const readOnly = await errorOf(conn.sobject('Pricebook2').create({ Name: 'Mine', IsStandard: true }));
    expect(readOnly.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
  });

  it('creates lines through a price book entry or a product, with derived fields and computed prices', async () => {
    const scanner = await product('Scanner licence', 'SCN-1', 1250);
    const onboarding = await product('Onboarding', 'SRV-ONB', 5000);
    const opp = await opportunity('Acme rollout');
    const first = await create('OpportunityLineItem', {
      OpportunityId: opp,
      PricebookEntryId: scanner.entry,
      Quantity: 25,
      UnitPrice: 1200,
      Description: 'One per door',
    });
    expect(await read('OpportunityLineItem', first)).toMatchObject({
      Name: 'Acme rollout Scanner licence',
      ProductCode: 'SCN-1',
      Product2Id: scanner.product2,
      ListPrice: 1250,
      UnitPrice: 1200,
      Subtotal: 30000,
      TotalPrice: 30000,
      Description: 'One per door',
    });
    // The opportunity took the entry's price book with its first line.
    expect((await read('Opportunity', opp)).Pricebook2Id).toBe(standard);

    const second = await create('OpportunityLineItem', {
      OpportunityId: opp,
      Product2Id: onboarding.product2,
      Quantity: 1,
      TotalPrice: 4500,
      Discount: 10,
    });
    expect(await read('OpportunityLineItem', second)).toMatchObject({
      PricebookEntryId: onboarding.entry,
      ProductCode: 'SRV-ONB',
      ListPrice: 5000,
      UnitPrice: 5000,
      TotalPrice: 4500,
    });
    expect(await read('Opportunity', opp)).toMatchObject({ Amount: 34500, HasOpportunityLineItem: true });

    // A child subquery reads them with their products, as an integration would.
    const [withLines] = (
      await conn.query<Row>(
        `SELECT Id, (SELECT Product2.Name, ProductCode, Quantity, UnitPrice, Discount FROM OpportunityLineItems ORDER BY SortOrder NULLS LAST, CreatedDate) FROM Opportunity WHERE Id = '${opp}'`,
      )
    ).records;
    const lines = (withLines?.OpportunityLineItems as { records: Row[] } | undefined)?.records ?? [];
    expect(
      lines.map((l) => [(l.Product2 as Row).Name, l.ProductCode, l.Quantity, l.UnitPrice, l.Discount]),
    ).toEqual([
      ['Scanner licence', 'SCN-1', 25, 1200, null],
      ['Onboarding', 'SRV-ONB', 1, 5000, 10],
    ]);
  });

  it('keeps the prices consistent on update: Discount adjusts TotalPrice, both prices at once are refused', async () => {
    const { entry } = await product('Support', 'SUP', 100);
    const opp = await opportunity('Support deal');
    const line = await create('OpportunityLineItem', {
      OpportunityId: opp,
      PricebookEntryId: entry,
      Quantity: 10,
      UnitPrice: 90,
    });
    await conn.sobject('OpportunityLineItem').update({ Id: line, Discount: 20 });
    expect(await read('OpportunityLineItem', line)).toMatchObject({
      UnitPrice: 90,
      TotalPrice: 720,
      Subtotal: 900,
    });
    expect((await read('Opportunity', opp)).Amount).toBe(720);
    const both = await errorOf(
      conn.sobject('OpportunityLineItem').update({ Id: line, UnitPrice: 1, TotalPrice: 2 }),
    );
    expect(both).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "Cannot change both 'UnitPrice' and 'TotalPrice' in update call",
    });
    const entryChange = await errorOf(
      conn.sobject('OpportunityLineItem').update({ Id: line, PricebookEntryId: entry }),
    );
    expect(entryChange.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const book = await errorOf(
      conn
        .sobject('Opportunity')
        .update({ Id: opp, Pricebook2Id: await create('Pricebook2', { Name: 'Other' }) }),
    );
    expect(book.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(book.message).toMatch(/cannot change pricebook on opportunity with line items/);
  });

  it('refuses the lines a real org refuses', async () => {
    const { product2, entry } = await product('Cable', 'CBL', 5);
    const opp = await opportunity('Refusals');
    const errors = async (fields: Record<string, unknown>) =>
      errorOf(conn.sobject('OpportunityLineItem').create({ OpportunityId: opp, Quantity: 1, ...fields }));
    expect(await errors({ PricebookEntryId: entry, UnitPrice: 5, Name: 'Own name' })).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
    expect(await errors({ PricebookEntryId: entry, UnitPrice: 5, ProductCode: 'X' })).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
    });
    const noEntry = await errors({ UnitPrice: 5 });
    expect(noEntry.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(noEntry.message).toMatch(/must specify pricebook entry id/);
    // A product alone is looked up in the opportunity's price book, which this one has not yet.
    expect((await errors({ Product2Id: product2, UnitPrice: 5 })).errorCode).toBe(
      'FIELD_INTEGRITY_EXCEPTION',
    );
    expect((await errors({ PricebookEntryId: entry })).message).toMatch(
      /must specify either unit price or total price/,
    );
    expect((await errors({ PricebookEntryId: entry, UnitPrice: 5, TotalPrice: 5 })).message).toMatch(
      /cannot specify both unit price and total price/,
    );
    const inactive = await create('Product2', { Name: 'Retired', IsActive: true });
    const retired = await create('PricebookEntry', {
      Pricebook2Id: standard,
      Product2Id: inactive,
      UnitPrice: 1,
    });
    expect((await errors({ PricebookEntryId: retired, UnitPrice: 1 })).message).toMatch(
      /pricebook entry is inactive/,
    );

    await create('OpportunityLineItem', {
      OpportunityId: opp,
      PricebookEntryId: entry,
      Quantity: 1,
      UnitPrice: 5,
    });
    const partners = await create('Pricebook2', { Name: 'Partner prices', IsActive: true });
    const partnerEntry = await create('PricebookEntry', {
      Pricebook2Id: partners,
      Product2Id: product2,
      UnitPrice: 4,
      IsActive: true,
    });
    expect((await errors({ PricebookEntryId: partnerEntry, UnitPrice: 4 })).message).toMatch(
      /pricebook entry is in a different pricebook than the one assigned to the opportunity/,
    );
  });
});
