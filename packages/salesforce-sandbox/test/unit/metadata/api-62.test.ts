import { createMetadataService } from '../../../src/metadata/index';
import { FakeAuth, FakeStore } from './fakes';
import { envelope, flowXml, metadataElement, OUTBOUND_MESSAGE_XML, parseResults } from './soap-helpers';

/**
 * The Metadata API pinned to 62.0: what metadata-62.0.wsdl allows is accepted, what it does not
 * is refused, with the answers a 62.0 endpoint gives (checked against the WSDL, not a list).
 */
function setup() {
  const service = createMetadataService({ store: new FakeStore(), auth: new FakeAuth() });
  const call = (operationXml: string) =>
    service.handle({ version: '62.0', body: envelope(operationXml), headers: {} });
  const upsert = (type: string, inner: string) =>
    call(`<upsertMetadata>${metadataElement(type, inner)}</upsertMetadata>`);
  return { service, upsert };
}

const faultOf = (body: string) =>
  /<faultstring>([^<]*)<\/faultstring>/.exec(body)?.[1]?.replaceAll('&apos;', "'");

async function withMessage() {
  const s = setup();
  expect(
    parseResults((await s.upsert('WorkflowOutboundMessage', OUTBOUND_MESSAGE_XML)).body)[0]?.success,
  ).toBe(true);
  return s;
}

describe('a sandbox pinned to Metadata API 62.0', () => {
  it('refuses an element 62.0 does not have: Flow.areMetricsLoggedToDataCloud (63.0)', async () => {
    const { upsert } = await withMessage();
    const flow = flowXml().replace(
      '<apiVersion>62.0</apiVersion>',
      '<apiVersion>62.0</apiVersion><areMetricsLoggedToDataCloud>false</areMetricsLoggedToDataCloud>',
    );
    const answer = await upsert('Flow', flow);
    expect(answer.status).toBe(500);
    expect(faultOf(answer.body)).toBe(
      'Element {http://soap.sforce.com/2006/04/metadata}areMetricsLoggedToDataCloud invalid at this location in type Flow',
    );
  });

  it('accepts Metadata.module, which 62.0 has, right after fullName', async () => {
    const { upsert } = await withMessage();
    const flow = flowXml().replace('</fullName>', '</fullName><module>Sales</module>');
    expect(parseResults((await upsert('Flow', flow)).body)[0]?.success).toBe(true);
  });

  it('accepts the elements Flow Builder writes', async () => {
    const { upsert } = await withMessage();
    const flow = flowXml()
      .replace(
        '<actionType>outboundMessage</actionType>',
        '<actionType>outboundMessage</actionType><flowTransactionModel>CurrentTransaction</flowTransactionModel>',
      )
      .replace(
        '<label>Scoro Opportunity Flow</label>',
        '<environments>Default</environments><interviewLabel>Scoro Opportunity Flow {!$Flow.CurrentDateTime}</interviewLabel><label>Scoro Opportunity Flow</label>' +
          '<processMetadataValues><name>BuilderType</name><value><stringValue>LightningFlowBuilder</stringValue></value></processMetadataValues>' +
          '<processMetadataValues><name>CanvasMode</name><value><stringValue>AUTO_LAYOUT_CANVAS</stringValue></value></processMetadataValues>',
      );
    expect(parseResults((await upsert('Flow', flow)).body)[0]).toMatchObject({ success: true });
  });

  it('enforces minOccurs: an action call without locationX fails that component', async () => {
    const { upsert } = await withMessage();
    const answer = await upsert('Flow', flowXml().replace('<locationX>176</locationX>', ''));
    expect(parseResults(answer.body)[0]).toMatchObject({
      success: false,
      errors: [
        { statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required field is missing: actionCalls.locationX' },
      ],
    });
  });

  it('enforces maxOccurs: a second label in a flow is out of place', async () => {
    const { upsert } = await withMessage();
    const answer = await upsert(
      'Flow',
      flowXml().replace('<label>Scoro Opportunity Flow</label>', '<label>A</label><label>B</label>'),
    );
    expect(faultOf(answer.body)).toMatch(/label invalid at this location in type Flow/);
  });

  it.each([
    [
      'actionType',
      '<actionType>outboundMessage</actionType>',
      '<actionType>outbound</actionType>',
      "'outbound' is not a valid value for the enum 'InvocableActionType'",
    ],
    [
      'flowTransactionModel',
      '<actionType>outboundMessage</actionType>',
      '<actionType>outboundMessage</actionType><flowTransactionModel>SameTransaction</flowTransactionModel>',
      "'SameTransaction' is not a valid value for the enum 'FlowTransactionModel'",
    ],
    [
      'an int',
      '<locationX>176</locationX>',
      '<locationX>left</locationX>',
      "'left' is not a valid value for the type xsd:int",
    ],
  ])('checks enums and simple types: %s', async (_what, from, to, fault) => {
    const { upsert } = await withMessage();
    expect(faultOf((await upsert('Flow', flowXml().replace(from, to))).body)).toBe(fault);
  });

  it('refuses an outbound-message action in a before-save flow', async () => {
    const { upsert } = await withMessage();
    const answer = await upsert('Flow', flowXml().replace('RecordAfterSave', 'RecordBeforeSave'));
    expect(parseResults(answer.body)[0]).toMatchObject({
      success: false,
      errors: [
        expect.objectContaining({ message: expect.stringMatching(/runs before the record is saved/) }),
      ],
    });
  });
});
