import type { Connection } from 'jsforce';
import type { SalesforceSandbox } from '../../../src/server';
import { errorOf, http, loggedIn, startTestSandbox } from './sandbox-helpers';

describe('sandbox describe through jsforce', () => {
  let sandbox: SalesforceSandbox;
  let conn: Connection;

  beforeAll(async () => {
    sandbox = await startTestSandbox({
      seed: {
        customFields: [
          {
            sObjectType: 'Opportunity',
            name: 'Scoro_Quote_Id__c',
            type: 'string',
            length: 40,
            label: 'Scoro Quote Id',
          },
          {
            sObjectType: 'Opportunity',
            name: 'Sync_Status__c',
            type: 'picklist',
            picklistValues: ['Pending', 'Synced'],
          },
        ],
      },
    });
    conn = await loggedIn(sandbox);
  });
  afterAll(() => sandbox.stop());

  it('lists the org objects with their key prefixes', async () => {
    const global = await conn.describeGlobal();
    const prefixes = Object.fromEntries(global.sobjects.map((o) => [o.name, o.keyPrefix]));
    expect(prefixes).toMatchObject({
      Organization: '00D',
      User: '005',
      Account: '001',
      Contact: '003',
      Opportunity: '006',
      OpportunityContactRole: '00K',
      OpportunityLineItem: '00k',
      ContentVersion: '068',
      ContentDocument: '069',
      ContentDocumentLink: '06A',
    });
  });

  it("describes Opportunity with Salesforce's stages, field types and child relationships", async () => {
    const describe = await conn.describe('Opportunity');
    const field = (name: string) => describe.fields.find((f) => f.name === name);
    expect(field('StageName')?.picklistValues?.map((p) => p.value)).toEqual([
      'Prospecting',
      'Qualification',
      'Needs Analysis',
      'Value Proposition',
      'Id. Decision Makers',
      'Perception Analysis',
      'Proposal/Price Quote',
      'Negotiation/Review',
      'Closed Won',
      'Closed Lost',
    ]);
    expect(field('Amount')).toMatchObject({ type: 'currency', soapType: 'xsd:double', updateable: true });
    expect(field('CloseDate')).toMatchObject({ type: 'date', nillable: false });
    expect(field('AccountId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account',
    });
    expect(field('HasOpportunityLineItem')).toMatchObject({ type: 'boolean', updateable: false });
    expect(field('Scoro_Quote_Id__c')).toMatchObject({
      custom: true,
      type: 'string',
      length: 40,
      label: 'Scoro Quote Id',
    });
    expect(field('Sync_Status__c')?.picklistValues?.map((p) => p.value)).toEqual(['Pending', 'Synced']);
    expect(describe.childRelationships.map((r) => r.relationshipName)).toEqual(
      expect.arrayContaining(['OpportunityContactRoles', 'OpportunityLineItems', 'ContentDocumentLinks']),
    );
  });

  it('answers NOT_FOUND for an unknown object and lists API versions without a session', async () => {
    const unknown = await errorOf(conn.describe('Quote__c'));
    expect(unknown.errorCode).toBe('NOT_FOUND');
    const versions = await http(sandbox, '/services/data/');
    expect(versions.status).toBe(200);
    expect(versions.body).toEqual(
      expect.arrayContaining([{ label: 'v62.0', url: '/services/data/v62.0', version: '62.0' }]),
    );
  });
});
