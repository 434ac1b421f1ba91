import { parseOutboundMessage } from '../../../shared/adapters/soap/outbound-message-parser';
import { InvalidOutboundMessageError } from '../../../shared/domain/errors';
import { buildOutboundMessage, opportunities, readFixture, sfId } from '../../support/outbound-messages';

function refusal(xml: string): string {
  try {
    parseOutboundMessage(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOutboundMessageError);
    return (error as Error).message;
  }
  throw new Error('expected the message to be refused');
}

describe('parseOutboundMessage on real message shapes', () => {
  test('one notification: header, ids, text values kept as sent, nil as null, entities decoded', () => {
    const message = parseOutboundMessage(readFixture('opportunity-single.xml'));
    expect(message).toMatchObject({
      organizationId: '00D5g000004Ck1ZEAS',
      actionId: '04k5g000000GmaXAAS',
      sessionId: null,
      enterpriseUrl: 'https://acme.my.salesforce.com/services/Soap/c/62.0/00D5g000004Ck1Z',
      partnerUrl: 'https://acme.my.salesforce.com/services/Soap/u/62.0/00D5g000004Ck1Z',
    });
    expect(message.notifications).toHaveLength(1);
    const [notification] = message.notifications;
    expect(notification?.id).toBe('04l5g00000Ab12CAAR');
    expect(notification?.sObjectType).toBe('Opportunity');
    expect(notification?.fields).toEqual({
      Id: '0065g00000Xyz12AAB',
      AccountId: '0015g00000AbCdEAAV',
      Amount: '125000.0',
      CloseDate: '2026-12-31',
      CurrencyIsoCode: 'EUR',
      Description: null,
      IsClosed: 'false',
      Name: 'Acme & Sons <Web> relaunch – phase 2',
      Order_Number__c: '000123',
      OwnerId: '0055g00000Qr5tUAAR',
      StageName: 'Proposal/Price Quote',
      SystemModstamp: '2026-11-25T10:15:30.000Z',
    });
  });

  test('several notifications with 15-character ids become an array in order', () => {
    const message = parseOutboundMessage(readFixture('opportunity-batch-15-char-ids.xml'));
    expect(message.organizationId).toBe('00D5g000004Ck1Z');
    expect(message.notifications.map((n) => [n.id, n.fields.Id])).toEqual([
      ['04l5g00000Ab12D', '0065g00000Xyz13'],
      ['04l5g00000Ab12E', '0065g00000Xyz12'],
    ]);
    expect(message.notifications[0]?.fields.Amount).toBeNull();
  });

  test('a custom object type is read from xsi:type, with its __c fields', () => {
    const [notification] = parseOutboundMessage(readFixture('custom-object.xml')).notifications;
    expect(notification?.sObjectType).toBe('Project__c');
    expect(notification?.fields).toEqual({
      Id: 'a015g00000Pq9rSAAR',
      Budget__c: '4500.50',
      Name: 'Office move',
    });
  });

  test('a batch of 100 is accepted', () => {
    const message = parseOutboundMessage(buildOutboundMessage({ notifications: opportunities(100) }));
    expect(message.notifications).toHaveLength(100);
    expect(new Set(message.notifications.map((n) => n.fields.Id)).size).toBe(100);
  });

  test('other prefixes for the same namespaces are understood', () => {
    const xml = readFixture('opportunity-single.xml')
      .replaceAll('soapenv:', 'env:')
      .replace('xmlns:soapenv=', 'xmlns:env=')
      .replaceAll('sf:', 'o:')
      .replace('xmlns:sf=', 'xmlns:o=');
    expect(parseOutboundMessage(xml).notifications[0]?.fields.Order_Number__c).toBe('000123');
  });
});

