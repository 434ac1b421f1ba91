import { isAcknowledged } from '../../../src/automation/ack';

const envelope = (inner: string) =>
  `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;

describe('outbound message acknowledgement', () => {
  it('accepts only notificationsResponse with Ack true', () => {
    expect(
      isAcknowledged(
        envelope(
          '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>',
        ),
      ),
    ).toBe(true);
    expect(isAcknowledged(envelope('<notificationsResponse><Ack>false</Ack></notificationsResponse>'))).toBe(
      false,
    );
    expect(
      isAcknowledged(envelope('<soapenv:Fault><faultcode>soapenv:Server</faultcode></soapenv:Fault>')),
    ).toBe(false);
    expect(isAcknowledged('OK')).toBe(false);
    expect(
      isAcknowledged(
        '<!DOCTYPE x [<!ENTITY a "true">]><Envelope><Body><notificationsResponse><Ack>&a;</Ack></notificationsResponse></Body></Envelope>',
      ),
    ).toBe(false);
  });
});
