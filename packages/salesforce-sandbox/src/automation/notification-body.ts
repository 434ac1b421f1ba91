import type { SObjectDescribe, SObjectRecord } from '../contracts';

/** Doubles as Java prints them, which is how Salesforce's SOAP messages carry them (45000 → "45000.0", 1.2E7). */
export function javaDouble(value: number): string {
  if (value === 0) return '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

function dateTimeText(value: unknown): string {
  const parsed = new Date(String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(parsed.getTime()) ? String(value) : parsed.toISOString();
}

/** The text of one field in the enterprise WSDL's types: all values are text. */
export function fieldText(value: unknown, fieldType: string | undefined): string {
  switch (fieldType) {
    case 'currency':
    case 'double':
    case 'percent':
      return typeof value === 'number' ? javaDouble(value) : String(value);
    case 'int':
      return typeof value === 'number' ? String(Math.trunc(value)) : String(value);
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'date':
      return String(value).slice(0, 10);
    case 'datetime':
      return dateTimeText(value);
    default:
      if (typeof value === 'number') return Number.isInteger(value) ? String(value) : javaDouble(value);
      return String(value);
  }
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface NotificationInput {
  id: string;
  record: SObjectRecord;
}

export interface NotificationsEnvelope {
  organizationId: string;
  actionId: string;
  enterpriseUrl: string;
  partnerUrl: string;
  sObjectType: string;
  /** Configured fields; Id is always sent first, the rest in the WSDL's (alphabetical) order. */
  fields: readonly string[];
  describe: SObjectDescribe | undefined;
  notifications: readonly NotificationInput[];
}

/**
 * The outbound message as Salesforce sends it: SOAP 1.1, `notifications` in
 * http://soap.sforce.com/2005/09/outbound, one `Notification` per record with only the configured
 * fields, null fields left out.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm
 */
export function buildNotificationsBody(input: NotificationsEnvelope): string {
  const types = new Map(input.describe?.fields.map((f) => [f.name, f.type]) ?? []);
  const others = input.fields
    .filter((field) => field !== 'Id')
    .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  const fieldOrder = ['Id', ...others];
  const notifications = input.notifications.map((notification) => {
    const fieldLines = fieldOrder
      .map((field) => {
        const value = notification.record[field];
        if (value === null || value === undefined) return undefined;
        return `     <sf:${field}>${escapeText(fieldText(value, types.get(field)))}</sf:${field}>`;
      })
      .filter((line): line is string => line !== undefined);
    return [
      '   <Notification>',
      `    <Id>${notification.id}</Id>`,
      `    <sObject xsi:type="sf:${input.sObjectType}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">`,
      ...fieldLines,
      '    </sObject>',
      '   </Notification>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    ' <soapenv:Body>',
    '  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">',
    `   <OrganizationId>${input.organizationId}</OrganizationId>`,
    `   <ActionId>${input.actionId}</ActionId>`,
    '   <SessionId xsi:nil="true"/>',
    `   <EnterpriseUrl>${escapeText(input.enterpriseUrl)}</EnterpriseUrl>`,
    `   <PartnerUrl>${escapeText(input.partnerUrl)}</PartnerUrl>`,
    ...notifications,
    '  </notifications>',
    ' </soapenv:Body>',
    '</soapenv:Envelope>',
  ].join('\n');
}
