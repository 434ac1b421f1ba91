import type { Connection } from 'jsforce';
import type { RecordChange } from '../../../src/contracts';
import type { SalesforceSandbox } from '../../../src/server';
import { errorOf, http, loggedIn, startTestSandbox } from './sandbox-helpers';

const SF_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

describe('sandbox sObject CRUD through jsforce', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;
  const changes: RecordChange[] = [];

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      seed: {
        customFields: [{ sObjectType: 'Opportunity', name: 'Scoro_Quote_Id__c', type: 'string', length: 40 }],
        validationRules: [
          {
            sObjectType: 'Opportunity',
            name: 'Discount_Needs_Description',
            errorCondition: "StageName = 'Closed Lost' AND Description = null",
            errorMessage: 'Tell us why the opportunity was lost.',
            errorDisplayField: 'Description',
          },
        ],
      },
    });
    sandbox.store.onChange((change) => changes.push(change));
    conn = await loggedIn(sandbox);
  });
  afterAll(() => sandbox.stop());
  beforeEach(() => {
    changes.length = 0;
  });

  it('creates, reads, updates and deletes a record, telling onChange listeners each time', async () => {
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Umbrella Corp', Website: 'https://umbrella.example' });
    expect(created).toEqual({ id: expect.stringMatching(/^001[0-9a-zA-Z]{15}$/), success: true, errors: [] });
    const id = created.id ?? '';

    const read = await conn.sobject('Account').retrieve(id);
    expect(read).toMatchObject({
      attributes: { type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}` },
      Id: id,
      Name: 'Umbrella Corp',
      OwnerId: sandbox.adminUserId,
      CreatedById: sandbox.adminUserId,
    });
    expect(read.CreatedDate).toMatch(SF_DATETIME);
    expect(read.SystemModstamp).toMatch(SF_DATETIME);

    sandbox.advanceTime(60_000);
    const updated = await conn.sobject('Account').update({ Id: id, Phone: '+372 555 0000' });
    expect(updated).toEqual({ id, success: true, errors: [] });
    const reread = await conn.sobject('Account').retrieve(id, { fields: ['Phone', 'LastModifiedDate'] });
    expect(reread.Phone).toBe('+372 555 0000');
    expect(Date.parse(String(reread.LastModifiedDate).replace('+0000', 'Z'))).toBeGreaterThan(
      Date.parse(String(read.LastModifiedDate).replace('+0000', 'Z')),
    );

    await conn.sobject('Account').destroy(id);
    const gone = await errorOf(conn.sobject('Account').retrieve(id));
    expect(gone.errorCode).toBe('ENTITY_IS_DELETED');

    expect(changes.map((c) => [c.sObjectType, c.before === null, c.after === null])).toEqual([
      ['Account', true, false],
      ['Account', false, false],
      ['Account', false, true],
    ]);
    expect(changes[1]?.before?.Phone).toBeNull();
    expect(changes[1]?.after?.Phone).toBe('+372 555 0000');
  });

  it('accepts 15-character ids and answers 404 NOT_FOUND for unknown ones', async () => {
    const [opp] = (await conn.query<{ Id: string }>("SELECT Id FROM Opportunity WHERE Name = 'Globex pilot'"))
      .records;
    const short = (opp?.Id ?? '').slice(0, 15);
    const read = await conn.sobject('Opportunity').retrieve(short);
    expect(read.Id).toBe(opp?.Id);
    const missing = await errorOf(conn.sobject('Opportunity').retrieve('006000000000000AAA'));
    expect(missing.errorCode).toBe('NOT_FOUND');
  });

  it('ignores updates of Amount once an opportunity has products, and rolls Amount up from them', async () => {
    const [rollout] = (
      await conn.query<{ Id: string; Amount: number; HasOpportunityLineItem: boolean }>(
        "SELECT Id, Amount, HasOpportunityLineItem FROM Opportunity WHERE Name = 'Acme — warehouse rollout'",
      )
    ).records;
    expect(rollout?.HasOpportunityLineItem).toBe(true);
    expect(rollout?.Amount).toBe(25 * 1200 + 5000 * 0.9);
    await conn.sobject('Opportunity').update({ Id: rollout?.Id ?? '', Amount: 1, NextStep: 'Send quote' });
    const after = await conn.sobject('Opportunity').retrieve(rollout?.Id ?? '');
    expect(after.Amount).toBe(rollout?.Amount);
    expect(after.NextStep).toBe('Send quote');

    const [scanner] = (
      await conn.query<{ Id: string }>("SELECT Id FROM PricebookEntry WHERE ProductCode = 'SCN-1'")
    ).records;
    await conn.sobject('OpportunityLineItem').create({
      OpportunityId: rollout?.Id,
      PricebookEntryId: scanner?.Id,
      Quantity: 2,
      UnitPrice: 100,
    });
    const withItem = await conn.sobject('Opportunity').retrieve(rollout?.Id ?? '');
    expect(withItem.Amount).toBe((rollout?.Amount ?? 0) + 200);
    expect(changes.some((c) => c.sObjectType === 'Opportunity' && c.after?.Amount === withItem.Amount)).toBe(
      true,
    );
  });

  it('rejects bad writes with Salesforce error codes', async () => {
    const missing = await errorOf(conn.sobject('Opportunity').create({ Name: 'No stage' }));
    expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(missing.message).toBe('Required fields are missing: [StageName, CloseDate]');

    const stage = await errorOf(
      conn
        .sobject('Opportunity')
        .create({ Name: 'Bad stage', StageName: 'Won-ish', CloseDate: '2026-12-01' }),
    );
    expect(stage.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

    const unknown = await errorOf(conn.sobject('Account').create({ Name: 'X', Colour__c: 'red' }));
    expect(unknown.errorCode).toBe('INVALID_FIELD');

    const readOnly = await errorOf(conn.sobject('Contact').create({ LastName: 'X', Name: 'Full Name' }));
    expect(readOnly.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');

    const date = await errorOf(
      conn
        .sobject('Opportunity')
        .create({ Name: 'Bad date', StageName: 'Prospecting', CloseDate: 'tomorrow' }),
    );
    expect(date.errorCode).toBe('JSON_PARSER_ERROR');

    const lookup = await errorOf(
      conn.sobject('Contact').create({ LastName: 'X', AccountId: '006000000000000AAA' }),
    );
    expect(lookup.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(changes).toEqual([]);
  });

  it('enforces validation rules with FIELD_CUSTOM_VALIDATION_EXCEPTION', async () => {
    const created = await conn.sobject('Opportunity').create({
      Name: 'Lost one',
      StageName: 'Prospecting',
      CloseDate: '2026-12-01',
      Scoro_Quote_Id__c: 'Q-42',
    });
    const error = await errorOf(
      conn.sobject('Opportunity').update({ Id: created.id ?? '', StageName: 'Closed Lost' }),
    );
    expect(error.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(error.message).toBe('Tell us why the opportunity was lost.');
    expect(error.data).toMatchObject({ fields: ['Description'] });
    await conn
      .sobject('Opportunity')
      .update({ Id: created.id ?? '', StageName: 'Closed Lost', Description: 'Budget went elsewhere' });
    const read = await conn.sobject('Opportunity').retrieve(created.id ?? '');
    expect(read).toMatchObject({
      StageName: 'Closed Lost',
      IsClosed: true,
      IsWon: false,
      Probability: 0,
      Scoro_Quote_Id__c: 'Q-42',
    });
  });

  it('stores a ContentVersion as a file attached to the opportunity, and new versions of it', async () => {
    const [opp] = (await conn.query<{ Id: string }>("SELECT Id FROM Opportunity WHERE Name = 'Globex pilot'"))
      .records;
    const pdf = Buffer.from('%PDF-1.4 quote').toString('base64');
    const v1 = await conn.sobject('ContentVersion').create({
      Title: 'Quote Q-1',
      PathOnClient: 'quote-q-1.pdf',
      VersionData: pdf,
      FirstPublishLocationId: opp?.Id,
    });
    const version = await conn.sobject('ContentVersion').retrieve(v1.id ?? '');
    expect(version).toMatchObject({
      VersionNumber: '1',
      IsLatest: true,
      FileExtension: 'pdf',
      FileType: 'PDF',
    });
    expect(version.VersionData).toBe(`/services/data/v62.0/sobjects/ContentVersion/${v1.id}/VersionData`);
    const documentId = String(version.ContentDocumentId);
    expect(documentId).toMatch(/^069/);

    const links = await conn.query<{ LinkedEntityId: string; ShareType: string }>(
      `SELECT LinkedEntityId, ShareType, ContentDocument.Title FROM ContentDocumentLink WHERE ContentDocumentId = '${documentId}'`,
    );
    expect(links.records.map((l) => l.LinkedEntityId).sort()).toEqual([sandbox.adminUserId, opp?.Id].sort());

    const v2 = await conn.sobject('ContentVersion').create({
      ContentDocumentId: documentId,
      Title: 'Quote Q-1 (rev 2)',
      PathOnClient: 'quote-q-1.pdf',
      VersionData: Buffer.from('%PDF-1.4 quote v2').toString('base64'),
    });
    const versions = await conn.query<{ Id: string; VersionNumber: string; IsLatest: boolean }>(
      `SELECT Id, VersionNumber, IsLatest FROM ContentVersion WHERE ContentDocumentId = '${documentId}' ORDER BY VersionNumber`,
    );
    expect(versions.records.map((v) => [v.VersionNumber, v.IsLatest])).toEqual([
      ['1', false],
      ['2', true],
    ]);
    const doc = await conn.sobject('ContentDocument').retrieve(documentId);
    expect(doc).toMatchObject({ LatestPublishedVersionId: v2.id, Title: 'Quote Q-1 (rev 2)' });

    const blob = await fetch(
      `${sandbox.url}/services/data/v62.0/sobjects/ContentVersion/${v2.id}/VersionData`,
      {
        headers: { Authorization: `Bearer ${conn.accessToken}` },
      },
    );
    expect(Buffer.from(await blob.arrayBuffer()).toString()).toBe('%PDF-1.4 quote v2');
  });

  it('answers 401 INVALID_SESSION_ID without a valid session', async () => {
    const response = await http(sandbox, '/services/data/v62.0/sobjects/Account', { token: 'not-a-token' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });
});
