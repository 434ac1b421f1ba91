import { escapeXmlText } from './xml-text';

/**
 * The acknowledgement Salesforce expects; anything else makes it retry.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_listener.htm
 */
export const ACK_BODY =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>' +
  '</soapenv:Body></soapenv:Envelope>';

export const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

/** A SOAP 1.1 fault: `Client` when the sender must change the request, `Server` when we failed. */
export function soapFault(code: 'Client' | 'Server', message: string): string {
  return (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
    `<faultcode>soapenv:${code}</faultcode><faultstring>${escapeXmlText(message)}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}
