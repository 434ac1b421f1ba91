import { createMetadataService } from '../../../src/metadata';
import { childText } from '../../../src/metadata/xml';
import { FakeAuth, FakeStore } from './fakes';
import {
  envelope,
  flowXml,
  metadataElement,
  OUTBOUND_MESSAGE_XML,
  parseFault,
  parseResults,
  readRecords,
} from './soap-helpers';

function setup() {
  const store = new FakeStore();
  const service = createMetadataService({ store, auth: new FakeAuth() });
  const call = (operationXml: string, token?: string) =>
    service.handle({ version: '62.0', body: envelope(operationXml, token), headers: {} });
  const create = (type: string, inner: string) =>
    call(`<createMetadata>${metadataElement(type, inner)}</createMetadata>`);
  return { store, service, call, create };
}

describe('Metadata API SOAP endpoint', () => {
  it('refuses an unknown session with the INVALID_SESSION_ID fault jsforce refreshes on', async () => {
    const { call } = setup();
    const response = await call('<listMetadata><queries><type>Flow</type></queries></listMetadata>', 'nope');
    expect(response.status).toBe(500);
    expect(response.body).toMatch(/<faultcode>sf:INVALID_SESSION_ID<\/faultcode>/);
  });

  it('refuses a document with a DOCTYPE', async () => {
    const { service } = setup();
    const body = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${envelope('<listMetadata/>').replace(/^<\?xml[^>]*\?>/, '')}`;
    const response = await service.handle({ version: '62.0', body, headers: {} });
    expect(response.status).toBe(500);
    expect(parseFault(response.body).faultcode).toBe('soapenv:Client');
  });

  it('creates an outbound message and reads it back in the order it was saved', async () => {
    const { create, call } = setup();
    const created = await create('WorkflowOutboundMessage', OUTBOUND_MESSAGE_XML);
    expect(created.status).toBe(200);
    expect(created.headers['Content-Type']).toMatch(/^text\/xml/);
    expect(parseResults(created.body)).toEqual([
      { success: true, fullName: 'Opportunity.Scoro_integration', created: undefined, errors: [] },
    ]);
    const read = await call(
      '<readMetadata><type>WorkflowOutboundMessage</type><fullNames>Opportunity.Scoro_integration</fullNames></readMetadata>',
    );
    const [record] = readRecords(read.body);
    expect(record?.attributes['xsi:type']).toBe('WorkflowOutboundMessage');
    expect(record?.children.map((c) => c.local)).toEqual([
      'fullName',
      'apiVersion',
      'endpointUrl',
      'fields',
      'fields',
      'fields',
      'includeSessionId',
      'integrationUser',
      'name',
      'protected',
      'useDeadLetterQueue',
    ]);
  });

  it('faults when elements are out of the schema order, naming the element and type', async () => {
    const { create } = setup();
    const swapped = OUTBOUND_MESSAGE_XML.replace('<apiVersion>62.0</apiVersion>', '').replace(
      '<includeSessionId>',
      '<apiVersion>62.0</apiVersion><includeSessionId>',
    );
    const response = await create('WorkflowOutboundMessage', swapped);
    expect(response.status).toBe(500);
    expect(parseFault(response.body)).toEqual({
      faultcode: 'soapenv:Client',
      faultstring:
        'Element {http://soap.sforce.com/2006/04/metadata}apiVersion invalid at this location in type WorkflowOutboundMessage',
    });
  });

  it('faults on an element order problem nested in a Flow (label after locationX in actionCalls)', async () => {
    const { create } = setup();
    await create('WorkflowOutboundMessage', OUTBOUND_MESSAGE_XML);
    const nested = flowXml().replace(
      '<label>Send to Scoro</label><locationX>176</locationX>',
      '<locationX>176</locationX><label>Send to Scoro</label>',
    );
    const response = await create('Flow', nested);
    expect(parseFault(response.body).faultstring).toBe(
      'Element {http://soap.sforce.com/2006/04/metadata}label invalid at this location in type FlowActionCall',
    );
  });

  it('faults on a value outside an enumeration', async () => {
    const { create } = setup();
    await create('WorkflowOutboundMessage', OUTBOUND_MESSAGE_XML);
    const response = await create(
      'Flow',
      flowXml().replace('<operator>EqualTo</operator>', '<operator>Equals</operator>'),
    );
    expect(parseFault(response.body).faultstring).toBe(
      "'Equals' is not a valid value for the enum 'FlowRecordFilterOperator'",
    );
  });

  it('answers missing required elements, unknown fields and unknown objects with SaveResult errors', async () => {
    const { call } = setup();
    const missing = OUTBOUND_MESSAGE_XML.replace(
      '<endpointUrl>http://127.0.0.1:9/outbound</endpointUrl>',
      '',
    );
    const unknownField = OUTBOUND_MESSAGE_XML.replace('<fields>Name</fields>', '<fields>Nope__c</fields>');
    const unknownObject = OUTBOUND_MESSAGE_XML.replace(
      'Opportunity.Scoro_integration',
      'Nothing__c.Scoro_integration',
    );
    const response = await call(
      `<createMetadata>${[missing, unknownField, unknownObject]
        .map((inner) => metadataElement('WorkflowOutboundMessage', inner))
        .join('')}</createMetadata>`,
    );
    const results = parseResults(response.body);
    expect(results.map((r) => r.success)).toEqual([false, false, false]);
    expect(results[0]?.errors).toEqual([
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required field is missing: endpointUrl',
        fields: ['endpointUrl'],
      },
    ]);
    expect(results[1]?.errors[0]?.statusCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(results[1]?.errors[0]?.message).toContain('Nope__c');
    expect(results[2]?.errors[0]?.statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
  });

  it('refuses a flow whose outbound message does not exist', async () => {
    const { create } = setup();
    const response = await create('Flow', flowXml());
    const [result] = parseResults(response.body);
    expect(result?.success).toBe(false);
    expect(result?.errors[0]?.statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
    expect(result?.errors[0]?.message).toContain('Opportunity.Scoro_integration');
  });

  it('refuses a flow filter on a field the object does not have, and bad filter logic', async () => {
    const { create } = setup();
    await create('WorkflowOutboundMessage', OUTBOUND_MESSAGE_XML);
    const badField = await create(
      'Flow',
      flowXml().replace('<field>StageName</field>', '<field>Stage__c</field>'),
    );
    expect(parseResults(badField.body)[0]?.errors[0]?.message).toContain('Stage__c');
    const badLogic = await create('Flow', flowXml({ filterLogic: '1 AND 2' }));
    expect(parseResults(badLogic.body)[0]?.errors[0]?.statusCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('makes a new version on every save; the latest Active one is active and the previous becomes Obsolete', async () => {
    const { create, call, service } = setup();
    await create('WorkflowOutboundMessage', OUTBOUND_MESSAGE_XML);
    await create('Flow', flowXml());
    const upserted = await call(`<upsertMetadata>${metadataElement('Flow', flowXml())}</upsertMetadata>`);
    expect(parseResults(upserted.body)[0]).toMatchObject({ success: true, created: 'false' });
    await call(`<updateMetadata>${metadataElement('Flow', flowXml({ status: 'Draft' }))}</updateMetadata>`);
    expect(
      service.listFlowVersions('Scoro_Opportunity_Flow').map((v) => [v.versionNumber, v.status]),
    ).toEqual([
      [1, 'Obsolete'],
      [2, 'Active'],
      [3, 'Draft'],
    ]);
    const [active] = service.listFlows();
    expect(active).toMatchObject({
      fullName: 'Scoro_Opportunity_Flow',
      versionNumber: 2,
      object: 'Opportunity',
      recordTriggerType: 'CreateAndUpdate',
      doesRequireRecordChangedToMeetCriteria: true,
    });
    expect(active?.outboundMessages.map((m) => [m.fullName, m.id.slice(0, 3), m.fields])).toEqual([
      ['Opportunity.Scoro_integration', '04k', ['Id', 'Name', 'Amount']],
    ]);
    const v1 = await call(
      '<readMetadata><type>Flow</type><fullNames>Scoro_Opportunity_Flow-1</fullNames></readMetadata>',
    );
    const [record] = readRecords(v1.body);
    expect(record && childText(record, 'status')).toBe('Obsolete');
    const definition = await call(
      '<readMetadata><type>FlowDefinition</type><fullNames>Scoro_Opportunity_Flow</fullNames></readMetadata>',
    );
    const [definitionRecord] = readRecords(definition.body);
    expect(definitionRecord && childText(definitionRecord, 'activeVersionNumber')).toBe('2');
  });

  it('keeps an outbound message in use by a flow, and deletes flows with all their versions', async () => {
    const { create, call, service } = setup();
    await create('WorkflowOutboundMessage', OUTBOUND_MESSAGE_XML);
    await create('Flow', flowXml());
    const deleteMessage = () =>
      call(
        '<deleteMetadata><type>WorkflowOutboundMessage</type><fullNames>Opportunity.Scoro_integration</fullNames></deleteMetadata>',
      );
    expect(parseResults((await deleteMessage()).body)[0]?.errors[0]?.statusCode).toBe('DEPENDENCY_EXISTS');
    const deleteFlow = () =>
      call('<deleteMetadata><type>Flow</type><fullNames>Scoro_Opportunity_Flow</fullNames></deleteMetadata>');
    // An active flow is not deleted; deactivated (FlowDefinition activeVersionNumber 0), it is.
    expect(parseResults((await deleteFlow()).body)[0]?.errors[0]?.statusCode).toBe('DELETE_FAILED');
    const [definition] = JSON.parse(
      service.tooling({
        method: 'GET',
        path: '/query',
        query: new URLSearchParams({ q: 'SELECT Id FROM FlowDefinition' }),
        body: undefined,
        apiVersion: '62.0',
      }).body,
    ).records;
    const patched = service.tooling({
      method: 'PATCH',
      path: `/sobjects/FlowDefinition/${definition.Id}`,
      query: new URLSearchParams(),
      body: { Metadata: { activeVersionNumber: 0 } },
      apiVersion: '62.0',
    });
    expect(patched.status).toBe(204);
    expect(parseResults((await deleteFlow()).body)[0]?.success).toBe(true);
    expect(service.listFlowVersions('Scoro_Opportunity_Flow')).toEqual([]);
    expect(parseResults((await deleteMessage()).body)[0]?.success).toBe(true);
  });
});
