import { child, parseXmlDocument, XmlParseError } from '../metadata/xml';

/** True only for Salesforce's success: a SOAP body `notificationsResponse` whose `Ack` is true. */
export function isAcknowledged(body: string): boolean {
  try {
    const envelope = parseXmlDocument(body);
    if (envelope.local !== 'Envelope') return false;
    const soapBody = child(envelope, 'Body');
    const response = soapBody ? child(soapBody, 'notificationsResponse') : undefined;
    const ack = response ? child(response, 'Ack') : undefined;
    return ack?.text.trim() === 'true' || ack?.text.trim() === '1';
  } catch (error) {
    if (error instanceof XmlParseError) return false;
    throw error;
  }
}
