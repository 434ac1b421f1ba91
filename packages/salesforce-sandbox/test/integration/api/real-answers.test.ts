import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { errorOf, http, loggedIn, startTestSandbox } from './sandbox-helpers';

/** Answers as Salesforce gives them: identity, standard fields and describe keys, errors, upsert. */
describe('the REST API against real answers', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    conn = await loggedIn(sandbox);
  });
  afterAll(() => sandbox.stop());
  const token = () => conn.accessToken ?? '';

  it("names the identity URL absolutely, so jsforce's identity() finds it; the document has Salesforce's keys", async () => {
    const resources = (await conn.request('/services/data/v62.0/')) as Record<string, string>;
    expect(resources.identity).toBe(`${sandbox.url}/id/${sandbox.organizationId}/${sandbox.adminUserId}`);
    expect(resources.tooling).toBe('/services/data/v62.0/tooling');
    const identity = (await conn.identity()) as unknown as Record<string, unknown>;
    expect(identity).toMatchObject({
      user_id: sandbox.adminUserId,
      organization_id: sandbox.organizationId,
      username: sandbox.username,
      photos: { picture: expect.any(String), thumbnail: expect.any(String) },
      urls: expect.objectContaining({ tooling_rest: expect.any(String), custom_domain: sandbox.url }),
    });
    for (const key of [
      'addr_street',
      'addr_city',
      'addr_state',
      'addr_country',
      'addr_zip',
      'mobile_phone',
      'status',
    ]) {
      expect(identity).toHaveProperty(key);
    }
  });

  it('gives Account, Contact, Opportunity and the product objects the standard fields of a 62.0 org', async () => {
    const names = async (type: string) => (await conn.sobject(type).describe()).fields.map((f) => f.name);
    expect(await names('Account')).toEqual(
      expect.arrayContaining([
        'NumberOfEmployees',
        'AnnualRevenue',
        'ParentId',
        'Rating',
        'ShippingStreet',
        'ShippingCity',
        'ShippingPostalCode',
        'ShippingCountry',
        'Ownership',
        'AccountSource',
        'Sic',
      ]),
    );
    expect(await names('Contact')).toEqual(
      expect.arrayContaining([
        'ReportsToId',
        'MailingState',
        'OtherCity',
        'Birthdate',
        'HasOptedOutOfEmail',
        'LeadSource',
      ]),
    );
    expect(await names('Opportunity')).toEqual(
      expect.arrayContaining([
        'IsPrivate',
        'ExpectedRevenue',
        'Pricebook2Id',
        'ForecastCategory',
        'FiscalYear',
      ]),
    );
    expect(await names('Product2')).toEqual(
      expect.arrayContaining(['Name', 'ProductCode', 'Family', 'IsActive']),
    );
    expect(await names('PricebookEntry')).toEqual(
      expect.arrayContaining(['Pricebook2Id', 'Product2Id', 'UnitPrice']),
    );
    expect(await names('OpportunityLineItem')).toEqual(
      expect.arrayContaining(['PricebookEntryId', 'Product2Id', 'ListPrice']),
    );
  });

  it('describes objects and fields with the keys real describes carry', async () => {
    const account = (await conn.sobject('Account').describe()) as unknown as Record<string, unknown> & {
      fields: Array<Record<string, unknown>>;
    };
    for (const key of [
      'compactLayoutable',
      'searchLayoutable',
      'supportedScopes',
      'namedLayoutInfos',
      'actionOverrides',
    ]) {
      expect(account).toHaveProperty(key);
    }
    const city = account.fields.find((f) => f.name === 'BillingCity');
    for (const key of [
      'inlineHelpText',
      'polymorphicForeignKey',
      'compoundFieldName',
      'extraTypeInfo',
      'mask',
      'encrypted',
    ]) {
      expect(city).toHaveProperty(key);
    }
    expect(city).toMatchObject({ compoundFieldName: 'BillingAddress', polymorphicForeignKey: false });
  });

  it("answers a query it cannot run with Salesforce's ERROR at Row:1:Column:N form, the query echoed", async () => {
    const error = await errorOf(conn.query('SELECT Nam FROM Account'));
    expect(error.errorCode).toBe('INVALID_FIELD');
    expect(error.message).toBe(
      "\nSELECT Nam FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nam' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    );
    const type = await errorOf(conn.query('SELECT Id FROM Acount'));
    expect(type.errorCode).toBe('INVALID_TYPE');
    expect(type.message).toMatch(
      /^\nSELECT Id FROM Acount\n {15}\^\nERROR at Row:1:Column:16\nsObject type 'Acount' is not supported/,
    );
  });

  it('a well-formed id that never existed is NOT_FOUND; a malformed one is not a record id at all', async () => {
    const absent = await http(sandbox, '/services/data/v62.0/sobjects/Account/001000000000000AAA', {
      method: 'GET',
      token: token(),
    });
    expect(absent.status).toBe(404);
    expect(absent.body).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
    const deleted = await http(
      sandbox,
      '/services/data/v62.0/composite/sobjects?ids=001000000000000AAA,bogus',
      {
        method: 'DELETE',
        token: token(),
      },
    );
    expect(deleted.body).toEqual([
      {
        success: false,
        errors: [
          { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] },
        ],
      },
      { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id bogus', fields: [] }] },
    ]);
  });

  it('upserts by external id on sObject collections (PATCH, API 46.0 and later)', async () => {
    sandbox.seed({
      customFields: [{ sObjectType: 'Account', name: 'Erp_Id__c', type: 'string', externalId: true }],
    });
    const path = '/services/data/v62.0/composite/sobjects/Account/Erp_Id__c';
    const first = await http(sandbox, path, {
      method: 'PATCH',
      token: token(),
      body: {
        allOrNone: false,
        records: [
          { attributes: { type: 'Account' }, Erp_Id__c: 'E-1', Name: 'Erp One' },
          { attributes: { type: 'Account' }, Name: 'No key' },
        ],
      },
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual([
      { id: expect.stringMatching(/^001/), success: true, errors: [], created: true },
      {
        success: false,
        errors: [
          { statusCode: 'MISSING_ARGUMENT', message: 'Erp_Id__c not specified', fields: ['Erp_Id__c'] },
        ],
      },
    ]);
    const again = await http(sandbox, path, {
      method: 'PATCH',
      token: token(),
      body: {
        records: [{ attributes: { type: 'Account' }, Erp_Id__c: 'E-1', Name: 'Erp One, renamed' }],
      },
    });
    const [updated] = again.body as Array<{ id: string; created: boolean }>;
    expect(updated).toMatchObject({
      success: true,
      created: false,
      id: (first.body as Array<{ id: string }>)[0]?.id,
    });
    expect(sandbox.store.get('Account', updated?.id ?? '')?.Name).toBe('Erp One, renamed');
    const notExternal = await http(sandbox, '/services/data/v62.0/composite/sobjects/Account/Name', {
      method: 'PATCH',
      token: token(),
      body: {
        records: [],
      },
    });
    expect(notExternal.status).toBe(400);
    expect(notExternal.body).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: 'Field name provided, Name is not an External ID or indexed field for Account',
      },
    ]);
    const old = await http(sandbox, '/services/data/v45.0/composite/sobjects/Account/Erp_Id__c', {
      method: 'PATCH',
      token: token(),
      body: {
        records: [],
      },
    });
    expect(old.status).toBe(404);
  });
});