describe('parseOutboundMessage refuses hostile and malformed input with a reason', () => {
  const single = readFixture('opportunity-single.xml');

  test('billion laughs', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${single.replace('<?xml version="1.0" encoding="UTF-8"?>', '').replace('Acme &amp;', '&lol3;')}`;
    expect(refusal(xml)).toMatch(/DOCTYPE/);
  });

  test('external entity', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${single
      .replace('<?xml version="1.0" encoding="UTF-8"?>', '')
      .replace('Acme &amp;', '&xxe;')}`;
    expect(refusal(xml)).toMatch(/DOCTYPE/);
  });

  test('two DOCTYPEs', () => {
    expect(refusal(`<!DOCTYPE a><!DOCTYPE b>${single}`)).toMatch(/DOCTYPE/);
  });

  test('a __proto__ element', () => {
    const xml = single.replace(
      '<sf:Amount>',
      '<sf:__proto__><sf:polluted>yes</sf:polluted></sf:__proto__><sf:Amount>',
    );
    refusal(xml);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a constructor field', () => {
    expect(refusal(single.replace('<sf:Amount>', '<sf:constructor>x</sf:constructor><sf:Amount>'))).toMatch(
      /"constructor" is not a Salesforce field name/,
    );
  });

  test('wrong outbound namespace', () => {
    expect(
      refusal(single.replace('http://soap.sforce.com/2005/09/outbound', 'http://example.com/other')),
    ).toMatch(/notifications.*http:\/\/soap\.sforce\.com\/2005\/09\/outbound/);
  });

  test('a SOAP 1.2 envelope', () => {
    expect(
      refusal(
        single.replace(
          'http://schemas.xmlsoap.org/soap/envelope/',
          'http://www.w3.org/2003/05/soap-envelope',
        ),
      ),
    ).toMatch(/SOAP 1\.1 Envelope/);
  });

  test('a JSON body', () => {
    expect(refusal('{"notifications":[{"Id":"04l5g00000Ab12CAAR"}]}')).toMatch(/not well-formed XML/);
  });

  test('an empty body', () => {
    expect(refusal('')).toMatch(/empty/);
    expect(refusal('   \n')).toMatch(/empty/);
  });

  test('101 notifications', () => {
    expect(refusal(buildOutboundMessage({ notifications: opportunities(101) }))).toMatch(/at most 100.*101/);
  });

  test('no notification at all', () => {
    expect(refusal(buildOutboundMessage({ notifications: [] }))).toMatch(/notifications/);
  });

  test('a missing OrganizationId is named', () => {
    expect(refusal(single.replace(/<OrganizationId>.*<\/OrganizationId>/, ''))).toMatch(
      /organizationId is missing/,
    );
  });

  test('a malformed record id is named', () => {
    expect(refusal(single.replace('<Id>04l5g00000Ab12CAAR</Id>', '<Id>not-an-id</Id>'))).toMatch(
      /notifications\.0\.id.*Salesforce id/,
    );
  });

  describe('every record id, as Salesforce writes it', () => {
    const three = () => opportunities(3);
    const withField = (index: number, name: string, value: string) => {
      const notifications = three();
      const target = notifications[index];
      if (target) target.fields[name] = value;
      return buildOutboundMessage({ notifications });
    };

    test.each([
      ["a SOQL injection in the record's Id", 'Id', "006' OR Id != '"],
      ['a three-letter Id', 'Id', 'abc'],
      [
        'an 18-character Id whose checksum does not match',
        'Id',
        `${opportunities(2)[1]?.fields.Id?.slice(0, 15)}AAB`,
      ],
      [
        'an 18-character Id lower-cased on the way',
        'Id',
        String(opportunities(2)[1]?.fields.Id).toLowerCase(),
      ],
      ['an AccountId with a quote in it', 'AccountId', "001' OR Name != '"],
      ['an OwnerId of 16 characters', 'OwnerId', '0055g00000Qr5tUA'],
    ])('%s is refused, naming the notification and the field', (_name, field, value) => {
      const message = refusal(withField(1, field, value));
      expect(message).toContain(`notifications.1.fields.${field} of notification ${sfId('04l', 2)} is `);
      expect(message).toMatch(/which is not a Salesforce id/);
    });

    test('15-character ids, exact 18-character ids and nil references pass; custom text fields ending in Id__c are not ids', () => {
      const notifications = three();
      const first = notifications[0];
      if (first) {
        first.fields.Id = String(first.fields.Id).slice(0, 15);
        first.fields.CampaignId = null;
        first.fields.Legacy_SystemId__c = 'not an id';
      }
      expect(parseOutboundMessage(buildOutboundMessage({ notifications })).notifications).toHaveLength(3);
    });

    test('an organization id with a wrong checksum is refused', () => {
      expect(refusal(single.replace('00D5g000004Ck1ZEAS', '00D5g000004Ck1ZAAA'))).toMatch(
        /organizationId must be a Salesforce id/,
      );
    });
  });

  test('an sObject without xsi:type', () => {
    expect(refusal(single.replace(' xsi:type="sf:Opportunity"', ''))).toMatch(/xsi:type/);
  });

  test('a field appearing twice', () => {
    expect(refusal(single.replace('<sf:Amount>', '<sf:Amount>1</sf:Amount><sf:Amount>'))).toMatch(
      /Amount appears twice/,
    );
  });

  test('a nested element inside a field', () => {
    expect(refusal(single.replace('<sf:Amount>125000.0', '<sf:Amount><sf:x>1</sf:x>'))).toMatch(
      /must hold text/,
    );
  });

  test('unclosed tags', () => {
    expect(refusal(single.slice(0, single.length - 30))).toMatch(/not well-formed XML/);
  });

  test('a 5 MB body is refused without hanging', () => {
    const filler = `<sf:Description>${'x'.repeat(5 * 1024 * 1024)}</sf:Description>`;
    // The parser itself accepts large text; the 1 MiB cap is the handler's job (see the handler
    // tests). Here: a huge, malformed body is refused quickly and cleanly.
    expect(
      refusal(single.replace('<sf:Description xsi:nil="true"/>', filler).replace('</soapenv:Envelope>', '')),
    ).toMatch(/not well-formed XML/);
  });
});

