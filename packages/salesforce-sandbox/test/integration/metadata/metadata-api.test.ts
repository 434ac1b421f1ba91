import { Connection } from 'jsforce';
import { ManualClock } from '../../unit/metadata/fakes';
import { outboundMessage, type SandboxUnderTest, scoroFlow, startSandbox } from './harness';

describe('Metadata API through jsforce', () => {
  let sandbox: SandboxUnderTest;
  beforeEach(async () => {
    sandbox = await startSandbox(new ManualClock());
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('creates, reads, upserts, lists and deletes a WorkflowOutboundMessage', async () => {
    const { conn } = sandbox;
    const message = outboundMessage('http://127.0.0.1:9/outbound');
    expect(await conn.metadata.create('WorkflowOutboundMessage', message)).toEqual({
      fullName: 'Opportunity.Scoro_integration',
      success: true,
      errors: [],
    });
    const read = await conn.metadata.read('WorkflowOutboundMessage', 'Opportunity.Scoro_integration');
    expect(read).toMatchObject({
      fullName: 'Opportunity.Scoro_integration',
      apiVersion: 62,
      endpointUrl: 'http://127.0.0.1:9/outbound',
      fields: ['Id', 'Name', 'Amount', 'StageName'],
      includeSessionId: false,
      integrationUser: 'integration@example.com',
      name: 'Scoro integration',
      protected: false,
    });
    const upserted = await conn.metadata.upsert('WorkflowOutboundMessage', {
      ...message,
      endpointUrl: 'http://127.0.0.1:9/other',
    });
    expect(upserted).toMatchObject({ created: false, success: true });
    const listed = await conn.metadata.list([{ type: 'WorkflowOutboundMessage' }]);
    expect(listed).toEqual([
      expect.objectContaining({
        fullName: 'Opportunity.Scoro_integration',
        type: 'WorkflowOutboundMessage',
        fileName: 'workflows/Opportunity.workflow',
        id: expect.stringMatching(/^04k\w{15}$/),
      }),
    ]);
    expect(
      await conn.metadata.delete('WorkflowOutboundMessage', 'Opportunity.Scoro_integration'),
    ).toMatchObject({
      success: true,
    });
    expect(await conn.metadata.list([{ type: 'WorkflowOutboundMessage' }])).toEqual([]);
  });

  it('creates a Flow, makes a version per save, lists it and deletes every version', async () => {
    const { conn, metadata } = sandbox;
    await conn.metadata.create('WorkflowOutboundMessage', outboundMessage('http://127.0.0.1:9/outbound'));
    expect(await conn.metadata.create('Flow', scoroFlow())).toMatchObject({ success: true });
    expect(await conn.metadata.upsert('Flow', scoroFlow())).toMatchObject({ success: true, created: false });
    expect(await conn.metadata.update('Flow', scoroFlow({ status: 'Draft' }))).toMatchObject({
      success: true,
    });
    expect(metadata.listFlowVersions('Scoro_Opportunity_Flow').map((v) => v.status)).toEqual([
      'Obsolete',
      'Active',
      'Draft',
    ]);
    const read = await conn.metadata.read('Flow', 'Scoro_Opportunity_Flow');
    expect(read).toMatchObject({
      fullName: 'Scoro_Opportunity_Flow',
      label: 'Scoro Opportunity Flow',
      processType: 'AutoLaunchedFlow',
      status: 'Draft',
      start: { object: 'Opportunity', recordTriggerType: 'CreateAndUpdate', triggerType: 'RecordAfterSave' },
    });
    const listed = await conn.metadata.list([{ type: 'Flow' }, { type: 'FlowDefinition' }]);
    expect(listed.map((p) => [p.type, p.fullName])).toEqual([
      ['Flow', 'Scoro_Opportunity_Flow'],
      ['FlowDefinition', 'Scoro_Opportunity_Flow'],
    ]);
    // Salesforce deletes no flow with an active version: deactivate it first, through the
    // Tooling API's FlowDefinition.
    expect(await conn.metadata.delete('Flow', 'Scoro_Opportunity_Flow')).toMatchObject({
      success: false,
      errors: [
        expect.objectContaining({
          statusCode: 'DELETE_FAILED',
          message: expect.stringMatching(/Deactivate the flow/),
        }),
      ],
    });
    const { records } = await conn.tooling.query<{ Id: string; ActiveVersion: { VersionNumber: number } }>(
      "SELECT Id, ActiveVersion.VersionNumber FROM FlowDefinition WHERE DeveloperName = 'Scoro_Opportunity_Flow'",
    );
    expect(records[0]?.ActiveVersion.VersionNumber).toBe(2);
    await conn.tooling
      .sobject('FlowDefinition')
      .update({ Id: records[0]?.Id ?? '', Metadata: { activeVersionNumber: 0 } } as never);
    expect(metadata.listFlowVersions('Scoro_Opportunity_Flow').map((v) => v.status)).toEqual([
      'Obsolete',
      'Obsolete',
      'Draft',
    ]);
    expect(await conn.metadata.delete('Flow', 'Scoro_Opportunity_Flow')).toMatchObject({ success: true });
    expect(metadata.listFlowVersions('Scoro_Opportunity_Flow')).toEqual([]);
    expect(await conn.metadata.list([{ type: 'Flow' }])).toEqual([]);
  });

  it('reports a missing required element as a SaveResult error', async () => {
    const { endpointUrl: _omitted, ...withoutEndpoint } = outboundMessage('http://127.0.0.1:9/outbound');
    const result = await sandbox.conn.metadata.create('WorkflowOutboundMessage', withoutEndpoint);
    expect(result).toMatchObject({
      fullName: 'Opportunity.Scoro_integration',
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required field is missing: endpointUrl',
          fields: ['endpointUrl'],
        },
      ],
    });
  });

  it('refuses elements in the wrong order like Salesforce: a SOAP fault naming the element', async () => {
    const { apiVersion, ...rest } = outboundMessage('http://127.0.0.1:9/outbound');
    await expect(
      sandbox.conn.metadata.create('WorkflowOutboundMessage', { ...rest, apiVersion }),
    ).rejects.toMatchObject({
      errorCode: 'soapenv:Client',
      message: expect.stringContaining('apiVersion invalid at this location in type WorkflowOutboundMessage'),
    });
    const { label, ...flowWithoutLabel } = scoroFlow();
    await expect(sandbox.conn.metadata.create('Flow', { ...flowWithoutLabel, label })).rejects.toMatchObject({
      message: expect.stringContaining('label invalid at this location in type Flow'),
    });
  });

  it('refuses a flow calling an unknown outbound message, and fields the object does not have', async () => {
    const { conn } = sandbox;
    const flow = await conn.metadata.create('Flow', scoroFlow());
    expect(flow.success).toBe(false);
    expect(flow.errors[0]).toMatchObject({ statusCode: 'INVALID_CROSS_REFERENCE_KEY' });

    const message = await conn.metadata.create(
      'WorkflowOutboundMessage',
      outboundMessage('http://127.0.0.1:9/outbound', ['Id', 'Quote_Number__c']),
    );
    expect(message.success).toBe(false);
    expect(message.errors[0]).toMatchObject({
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      message: expect.stringContaining('Quote_Number__c'),
    });

    await conn.metadata.create('WorkflowOutboundMessage', outboundMessage('http://127.0.0.1:9/outbound'));
    const badFilter = await conn.metadata.create(
      'Flow',
      scoroFlow({ filters: [{ field: 'Stage', operator: 'EqualTo', value: { stringValue: 'Closed Won' } }] }),
    );
    expect(badFilter.errors[0]).toMatchObject({ statusCode: 'FIELD_INTEGRITY_EXCEPTION' });
  });

  it('describes the supported types and refuses a session it does not know', async () => {
    const described = await sandbox.conn.metadata.describe();
    expect(described.metadataObjects.map((o) => o.xmlName)).toEqual(['Workflow', 'Flow', 'FlowDefinition']);
    const stranger = new Connection({
      instanceUrl: sandbox.instanceUrl,
      accessToken: 'not-a-session',
      version: '62.0',
    });
    await expect(stranger.metadata.list([{ type: 'Flow' }])).rejects.toThrow(/INVALID_SESSION_ID/);
  });
});
