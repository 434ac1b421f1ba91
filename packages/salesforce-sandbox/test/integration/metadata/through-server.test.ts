import { Connection } from 'jsforce';
import { type SalesforceSandbox, startSalesforceSandbox } from '../../../src/server';
import { OutboundEndpoint, outboundMessage, scoroFlow } from './harness';

/** The full path product code takes: jsforce logs in with the login URL, client id and secret only. */
describe('metadata and outbound messages through the sandbox server', () => {
  let sandbox: SalesforceSandbox;
  let endpoint: OutboundEndpoint;
  let conn: Connection;

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox({ port: 0, demoData: false });
    endpoint = await new OutboundEndpoint().start();
    conn = new Connection({
      loginUrl: sandbox.loginUrl,
      oauth2: { loginUrl: sandbox.loginUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
      version: '62.0',
    });
    await conn.login(sandbox.username, sandbox.password);
  });
  afterAll(async () => {
    await sandbox.stop();
    await endpoint.stop();
  });

  it('deploys the outbound message and flow, then a REST update into the criteria sends the SOAP message', async () => {
    const message = await conn.metadata.create('WorkflowOutboundMessage', {
      ...outboundMessage(endpoint.url, ['Id', 'Name', 'Amount', 'StageName', 'CloseDate']),
      integrationUser: sandbox.username,
    });
    expect(message).toMatchObject({ success: true });
    expect(await conn.metadata.create('Flow', scoroFlow())).toMatchObject({ success: true });
    expect(await conn.metadata.list([{ type: 'Flow' }])).toEqual([
      expect.objectContaining({ fullName: 'Scoro_Opportunity_Flow', type: 'Flow' }),
    ]);

    const created = await conn.sobject('Opportunity').create({
      Name: 'Acme renewal',
      StageName: 'Prospecting',
      CloseDate: '2026-06-30',
      Amount: 45000,
    });
    if (!created.success) throw new Error('create failed');
    await sandbox.flushOutbound();
    expect(endpoint.received).toHaveLength(0);

    await conn.sobject('Opportunity').update({ Id: created.id, StageName: 'Closed Won' });
    await sandbox.flushOutbound();
    expect(endpoint.received).toHaveLength(1);
    const body = endpoint.received[0]?.body ?? '';
    expect(body).toContain(`<OrganizationId>${sandbox.organizationId}</OrganizationId>`);
    expect(body).toContain(`<sf:Id>${created.id}</sf:Id>`);
    expect(body).toContain('<sf:Amount>45000.0</sf:Amount>');
    expect(body).toContain('<sf:CloseDate>2026-06-30</sf:CloseDate>');
    expect(body).toContain('<sf:StageName>Closed Won</sf:StageName>');
    expect(sandbox.outbound()?.deliveries).toEqual([expect.objectContaining({ status: 'delivered' })]);
  });
});