describe('XML 1.0, exactly', () => {
  const single = readFixture('opportunity-single.xml');
  const named = (value: string) => single.replace(/<sf:Name>[^<]*<\/sf:Name>/, `<sf:Name>${value}</sf:Name>`);
  const nameOf = (xml: string) => parseOutboundMessage(xml).notifications[0]?.fields.Name;

  test.each([
    ['&#0;', /&#0; refers to U\+0000/],
    ['&#x0;', /U\+0000/],
    ['&#xD800;', /&#xD800; refers to U\+D800/],
    ['&#xDFFF;', /U\+DFFF/],
    ['&#x110000;', /&#x110000; refers to U\+110000/],
    ['&#xFFFE;', /U\+FFFE/],
    ['&#1;', /U\+0001/],
    ['&#99999999;', /refers to U\+5F5E0FF/],
    ['&#123456789;', /must start one of the references/],
    ['\u0000', /the character U\+0000 is not allowed/],
    ['\u0001', /the character U\+0001 is not allowed/],
    ['\u001F', /U\+001F/],
    ['\uFFFE', /U\+FFFE/],
    ['\uFFFF', /U\+FFFF/],
    ['\uD800 a lone surrogate', /U\+D800/],
    ['&nbsp;', /no other entity is declared/],
    ['AT&T', /"&" must start one of the references/],
    ['&amp', /"&" must start/],
  ])('%j in a field is refused, with where it is', (value, reason) => {
    const message = refusal(named(value));
    expect(message).toMatch(/not well-formed XML 1\.0/);
    expect(message).toMatch(reason);
    expect(message).toMatch(/line \d+, column \d+/);
  });

  test('an illegal reference in an attribute value is refused too', () => {
    expect(refusal(single.replace('xsi:type="sf:Opportunity"', 'xsi:type="sf:Opportunity&#0;"'))).toMatch(
      /U\+0000/,
    );
  });

  test('characters XML allows, raw or as references, arrive as they were', () => {
    expect(nameOf(named('😀 مرحبا 你好 \t tab'))).toBe('😀 مرحبا 你好 \t tab');
    expect(nameOf(named('&#x1F600;&#233;&#xE000;&#xFFFD;&#x10FFFF;'))).toBe('😀é\uE000\uFFFD\u{10FFFF}');
    expect(nameOf(named('a &lt; b &amp;&amp; c &gt; d &quot;e&quot; &apos;f&apos;'))).toBe(
      `a < b && c > d "e" 'f'`,
    );
  });

  test('CDATA stays literal: its "&amp;" is five characters, its "<" is text', () => {
    expect(nameOf(named('<![CDATA[a &amp; b < c]]>'))).toBe('a &amp; b < c');
    expect(nameOf(named('x <![CDATA[&#0;]]> y'))).toBe('x &#0; y');
    expect(nameOf(named('<![CDATA[]]>'))).toBe('');
  });

  test('a comment may hold "&"; a processing instruction is ignored', () => {
    expect(nameOf(named('Acme<!-- & co -->'))).toBe('Acme');
  });

  test.each([
    ['an element name', (n: string) => single.replace('<sf:Name>', `<sf:${n}>x</sf:${n}><sf:Name>`)],
    ['an unknown element anywhere', (n: string) => single.replace('<soapenv:Body>', `<soapenv:Body><${n}/>`)],
    ['an attribute name', (n: string) => single.replace('<sf:Name>', `<sf:Name ${n}="1">`)],
  ])('%s of 100,000 characters is refused', (_what, build) => {
    expect(refusal(build('a'.repeat(100_000)))).toMatch(/A name is 1000\d\d characters long; at most 255/);
  });

  test('a qualified name of 255 characters is a name; nesting beyond 32 is refused', () => {
    const name = `X${'a'.repeat(251)}`; // sf:X… is 255 characters
    expect(() =>
      parseOutboundMessage(single.replace('<sf:Name>', `<sf:${name}>x</sf:${name}><sf:Name>`)),
    ).not.toThrow();
    const deep = `${'<x>'.repeat(40)}${'</x>'.repeat(40)}`;
    expect(refusal(single.replace('<soapenv:Body>', `<soapenv:Body><junk>${deep}</junk>`))).toMatch(
      /nest more than 32/,
    );
  });

  test('a declaration naming an encoding other than UTF-8 is refused; UTF-8 in any spelling is read', () => {
    expect(refusal(single.replace('encoding="UTF-8"', "encoding='ISO-8859-1'"))).toMatch(
      /declares the encoding ISO-8859-1; outbound messages are UTF-8/,
    );
    expect(() => parseOutboundMessage(single.replace('encoding="UTF-8"', 'encoding="utf8"'))).not.toThrow();
  });

  test('an element with more than 64 attributes is refused before parsing; 64 are read', () => {
    const attributes = (n: number) => Array.from({ length: n }, (_, i) => `a${i}="v"`).join(' ');
    expect(refusal(single.replace('<sf:Name>', `<sf:Name ${attributes(65)}>`))).toMatch(
      /An element carries 65 attributes; at most 64 are accepted \(line \d+, column \d+\)/,
    );
    expect(() =>
      parseOutboundMessage(single.replace('<sf:Name>', `<sf:Name ${attributes(64)}>`)),
    ).not.toThrow();
  });

  test('a value of the wrong type is named as such, not as missing', () => {
    expect(
      refusal(single.replace(/<OrganizationId>[^<]*<\/OrganizationId>/, '<OrganizationId xsi:nil="true"/>')),
    ).toMatch(/organizationId Invalid input: expected string, received null/);
  });
});
