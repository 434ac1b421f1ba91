import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { http, loggedIn, startTestSandbox } from './sandbox-helpers';

describe('sandbox composite and sObject collections through jsforce', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    conn = await loggedIn(sandbox);
  });
  afterAll(() => sandbox.stop());

  it('runs a composite request with references as one API call', async () => {
    const before = sandbox.apiCalls();
    const response = await conn.requestPost<{
      compositeResponse: Array<{
        body: unknown;
        httpStatusCode: number;
        referenceId: string;
        httpHeaders: Record<string, string>;
      }>;
    }>('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'newAccount',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'newContact',
          body: { LastName: 'Composite', AccountId: '@{newAccount.id}' },
        },
        {
          method: 'GET',
          url: '/services/data/v62.0/query?q=SELECT+Id,+Account.Name+FROM+Contact+WHERE+Id+=+%27@{newContact.id}%27',
          referenceId: 'readBack',
        },
        {
          method: 'PATCH',
          url: '/services/data/v62.0/sobjects/Account/@{newAccount.id}',
          referenceId: 'rename',
          body: { Name: 'Composite Company' },
        },
      ],
    });
    expect(response.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['newAccount', 201],
      ['newContact', 201],
      ['readBack', 200],
      ['rename', 204],
    ]);
    expect(response.compositeResponse[0]?.httpHeaders.Location).toMatch(
      /^\/services\/data\/v62\.0\/sobjects\/Account\/001/,
    );
    expect(response.compositeResponse[2]?.body).toMatchObject({
      totalSize: 1,
      records: [{ Account: { Name: 'Composite Co' } }],
    });
    const after = sandbox.apiCalls();
    expect(after.used - before.used).toBe(1);
    expect((after.byKind.composite ?? 0) - (before.byKind.composite ?? 0)).toBe(1);
    expect(conn.limitInfo.apiUsage?.used).toBe(after.used);
  });

  it('rolls every subrequest back when one fails with allOrNone', async () => {
    const count = async () =>
      (await conn.query("SELECT COUNT() FROM Account WHERE Name = 'Rolled back'")).totalSize;
    const response = await conn.requestPost<{
      compositeResponse: Array<{ body: Array<{ errorCode: string }>; httpStatusCode: number }>;
    }>('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'ok',
          body: { Name: 'Rolled back' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Opportunity',
          referenceId: 'bad',
          body: { Name: 'x' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'later',
          body: { Name: 'Rolled back' },
        },
      ],
    });
    expect(response.compositeResponse.map((r) => [r.httpStatusCode, r.body[0]?.errorCode])).toEqual([
      [400, 'PROCESSING_HALTED'],
      [400, 'REQUIRED_FIELD_MISSING'],
      [400, 'PROCESSING_HALTED'],
    ]);
    expect(await count()).toBe(0);
  });

  it('keeps successful subrequests without allOrNone and halts those that depend on a failure', async () => {
    const response = await conn.requestPost<{
      compositeResponse: Array<{ body: Array<{ errorCode: string }>; httpStatusCode: number }>;
    }>('/composite', {
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Account', referenceId: 'bad', body: {} },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'dep',
          body: { LastName: 'Dep', AccountId: '@{bad.id}' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'ok',
          body: { Name: 'Kept' },
        },
      ],
    });
    expect(response.compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 201]);
    expect(response.compositeResponse[1]?.body[0]?.errorCode).toBe('PROCESSING_HALTED');
  });

  it('creates, updates, retrieves and deletes through sObject collections', async () => {
    const created = await conn
      .sobject('Contact')
      .create([{ LastName: 'One', Email: 'one@example.com' }, { LastName: 'Two' }]);
    expect(created.map((r) => r.success)).toEqual([true, true]);
    const ids = created.map((r) => r.id ?? '');
    const updated = await conn.sobject('Contact').update(ids.map((Id) => ({ Id, Title: 'Buyer' })));
    expect(updated.every((r) => r.success)).toBe(true);
    const read = await conn.sobject('Contact').retrieve(ids, { fields: ['LastName', 'Title'] });
    expect(read.map((r) => [r?.LastName, r?.Title])).toEqual([
      ['One', 'Buyer'],
      ['Two', 'Buyer'],
    ]);
    const deleted = await conn.sobject('Contact').destroy(ids);
    expect(deleted.every((r) => r.success)).toBe(true);
  });

  it('reports per-record errors with statusCode, and rolls back all with allOrNone', async () => {
    const partial = await conn
      .sobject('Account')
      .create([{ Name: 'Partial ok' }, { Phone: '1' }], { allOrNone: false });
    expect(partial[0]?.success).toBe(true);
    expect(partial[1]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    const all = await http(sandbox, '/services/data/v62.0/composite/sobjects', {
      method: 'POST',
      token: conn.accessToken ?? '',
      body: {
        allOrNone: true,
        records: [
          { attributes: { type: 'Account' }, Name: 'All or none' },
          { attributes: { type: 'Account' }, Phone: '2' },
        ],
      },
    });
    expect(all.body).toEqual([
      {
        success: false,
        errors: [
          {
            statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            message:
              'Record rolled back because not all records were valid and the request was using AllOrNone header',
            fields: [],
          },
        ],
      },
      {
        success: false,
        errors: [
          {
            statusCode: 'REQUIRED_FIELD_MISSING',
            message: 'Required fields are missing: [Name]',
            fields: ['Name'],
          },
        ],
      },
    ]);
    expect((await conn.query("SELECT COUNT() FROM Account WHERE Name = 'All or none'")).totalSize).toBe(0);
  });
});
