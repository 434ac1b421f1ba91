import { buildNotificationsBody, javaDouble } from '../../../src/automation/notification-body';
import { FakeStore } from './fakes';

describe('outbound message body', () => {
  it('prints doubles the way Salesforce (Java) does', () => {
    expect(javaDouble(45000)).toBe('45000.0');
    expect(javaDouble(1200.5)).toBe('1200.5');
    expect(javaDouble(0)).toBe('0.0');
    expect(javaDouble(12_000_000)).toBe('1.2E7');
    expect(javaDouble(0.0001)).toBe('1.0E-4');
  });

  it('matches the documented notifications shape with only the configured, non-null fields', () => {
    const store = new FakeStore();
    const body = buildNotificationsBody({
      organizationId: '00D5g00000Fake1AAA',
      actionId: '04k5g0000000001AAA',
      enterpriseUrl: 'http://127.0.0.1:3001/services/Soap/c/62.0/00D5g00000Fake1',
      partnerUrl: 'http://127.0.0.1:3001/services/Soap/u/62.0/00D5g00000Fake1',
      sObjectType: 'Opportunity',
      fields: [
        'StageName',
        'Amount',
        'Id',
        'IsWon',
        'CloseDate',
        'LastModifiedDate',
        'Description',
        'FiscalQuarter',
      ],
      describe: store.describe('Opportunity'),
      notifications: [
        {
          id: '04l5g0000000001AAA',
          record: {
            Id: '0065g0000000001AAA',
            Name: 'not configured',
            StageName: 'Closed Won',
            Amount: 1000,
            IsWon: true,
            CloseDate: '2026-03-31',
            LastModifiedDate: '2026-01-05T09:00:00.000+0000',
            Description: null,
            FiscalQuarter: 1,
          },
        },
      ],
    });
    expect(body).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        ' <soapenv:Body>',
        '  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">',
        '   <OrganizationId>00D5g00000Fake1AAA</OrganizationId>',
        '   <ActionId>04k5g0000000001AAA</ActionId>',
        '   <SessionId xsi:nil="true"/>',
        '   <EnterpriseUrl>http://127.0.0.1:3001/services/Soap/c/62.0/00D5g00000Fake1</EnterpriseUrl>',
        '   <PartnerUrl>http://127.0.0.1:3001/services/Soap/u/62.0/00D5g00000Fake1</PartnerUrl>',
        '   <Notification>',
        '    <Id>04l5g0000000001AAA</Id>',
        '    <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">',
        '     <sf:Id>0065g0000000001AAA</sf:Id>',
        '     <sf:Amount>1000.0</sf:Amount>',
        '     <sf:CloseDate>2026-03-31</sf:CloseDate>',
        '     <sf:FiscalQuarter>1</sf:FiscalQuarter>',
        '     <sf:IsWon>true</sf:IsWon>',
        '     <sf:LastModifiedDate>2026-01-05T09:00:00.000Z</sf:LastModifiedDate>',
        '     <sf:StageName>Closed Won</sf:StageName>',
        '    </sObject>',
        '   </Notification>',
        '  </notifications>',
        ' </soapenv:Body>',
        '</soapenv:Envelope>',
      ].join('\n'),
    );
  });
});
