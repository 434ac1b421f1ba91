import type { HttpResult } from '../contracts';
import { escapeXml } from './xml';

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

/** A SOAP fault: Salesforce answers HTTP 500 with `faultcode`/`faultstring` (jsforce reads both). */
export class SoapFault extends Error {
  override readonly name = 'SoapFault';
  constructor(
    readonly faultCode: string,
    readonly faultString: string,
  ) {
    super(faultString);
  }
}

/** Schema violations are client faults, worded as Salesforce words them. */
export function invalidElementFault(element: string, typeName: string): SoapFault {
  return new SoapFault(
    'soapenv:Client',
    `Element {${METADATA_NS}}${element} invalid at this location in type ${typeName}`,
  );
}

const XML_HEADERS = { 'Content-Type': 'text/xml; charset=utf-8' };

export function soapResponse(operation: string, resultXml: string): HttpResult {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ` xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soapenv:Body><${operation}Response>${resultXml}</${operation}Response></soapenv:Body></soapenv:Envelope>`;
  return { status: 200, headers: { ...XML_HEADERS }, body };
}

export function soapFaultResponse(fault: SoapFault): HttpResult {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ` xmlns:sf="${METADATA_NS}"><soapenv:Body><soapenv:Fault>` +
    `<faultcode>${escapeXml(fault.faultCode)}</faultcode>` +
    `<faultstring>${escapeXml(fault.faultString)}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>';
  return { status: 500, headers: { ...XML_HEADERS }, body };
}
