import {
  child,
  childrenNamed,
  childText,
  parseXmlDocument,
  type XmlElement,
} from '../../../src/metadata/xml';
import { VALID_TOKEN } from './fakes';

/** A request shaped like jsforce's: default namespace on Header and Body, SessionHeader first. */
export function envelope(operationXml: string, token = VALID_TOKEN): string {
  const ns = 'http://soap.sforce.com/2006/04/metadata';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Header xmlns="${ns}"><SessionHeader><sessionId>${token}</sessionId></SessionHeader></soapenv:Header>` +
    `<soapenv:Body xmlns="${ns}">${operationXml}</soapenv:Body></soapenv:Envelope>`
  );
}

export const OUTBOUND_MESSAGE_XML =
  '<fullName>Opportunity.Scoro_integration</fullName><apiVersion>62.0</apiVersion>' +
  '<endpointUrl>http://127.0.0.1:9/outbound</endpointUrl><fields>Id</fields><fields>Name</fields>' +
  '<fields>Amount</fields><includeSessionId>false</includeSessionId>' +
  '<integrationUser>integration@example.com</integrationUser><name>Scoro integration</name>' +
  '<protected>false</protected><useDeadLetterQueue>false</useDeadLetterQueue>';

export function flowXml(
  options: { status?: string; filters?: string; filterLogic?: string; extraStart?: string } = {},
): string {
  const filters =
    options.filters ??
    '<filters><field>StageName</field><operator>EqualTo</operator><value><stringValue>Closed Won</stringValue></value></filters>';
  return (
    '<fullName>Scoro_Opportunity_Flow</fullName>' +
    '<actionCalls><name>Send_to_Scoro</name><label>Send to Scoro</label><locationX>176</locationX><locationY>323</locationY>' +
    '<actionName>Opportunity.Scoro_integration</actionName><actionType>outboundMessage</actionType></actionCalls>' +
    '<apiVersion>62.0</apiVersion><label>Scoro Opportunity Flow</label><processType>AutoLaunchedFlow</processType>' +
    '<start><locationX>50</locationX><locationY>0</locationY><connector><targetReference>Send_to_Scoro</targetReference></connector>' +
    (options.extraStart ??
      '<doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria>') +
    `<filterLogic>${options.filterLogic ?? 'and'}</filterLogic>${filters}` +
    '<object>Opportunity</object><recordTriggerType>CreateAndUpdate</recordTriggerType><triggerType>RecordAfterSave</triggerType></start>' +
    `<status>${options.status ?? 'Active'}</status>`
  );
}

export function metadataElement(type: string, inner: string): string {
  return `<metadata xsi:type="${type}">${inner}</metadata>`;
}

export interface ParsedResult {
  success: boolean;
  fullName: string | undefined;
  created: string | undefined;
  errors: Array<{ statusCode: string; message: string; fields: string[] }>;
}

function responseElement(body: string): XmlElement {
  const root = parseXmlDocument(body);
  const soapBody = child(root, 'Body');
  const response = soapBody?.children[0];
  if (!response) throw new Error(`No response in ${body}`);
  return response;
}

export function parseResults(body: string): ParsedResult[] {
  return childrenNamed(responseElement(body), 'result').map((result) => ({
    success: childText(result, 'success') === 'true',
    fullName: childText(result, 'fullName'),
    created: childText(result, 'created'),
    errors: childrenNamed(result, 'errors').map((error) => ({
      statusCode: childText(error, 'statusCode') ?? '',
      message: childText(error, 'message') ?? '',
      fields: childrenNamed(error, 'fields').map((f) => f.text),
    })),
  }));
}

export function parseFault(body: string): { faultcode: string; faultstring: string } {
  const fault = responseElement(body);
  return {
    faultcode: childText(fault, 'faultcode') ?? '',
    faultstring: childText(fault, 'faultstring') ?? '',
  };
}

export function readRecords(body: string): XmlElement[] {
  const result = child(responseElement(body), 'result');
  return result ? childrenNamed(result, 'records') : [];
}
