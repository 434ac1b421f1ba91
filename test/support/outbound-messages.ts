import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeXmlText } from '../../shared/adapters/soap/xml-text';
import { toId18 } from '../../shared/domain/salesforce-id';

export function readFixture(name: string): string {
  return readFileSync(join(__dirname, '..', 'fixtures', 'outbound', name), 'utf8');
}

export const FIXTURE_ORG_ID = '00D5g000004Ck1ZEAS';

/** A 15-character id with the given key prefix and a number, in its 18-character form. */
export function sfId(prefix: string, n: number): string {
  return toId18(`${prefix}5g${String(n).padStart(10, '0')}`);
}

export interface OpportunityNotification {
  notificationId?: string;
  fields: Record<string, string | null>;
}

/**
 * Builds an outbound message in exactly the envelope Salesforce sends (see the fixtures),
 * for tests that need many notifications or particular fields.
 */
export function buildOutboundMessage(options: {
  organizationId?: string;
  sObjectType?: string;
  notifications: OpportunityNotification[];
}): string {
  const org = options.organizationId ?? FIXTURE_ORG_ID;
  const type = options.sObjectType ?? 'Opportunity';
  const items = options.notifications
    .map((n, i) => {
      const fields = Object.entries(n.fields)
        .map(([k, v]) =>
          v === null ? `<sf:${k} xsi:nil="true"/>` : `<sf:${k}>${escapeXmlText(v)}</sf:${k}>`,
        )
        .join('\n     ');
      return `   <Notification>
    <Id>${n.notificationId ?? sfId('04l', i + 1)}</Id>
    <sObject xsi:type="sf:${type}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     ${fields}
    </sObject>
   </Notification>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>${org}</OrganizationId>
   <ActionId>04k5g000000GmaXAAS</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/62.0/${org.slice(0, 15)}</EnterpriseUrl>
   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/62.0/${org.slice(0, 15)}</PartnerUrl>
${items}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>
`;
}

/** N opportunities at the stage, each with its own id. */
export function opportunities(count: number): OpportunityNotification[] {
  return Array.from({ length: count }, (_, i) => ({
    fields: {
      Id: sfId('006', i + 1),
      AccountId: sfId('001', i + 1),
      Amount: `${1000 + i}.0`,
      Name: `Opportunity ${i + 1}`,
      StageName: 'Proposal/Price Quote',
      SystemModstamp: '2026-11-25T10:15:30.000Z',
    },
  }));
}
