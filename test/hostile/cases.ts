import { gzipSync } from 'node:zlib';
import { DEMO_SETTINGS } from '../../local/demo';
import { buildOutboundMessage } from '../support/outbound-messages';
import { type RawPart, requestBytes } from './raw-http';

/**
 * The hostile corpus: one row per input a careless or hostile sender can make, sent to the
 * local stack as bytes (test/hostile/corpus.test.ts runs every row; `npm run bench -- hostile`
 * times it). A refusal names its status and what its answer must say; the runner checks that
 * nothing was queued or stored and that the stack is still healthy. An accepted row says what
 * the sync must have stored: accepted means never lost.
 */
export type CaseGroup =
  | 'entities and DOCTYPE'
  | 'sizes and counts'
  | 'structure and namespaces'
  | 'ids, orgs and secrets'
  | 'encodings'
  | 'methods and content types'
  | 'paths'
  | 'slow clients'
  | 'admin JSON and settings'
  | 'lines and PDFs';

export interface CorpusContext {
  /** The demo site's outbound-message path, secret included. */
  outboundPath: string;
  organizationId: string;
  adminToken: string;
  /** A JWT of a user (not an admin) of the demo site. */
  userToken: string;
  /** A quote of the demo site. */
  quoteId: string;
  stage: string;
  freshOpportunity(): Opportunity;
  quotesOf(opportunityId: string): Promise<Array<{ title: string; description?: string }>>;
  logOf(opportunityId: string): Promise<Array<{ outcome: string; reason?: string }>>;
}

export interface Opportunity {
  Id: string;
  AccountId: string;
  SystemModstamp: string;
}

/** What one run of a case works on: fresh opportunities in the sandbox org, not at the stage. */
export interface CaseRun extends CorpusContext {
  opportunity: Opportunity;
  /** Two more, for cases whose message carries neighbours. */
  neighbours: [Opportunity, Opportunity];
}

export interface HostileCase {
  group: CaseGroup;
  name: string;
  request(run: CaseRun): RawPart[];
  status: number;
  /** The answer names what was wrong. */
  says?: RegExp;
  /** Accepted: what the sync must have stored for the run's opportunity. */
  stored?(run: CaseRun): Promise<string | undefined>;
  /**
   * What its time is bound by, when not by the service alone (the 50 ms bound is for the rest):
   * `size`, it grows with its size; `time`, it waits for the gateway's limits by design;
   * `salesforce`, it cannot be refused before the org answers (settings checked against describe).
   */
  bound?: 'size' | 'time' | 'salesforce';
}

const HOSTILE = 'HOSTILE-VALUE';

/** A notification of an opportunity at the stage, as the flow sends it. */
const notification = (
  run: CaseRun,
  opportunity: Opportunity,
  fields: Record<string, string | null> = {},
) => ({
  fields: {
    Id: opportunity.Id,
    AccountId: opportunity.AccountId,
    Name: HOSTILE,
    StageName: run.stage,
    Amount: '1200.0',
    SystemModstamp: opportunity.SystemModstamp,
    ...fields,
  },
});

/** A one-notification outbound message for the run's opportunity, its Name `name` as raw XML text. */
function soap(run: CaseRun, options: { name?: string; fields?: Record<string, string | null> } = {}): string {
  const xml = buildOutboundMessage({
    organizationId: run.organizationId,
    notifications: [notification(run, run.opportunity, options.fields)],
  });
  return xml.replace(HOSTILE, options.name ?? 'Corpus opportunity');
}

/** Six fields of 32,000 "é": a queued body (non-ASCII escaped) of more than 1 MiB, an XML body of 384 KB. */
const wideFields = () =>
  Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`Wide${i}__c`, 'é'.repeat(32_000)]));

function post(
  path: string,
  body: string | Buffer,
  options: { contentType?: string | null; method?: string; headers?: Record<string, string> } = {},
): RawPart[] {
  const contentType = options.contentType === undefined ? 'text/xml; charset=utf-8' : options.contentType;
  return [
    requestBytes({
      method: options.method ?? 'POST',
      target: path,
      body,
      headers: { ...(contentType === null ? {} : { 'content-type': contentType }), ...options.headers },
    }),
  ];
}

const outbound = (run: CaseRun, body: string | Buffer, options?: Parameters<typeof post>[2]) =>
  post(run.outboundPath, body, options);

/** An admin API call with a JSON body, as the operator (or `token`). */
function admin(
  run: CaseRun,
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string | null; raw?: string; contentType?: string } = {},
): RawPart[] {
  const token = options.token === undefined ? run.adminToken : options.token;
  const text = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  return [
    requestBytes({
      method,
      target: path.replace('{quoteId}', run.quoteId),
      ...(text === undefined ? {} : { body: text }),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(text === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }),
      },
    }),
  ];
}

/** The stored quote's title, once the sync has stored it. */
const quoteTitled = (expected: string) => async (run: CaseRun) => {
  const [quote] = await run.quotesOf(run.opportunity.Id);
  if (quote === undefined) return undefined;
  return quote.title === expected ? 'stored' : `stored with the title ${JSON.stringify(quote.title)}`;
};

/** A SOAP fault for the sender (the runner matches the answer with its XML references decoded). */
/** A failed outcome in the sync log for the run's opportunity, its reason matching. */
const failureLogged = (reason: RegExp) => async (run: CaseRun) => {
  const [entry] = await run.logOf(run.opportunity.Id);
  if (entry === undefined) return undefined;
  return entry.outcome === 'failed' && reason.test(entry.reason ?? '')
    ? 'stored'
    : `logged ${entry.outcome}: ${entry.reason}`;
};

const faultSays = (reason: string) =>
  new RegExp(`<faultcode>soapenv:Client</faultcode><faultstring>.*${reason}`);

/** The run's message with `element` (raw XML) as one more field of its sObject. */
const withElement = (run: CaseRun, element: string) =>
  soap(run).replace('</sObject>', `${element}</sObject>`);

/** A notification field set to `value` (raw XML text). */
const withField = (field: string, value: string) => (run: CaseRun) =>
  outbound(
    run,
    field === 'Name' ? soap(run, { name: value }) : withElement(run, `<sf:${field}>${value}</sf:${field}>`),
  );

const billionLaughs = [
  '<!DOCTYPE lolz [',
  '<!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
  ']>',
].join('');

const validSettings = {
  ...DEMO_SETTINGS,
  opportunityToQuote: { enabled: true, stage: 'Proposal/Price Quote' },
};
const line = { name: 'Design', quantity: '1', unitPrice: '100' };

const headerOf = (xml: string) => xml.slice(0, xml.indexOf('<soapenv:Envelope'));
const envelopeOf = (xml: string) => xml.slice(xml.indexOf('<soapenv:Envelope'));

export const HOSTILE_CASES: HostileCase[] = [
  // ── XML entities and DOCTYPE ────────────────────────────────────────────────────────────────
  {
    group: 'entities and DOCTYPE',
    name: 'billion laughs (nested internal entities in a DOCTYPE)',
    request: (run) =>
      outbound(run, `${headerOf(soap(run))}${billionLaughs}${envelopeOf(soap(run, { name: '&lol9;' }))}`),
    status: 400,
    says: faultSays('DOCTYPE declarations are not accepted'),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'external entity (XXE) reading a local file',
    request: (run) =>
      outbound(
        run,
        `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${envelopeOf(soap(run, { name: '&xxe;' }))}`,
      ),
    status: 400,
    says: faultSays('DOCTYPE'),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'parameter entity with an external URL',
    request: (run) =>
      outbound(
        run,
        `<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>${envelopeOf(soap(run))}`,
      ),
    status: 400,
    says: faultSays('DOCTYPE'),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'lower-case doctype',
    request: (run) => outbound(run, `<!doctype x>${envelopeOf(soap(run))}`),
    status: 400,
    says: faultSays('DOCTYPE'),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'an undeclared entity &foo;',
    request: (run) => outbound(run, soap(run, { name: 'a &foo; b' })),
    status: 400,
    says: faultSays('no other entity is declared'),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'a bare ampersand in text',
    request: (run) => outbound(run, soap(run, { name: 'Smith & Sons' })),
    status: 400,
    says: faultSays('"&" must start one of the references'),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'an unterminated reference &amp',
    request: (run) => outbound(run, soap(run, { name: 'a &amp b' })),
    status: 400,
    says: faultSays('must start one of the references'),
  },
  {
    group: 'entities and DOCTYPE',
    name: '&#0; (U+0000 by reference)',
    request: (run) => outbound(run, soap(run, { name: 'a&#0;b' })),
    status: 400,
    says: faultSays('&#0; refers to U\\+0000, which XML 1.0 does not allow'),
  },
  {
    group: 'entities and DOCTYPE',
    name: '&#xD800; (a lone surrogate by reference)',
    request: (run) => outbound(run, soap(run, { name: 'a&#xD800;b' })),
    status: 400,
    says: faultSays('refers to U\\+D800'),
  },
  {
    group: 'entities and DOCTYPE',
    name: '&#x110000; (past Unicode)',
    request: (run) => outbound(run, soap(run, { name: 'a&#x110000;b' })),
    status: 400,
    says: faultSays('refers to U\\+110000'),
  },
  {
    group: 'entities and DOCTYPE',
    name: '&#99999999999; (a reference too long to be a code point)',
    request: (run) => outbound(run, soap(run, { name: 'a&#99999999999;b' })),
    status: 400,
    says: faultSays('must start one of the references'),
  },
  {
    group: 'entities and DOCTYPE',
    name: '&#x1; (a control character by reference)',
    request: (run) => outbound(run, soap(run, { name: 'a&#x1;b' })),
    status: 400,
    says: faultSays('refers to U\\+0001'),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'CDATA stays literal: <![CDATA[a &amp; b]]> is stored as "a &amp; b"',
    request: (run) => outbound(run, soap(run, { name: '<![CDATA[a &amp; b <c>]]>' })),
    status: 200,
    stored: quoteTitled('a &amp; b <c>'),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'the five predefined entities and character references decode once',
    request: (run) => outbound(run, soap(run, { name: '&lt;b&gt; &amp;amp; &quot;&apos; &#x263A;&#9731;' })),
    status: 200,
    stored: quoteTitled(`<b> &amp; "' ☺☃`),
  },
  {
    group: 'entities and DOCTYPE',
    name: 'an entity reference inside a comment is no reference',
    request: (run) => outbound(run, soap(run, { name: 'Commented<!-- &nope; -->' })),
    status: 200,
    stored: quoteTitled('Commented'),
  },

  // ── sizes and counts ────────────────────────────────────────────────────────────────────────
  {
    group: 'sizes and counts',
    name: '101 notifications',
    request: (run) =>
      outbound(
        run,
        buildOutboundMessage({
          organizationId: run.organizationId,
          notifications: Array.from({ length: 101 }, () => ({ fields: { Id: run.opportunity.Id } })),
        }),
      ),
    status: 400,
    says: faultSays('at most 100 notifications; this one has 101'),
  },
  {
    group: 'sizes and counts',
    name: 'no notification at all',
    request: (run) =>
      outbound(run, buildOutboundMessage({ organizationId: run.organizationId, notifications: [] })),
    status: 400,
    says: faultSays('notifications Too small'),
  },
  {
    group: 'sizes and counts',
    name: 'a body over the ack’s 1 MiB',
    request: (run) => outbound(run, soap(run, { fields: { Description: 'x'.repeat(1024 * 1024) } })),
    status: 413,
    says: /this endpoint accepts at most 1048576 bytes/,
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: 'a body over API Gateway’s 10 MB',
    request: (run) => outbound(run, Buffer.alloc(10 * 1024 * 1024 + 1, 'x')),
    status: 413,
    says: /Request Entity Too Large: the body exceeds 10485760 bytes/,
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: 'a chunked body over 10 MB',
    request: (run) => {
      const chunk = Buffer.alloc(1024 * 1024, 'y');
      const framed = Buffer.concat([
        Buffer.from(`${chunk.length.toString(16)}\r\n`),
        chunk,
        Buffer.from('\r\n'),
      ]);
      return [
        requestBytes({
          method: 'POST',
          target: run.outboundPath,
          noContentLength: true,
          headers: { 'content-type': 'text/xml', 'transfer-encoding': 'chunked' },
        }),
        ...Array.from({ length: 11 }, () => framed),
        '0\r\n\r\n',
      ];
    },
    status: 413,
    says: /Request Entity Too Large/,
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: 'an element name of 100,000 characters',
    request: (run) => {
      const name = `sf:${'N'.repeat(100_000)}`;
      return outbound(run, withElement(run, `<${name}>y</${name}>`));
    },
    status: 400,
    says: faultSays('A name is 100003 characters long; at most 255 are accepted'),
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: 'an attribute name of 10,000 characters',
    request: (run) =>
      outbound(run, soap(run).replace('<notifications ', `<notifications ${'a'.repeat(10_000)}="1" `)),
    status: 400,
    says: faultSays('A name is 10002 characters long'),
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: 'elements nested 5,000 deep',
    request: (run) => outbound(run, soap(run, { name: `${'<sf:x>'.repeat(5000)}${'</sf:x>'.repeat(5000)}` })),
    status: 400,
    says: faultSays('(Maximum nested tags exceeded|nest more than 32 deep)'),
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: '20,000 attributes on one element',
    request: (run) =>
      outbound(
        run,
        soap(run).replace(
          '<notifications ',
          `<notifications ${Array.from({ length: 20_000 }, (_, i) => `a${i}="1"`).join(' ')} `,
        ),
      ),
    status: 400,
    says: faultSays('An element carries 2000[01] attributes; at most 64 are accepted'),
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: 'a Description of 100,000 characters: its failure is recorded naming the field, the message acknowledged',
    request: (run) => outbound(run, soap(run, { fields: { Description: 'd'.repeat(100_000) } })),
    status: 200,
    stored: failureLogged(/Description is longer than 32000 characters/),
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: 'a notification whose queued body passes SQS’s limit: recorded as failed, the message acknowledged',
    request: (run) => outbound(run, soap(run, { fields: wideFields() })),
    status: 200,
    stored: failureLogged(/the sync queue refused the notification/),
    bound: 'size',
  },
  {
    group: 'sizes and counts',
    name: 'one notification the queue refuses between two valid ones: both become quotes with their created entries',
    request: (run) =>
      outbound(
        run,
        buildOutboundMessage({
          organizationId: run.organizationId,
          notifications: [
            notification(run, run.neighbours[0], { Name: 'Neighbour before' }),
            notification(run, run.opportunity, { Name: 'Doomed', ...wideFields() }),
            notification(run, run.neighbours[1], { Name: 'Neighbour after' }),
          ],
        }),
      ),
    status: 200,
    stored: async (run) => {
      const doomed = await failureLogged(/the sync queue refused the notification/)(run);
      if (doomed !== 'stored') return doomed;
      for (const [neighbour, title] of [
        [run.neighbours[0], 'Neighbour before'],
        [run.neighbours[1], 'Neighbour after'],
      ] as const) {
        const [quote] = await run.quotesOf(neighbour.Id);
        const log = await run.logOf(neighbour.Id);
        if (quote === undefined || !log.some((entry) => entry.outcome === 'created')) return undefined;
        if (quote.title !== title) return `${neighbour.Id} stored as ${JSON.stringify(quote.title)}`;
      }
      return 'stored';
    },
    bound: 'size',
  },

  // ── structure and namespaces ────────────────────────────────────────────────────────────────
  {
    group: 'structure and namespaces',
    name: 'a root that is no SOAP envelope',
    request: (run) => outbound(run, '<?xml version="1.0"?><notifications/>'),
    status: 400,
    says: faultSays('The root element must be a SOAP 1.1 Envelope'),
  },
  {
    group: 'structure and namespaces',
    name: 'a SOAP 1.2 envelope',
    request: (run) =>
      outbound(
        run,
        soap(run).replaceAll(
          'http://schemas.xmlsoap.org/soap/envelope/',
          'http://www.w3.org/2003/05/soap-envelope',
        ),
      ),
    status: 400,
    says: faultSays('SOAP 1.1 Envelope'),
  },
  {
    group: 'structure and namespaces',
    name: 'an envelope without a Body',
    request: (run) =>
      outbound(
        run,
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/></soapenv:Envelope>',
      ),
    status: 400,
    says: faultSays('<Body> is missing'),
  },
  {
    group: 'structure and namespaces',
    name: 'two Bodies',
    request: (run) =>
      outbound(run, soap(run).replace('</soapenv:Body>', '</soapenv:Body><soapenv:Body></soapenv:Body>')),
    status: 400,
    says: faultSays('<Body> appears 2 times'),
  },
  {
    group: 'structure and namespaces',
    name: 'notifications in another namespace',
    request: (run) => outbound(run, soap(run).replace('http://soap.sforce.com/2005/09/outbound', 'urn:evil')),
    status: 400,
    says: faultSays('must hold <notifications> in namespace'),
  },
  {
    group: 'structure and namespaces',
    name: 'an sObject without xsi:type',
    request: (run) => outbound(run, soap(run).replace(' xsi:type="sf:Opportunity"', '')),
    status: 400,
    says: faultSays('<sObject> has no xsi:type'),
  },
  {
    group: 'structure and namespaces',
    name: 'xsi:type in another namespace',
    request: (run) =>
      outbound(run, soap(run).replace('xsi:type="sf:Opportunity"', 'xsi:type="xsd:Opportunity"')),
    status: 400,
    says: faultSays('is not in namespace urn:sobject.enterprise.soap.sforce.com'),
  },
  {
    group: 'structure and namespaces',
    name: 'a field in another namespace',
    request: (run) => outbound(run, withElement(run, '<evil:Name xmlns:evil="urn:evil">y</evil:Name>')),
    status: 400,
    says: faultSays('field <evil:Name> is not in namespace'),
  },
  {
    group: 'structure and namespaces',
    name: 'a field named __proto__',
    request: (run) => outbound(run, withElement(run, '<sf:__proto__>polluted</sf:__proto__>')),
    status: 400,
    says: faultSays('"__proto__" is not a Salesforce field name'),
  },
  {
    group: 'structure and namespaces',
    name: 'a field named constructor',
    request: (run) => outbound(run, soap(run, { fields: { constructor: 'x' } })),
    status: 400,
    says: faultSays('"constructor" is not a Salesforce field name'),
  },
  {
    group: 'structure and namespaces',
    name: 'a field twice',
    request: (run) => outbound(run, soap(run, { name: 'a</sf:Name><sf:Name>b' })),
    status: 400,
    says: faultSays('field Name appears twice'),
  },
  {
    group: 'structure and namespaces',
    name: 'a field holding elements',
    request: (run) => outbound(run, soap(run, { name: '<sf:inner>x</sf:inner>' })),
    status: 400,
    says: faultSays('<sf:Name> must hold text, not elements'),
  },
  {
    group: 'structure and namespaces',
    name: 'mismatched tags',
    request: (run) => outbound(run, soap(run, { name: 'x</sf:Nome>' })),
    status: 400,
    says: faultSays('not well-formed XML'),
  },
  {
    group: 'structure and namespaces',
    name: 'a truncated message',
    request: (run) => outbound(run, soap(run).slice(0, 900)),
    status: 400,
    says: faultSays('not well-formed XML'),
  },
  {
    group: 'structure and namespaces',
    name: 'text before the root',
    request: (run) => outbound(run, `junk${envelopeOf(soap(run))}`),
    status: 400,
    says: faultSays('not well-formed XML'),
  },
  {
    group: 'structure and namespaces',
    name: 'two root elements',
    request: (run) =>
      outbound(
        run,
        `${soap(run)}<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"/>`,
      ),
    status: 400,
    says: faultSays('(not well-formed XML|exactly one root)'),
  },
  {
    group: 'structure and namespaces',
    name: 'a duplicate attribute',
    request: (run) =>
      outbound(
        run,
        soap(run).replace('xsi:type="sf:Opportunity"', 'xsi:type="sf:Opportunity" xsi:type="sf:Account"'),
      ),
    status: 400,
    says: faultSays('not well-formed XML'),
  },
  {
    group: 'structure and namespaces',
    name: 'an undeclared namespace prefix',
    request: (run) => outbound(run, withElement(run, '<nope:Name>y</nope:Name>')),
    status: 400,
    says: faultSays('nope:Name'),
  },
  {
    group: 'structure and namespaces',
    name: 'no OrganizationId',
    request: (run) => outbound(run, soap(run).replace(/<OrganizationId>[^<]*<\/OrganizationId>/, '')),
    status: 400,
    says: faultSays('organizationId is missing'),
  },
  {
    group: 'structure and namespaces',
    name: 'a notification without its sObject',
    request: (run) => outbound(run, soap(run).replace(/<sObject[\s\S]*<\/sObject>/, '')),
    status: 400,
    says: faultSays('Notification 1 has no <sObject>'),
  },
  {
    group: 'structure and namespaces',
    name: 'an opportunity without its Id field',
    request: (run) => outbound(run, soap(run).replace(/<sf:Id>[^<]*<\/sf:Id>/, '')),
    status: 400,
    says: faultSays('carries no Id field'),
  },
  {
    group: 'structure and namespaces',
    name: 'a JSON body',
    request: (run) => outbound(run, '{"notifications":[]}', { contentType: 'text/xml' }),
    status: 400,
    says: faultSays('not well-formed XML'),
  },
  {
    group: 'structure and namespaces',
    name: 'an empty body',
    request: (run) => outbound(run, ''),
    status: 400,
    says: faultSays('The request body is empty'),
  },
  {
    group: 'structure and namespaces',
    name: 'the outbound namespace under a prefix of its own is the same message',
    request: (run) =>
      outbound(
        run,
        soap(run, { name: 'Prefixed' })
          .replace(
            '<notifications xmlns="http://soap.sforce.com/2005/09/outbound">',
            '<o:notifications xmlns:o="http://soap.sforce.com/2005/09/outbound" xmlns="http://soap.sforce.com/2005/09/outbound">',
          )
          .replace('</notifications>', '</o:notifications>'),
      ),
    status: 200,
    stored: quoteTitled('Prefixed'),
  },

  // ── ids, orgs and secrets ───────────────────────────────────────────────────────────────────
  {
    group: 'ids, orgs and secrets',
    name: "a record id of 006' OR Id != '",
    request: (run) => outbound(run, soap(run, { fields: { Id: "006' OR Id != '" } })),
    status: 400,
    says: faultSays('notifications\\.0\\.fields\\.Id of notification \\w{18} is .*not a Salesforce id'),
  },
  {
    group: 'ids, orgs and secrets',
    name: 'a record id of abc',
    request: (run) => outbound(run, soap(run, { fields: { Id: 'abc' } })),
    status: 400,
    says: faultSays('fields\\.Id of notification \\w{18} is "abc"'),
  },
  {
    group: 'ids, orgs and secrets',
    name: 'an 18-character record id with a wrong checksum',
    request: (run) => outbound(run, soap(run, { fields: { Id: `${run.opportunity.Id.slice(0, 15)}ZZZ` } })),
    status: 400,
    says: faultSays('fields\\.Id of notification'),
  },
  {
    group: 'ids, orgs and secrets',
    name: 'a malformed AccountId',
    request: (run) => outbound(run, soap(run, { fields: { AccountId: '001; DROP TABLE' } })),
    status: 400,
    says: faultSays('fields\\.AccountId of notification'),
  },
  {
    group: 'ids, orgs and secrets',
    name: 'one malformed id among five valid notifications',
    request: (run) => {
      const xml = buildOutboundMessage({
        organizationId: run.organizationId,
        notifications: [1, 2, 3, 4, 5].map((i) => ({
          fields: { Id: i === 4 ? '006xyz' : run.opportunity.Id, StageName: run.stage },
        })),
      });
      return outbound(run, xml);
    },
    status: 400,
    says: faultSays('notifications\\.3\\.fields\\.Id of notification \\w{18} is "006xyz"'),
  },
  {
    group: 'ids, orgs and secrets',
    name: 'a malformed notification id',
    request: (run) => outbound(run, soap(run).replace(/<Id>\w+<\/Id>/, '<Id>not-an-id</Id>')),
    status: 400,
    says: faultSays('notifications\\.0\\.id must be a Salesforce id'),
  },
  {
    group: 'ids, orgs and secrets',
    name: 'a malformed organization id',
    request: (run) => outbound(run, soap(run).replace(/<OrganizationId>\w+</, '<OrganizationId>00D<')),
    status: 400,
    says: faultSays('organizationId must be a Salesforce id'),
  },
  {
    group: 'ids, orgs and secrets',
    name: 'another organization',
    request: (run) =>
      outbound(run, soap(run).replace(/<OrganizationId>\w+</, '<OrganizationId>00D5g000009Zz9ZEAS<')),
    status: 403,
    says: /The message comes from organization 00D5g000009Zz9ZEAS, but site demo is connected to/,
  },
  {
    group: 'ids, orgs and secrets',
    name: 'the organization in its 15-character form',
    request: (run) =>
      outbound(
        run,
        soap(run, { name: 'Org in 15' }).replace(
          `<OrganizationId>${run.organizationId}<`,
          `<OrganizationId>${run.organizationId.slice(0, 15)}<`,
        ),
      ),
    status: 200,
    stored: quoteTitled('Org in 15'),
  },
  {
    group: 'ids, orgs and secrets',
    name: 'a wrong secret',
    request: (run) => post(run.outboundPath.replace(/[^/]+$/, 'A'.repeat(43)), soap(run)),
    status: 404,
    says: /No outbound-message endpoint/,
  },
  {
    group: 'ids, orgs and secrets',
    name: 'the secret of one site on another site',
    request: (run) => post(run.outboundPath.replace('/demo/', '/second/'), soap(run)),
    status: 404,
    says: /No outbound-message endpoint/,
  },
  {
    group: 'ids, orgs and secrets',
    name: 'an unknown site',
    request: (run) => post(run.outboundPath.replace('/demo/', '/nobody/'), soap(run)),
    status: 404,
    says: /No outbound-message endpoint/,
  },
  {
    group: 'ids, orgs and secrets',
    name: 'the secret as a query parameter instead of the path',
    request: (run) =>
      post(`/salesforce/outbound/demo?secret=${run.outboundPath.split('/').pop()}`, soap(run)),
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'ids, orgs and secrets',
    name: 'an empty secret segment',
    request: (run) => post('/salesforce/outbound/demo/', soap(run)),
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'ids, orgs and secrets',
    name: 'a secret of 5,000 characters',
    request: (run) => post(`/salesforce/outbound/demo/${'s'.repeat(5000)}`, soap(run)),
    status: 404,
    says: /No outbound-message endpoint/,
  },

  // ── encodings ───────────────────────────────────────────────────────────────────────────────
  {
    group: 'encodings',
    name: 'a raw NUL',
    request: (run) => outbound(run, soap(run, { name: 'a\u0000b' })),
    status: 400,
    says: faultSays('the character U\\+0000 is not allowed in XML 1.0'),
  },
  {
    group: 'encodings',
    name: 'a raw U+0001',
    request: (run) => outbound(run, soap(run, { name: 'a\u0001b' })),
    status: 400,
    says: faultSays('U\\+0001 is not allowed'),
  },
  ...(['Name', 'StageName', 'Description', 'Region__c'] as const).map(
    (field): HostileCase => ({
      group: 'encodings',
      name: `U+FFFE in ${field}`,
      request: withField(field, 'a\uFFFEb'),
      status: 400,
      says: faultSays('U\\+FFFE is not allowed in XML 1.0'),
    }),
  ),
  {
    group: 'encodings',
    name: 'U+FFFF in the notification id',
    request: (run) => outbound(run, soap(run).replace(/<Id>(\w+)<\/Id>/, '<Id>$1\uFFFF</Id>')),
    status: 400,
    says: faultSays('U\\+FFFF is not allowed'),
  },
  {
    group: 'encodings',
    name: 'emoji in every text field',
    request: (run) =>
      outbound(
        run,
        soap(run, { name: 'Deal 😀🚀 𝄞', fields: { Description: '🚀 launch', Region__c: '🇪🇪' } }),
      ),
    status: 200,
    stored: quoteTitled('Deal 😀🚀 𝄞'),
  },
  {
    group: 'encodings',
    name: 'right-to-left text with bidi controls',
    request: (run) =>
      outbound(run, soap(run, { name: '\u202Eשלום عالم\u202C', fields: { Description: 'مرحبا' } })),
    status: 200,
    stored: quoteTitled('\u202Eשלום عالم\u202C'),
  },
  {
    group: 'encodings',
    name: 'CJK text',
    request: (run) => outbound(run, soap(run, { name: '商談 견적 見積もり', fields: { Region__c: '東京' } })),
    status: 200,
    stored: quoteTitled('商談 견적 見積もり'),
  },
  {
    group: 'encodings',
    name: 'a UTF-8 byte-order mark before the declaration',
    request: (run) => outbound(run, `\uFEFF${soap(run, { name: 'With BOM' })}`),
    status: 200,
    stored: quoteTitled('With BOM'),
  },
  {
    group: 'encodings',
    name: 'bytes that are not UTF-8 (Latin-1 é)',
    request: (run) => outbound(run, Buffer.from(soap(run, { name: 'Caf\u00e9' }), 'latin1')),
    status: 400,
    says: faultSays('not valid UTF-8'),
  },
  {
    group: 'encodings',
    name: 'an overlong UTF-8 encoding of "<"',
    request: (run) => {
      const [before = '', after = ''] = soap(run, { name: HOSTILE }).split(HOSTILE);
      return outbound(
        run,
        Buffer.concat([Buffer.from(before), Buffer.from([0xc0, 0xbc]), Buffer.from(after)]),
      );
    },
    status: 400,
    says: faultSays('not valid UTF-8'),
  },
  {
    group: 'encodings',
    name: 'a surrogate encoded in UTF-8 (CESU)',
    request: (run) => {
      const [before = '', after = ''] = soap(run, { name: HOSTILE }).split(HOSTILE);
      return outbound(
        run,
        Buffer.concat([Buffer.from(before), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(after)]),
      );
    },
    status: 400,
    says: faultSays('not valid UTF-8'),
  },
  {
    group: 'encodings',
    name: 'a UTF-16 body',
    request: (run) =>
      outbound(run, Buffer.from(`\uFEFF${soap(run)}`, 'utf16le'), {
        contentType: 'text/xml; charset=utf-16',
      }),
    status: 415,
    says: faultSays('charset utf-16'),
  },
  {
    group: 'encodings',
    name: 'a declaration naming another encoding',
    request: (run) => outbound(run, soap(run).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')),
    status: 400,
    says: faultSays('declares the encoding ISO-8859-1'),
  },
  {
    group: 'encodings',
    name: 'a gzip-compressed body',
    request: (run) => outbound(run, gzipSync(soap(run)), { headers: { 'content-encoding': 'gzip' } }),
    status: 415,
    says: faultSays('Content-Encoding gzip'),
  },
  {
    group: 'encodings',
    name: 'a binary content type',
    request: (run) => outbound(run, soap(run), { contentType: 'application/octet-stream' }),
    status: 415,
    says: faultSays('application/octet-stream'),
  },

  // ── methods and content types ───────────────────────────────────────────────────────────────
  ...(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const).map(
    (method): HostileCase => ({
      group: 'methods and content types',
      name: `${method} on the outbound-message URL`,
      request: (run) => post(run.outboundPath, method === 'GET' ? '' : soap(run), { method }),
      status: 404,
      says: /"message":"Not Found"/,
    }),
  ),
  {
    group: 'methods and content types',
    name: 'a JSON content type on the outbound-message URL',
    request: (run) => outbound(run, soap(run), { contentType: 'application/json' }),
    status: 415,
    says: faultSays('application/json'),
  },
  {
    group: 'methods and content types',
    name: 'a form content type on the outbound-message URL',
    request: (run) => outbound(run, soap(run), { contentType: 'application/x-www-form-urlencoded' }),
    status: 415,
    says: faultSays('application/x-www-form-urlencoded'),
  },
  {
    group: 'methods and content types',
    name: 'no content type: read as the XML it is',
    request: (run) => outbound(run, soap(run, { name: 'No content type' }), { contentType: null }),
    status: 200,
    stored: quoteTitled('No content type'),
  },
  {
    group: 'methods and content types',
    name: 'SOAP 1.2’s application/soap+xml',
    request: (run) =>
      outbound(run, soap(run, { name: 'As soap+xml' }), {
        contentType: 'application/soap+xml; charset=UTF-8',
      }),
    status: 200,
    stored: quoteTitled('As soap+xml'),
  },
  {
    group: 'methods and content types',
    name: 'Content-Length and Transfer-Encoding together (request smuggling)',
    request: (run) => [
      requestBytes({
        method: 'POST',
        target: run.outboundPath,
        headers: { 'content-type': 'text/xml', 'content-length': '5', 'transfer-encoding': 'chunked' },
        noContentLength: true,
        body: '0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n',
      }),
    ],
    status: 400,
    says: /Bad Request: the request is not valid HTTP\/1.1/,
  },
  {
    group: 'methods and content types',
    name: 'a method that is no HTTP token',
    request: (run) => [`P@ST ${run.outboundPath} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
    status: 400,
    says: /Bad Request/,
  },
  {
    group: 'methods and content types',
    name: 'a header line without a colon',
    request: (run) => [
      `POST ${run.outboundPath} HTTP/1.1\r\nHost: x\r\nthis is no header\r\nConnection: close\r\n\r\n`,
    ],
    status: 400,
    says: /Bad Request/,
  },
  {
    group: 'methods and content types',
    name: 'an admin PUT with a text/plain body',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', validSettings, { contentType: 'text/plain' }),
    status: 415,
    says: /application\/json/,
  },
  {
    group: 'methods and content types',
    name: 'a method override header is not obeyed',
    request: (run) => [
      requestBytes({
        method: 'POST',
        target: '/sites/demo/salesforce/disconnect',
        headers: { 'x-http-method-override': 'GET', authorization: `Bearer ${run.userToken}` },
      }),
    ],
    status: 403,
    says: /admin-role-required/,
  },

  // ── paths ───────────────────────────────────────────────────────────────────────────────────
  {
    group: 'paths',
    name: 'the outbound path without its secret',
    request: (run) => post('/salesforce/outbound/demo', soap(run)),
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'paths',
    name: 'an extra segment after the secret',
    request: (run) => post(`${run.outboundPath}/extra`, soap(run)),
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'paths',
    name: 'a malformed percent-encoding',
    request: (run) => post('/salesforce/outbound/demo/%zz', soap(run)),
    status: 400,
    says: /Bad Request/,
  },
  {
    group: 'paths',
    name: 'an encoded slash in the site id',
    request: (run) => post(run.outboundPath.replace('/demo/', '/demo%2F..%2Fsecond/'), soap(run)),
    status: 404,
    says: /No outbound-message endpoint/,
  },
  {
    group: 'paths',
    name: 'dot segments in the site id',
    request: (run) => post(run.outboundPath.replace('/demo/', '/%2e%2e/'), soap(run)),
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'paths',
    name: 'an encoded NUL in the secret',
    request: (run) => post(`${run.outboundPath}%00`, soap(run)),
    status: 404,
    says: /No outbound-message endpoint/,
  },
  {
    group: 'paths',
    name: 'upper-case path segments',
    request: (run) =>
      post(run.outboundPath.replace('/salesforce/outbound/', '/Salesforce/Outbound/'), soap(run)),
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'paths',
    name: 'a doubled slash',
    request: (run) => post(`/${run.outboundPath}`, soap(run)),
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'paths',
    name: 'dot segments from the demo site into another site',
    request: (run) => [
      requestBytes({
        target: '/sites/demo/../second/salesforce',
        headers: { authorization: `Bearer ${run.userToken}` },
      }),
    ],
    status: 403,
    says: /not-a-member/,
  },
  {
    group: 'paths',
    name: 'a console path out of its folder',
    request: () => [requestBytes({ target: '/%2e%2e/%2e%2e/%2e%2e/etc/passwd' })],
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'paths',
    name: 'a console path with an encoded NUL',
    request: () => [requestBytes({ target: '/index.html%00.png' })],
    status: 404,
    says: /Not Found/,
  },
  {
    group: 'paths',
    name: 'an absolute-form request target (RFC 9112 §3.2.2) is the same request',
    request: (run) => [
      requestBytes({
        method: 'POST',
        target: `http://evil.example${run.outboundPath}`,
        body: soap(run, { name: 'Absolute form' }),
        headers: { 'content-type': 'text/xml' },
      }),
    ],
    status: 200,
    stored: quoteTitled('Absolute form'),
  },

  // ── slow clients ────────────────────────────────────────────────────────────────────────────
  {
    group: 'slow clients',
    name: 'headers that never finish',
    request: (run) => [
      `POST ${run.outboundPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `,
      { pauseMs: 5000 },
      'a\r\n',
    ],
    status: 408,
    says: /Request Timeout: the headers must arrive within/,
    bound: 'time',
  },
  {
    group: 'slow clients',
    name: 'a body that stops half way',
    request: (run) => {
      const body = Buffer.from(soap(run));
      return [
        // The head announces the whole body; the parts after it send the body slowly.
        requestBytes({
          method: 'POST',
          target: run.outboundPath,
          headers: { 'content-type': 'text/xml', 'content-length': String(body.length) },
          noContentLength: true,
        }),
        body.subarray(0, 200),
        { pauseMs: 5000 },
        body.subarray(200),
      ];
    },
    status: 408,
    says: /Request Timeout/,
    bound: 'time',
  },
  {
    group: 'slow clients',
    name: 'a body dripped a byte at a time past the request limit',
    request: (run) => {
      const body = Buffer.from(soap(run));
      return [
        // The head announces the whole body; the parts after it send the body slowly.
        requestBytes({
          method: 'POST',
          target: run.outboundPath,
          headers: { 'content-type': 'text/xml', 'content-length': String(body.length) },
          noContentLength: true,
        }),
        ...Array.from({ length: 60 }, (_, i): RawPart[] => [body.subarray(i, i + 1), { pauseMs: 50 }]).flat(),
        body.subarray(60),
      ];
    },
    status: 408,
    says: /Request Timeout/,
    bound: 'time',
  },
  {
    group: 'slow clients',
    name: 'headers of more than 10,240 bytes',
    request: (run) => [
      requestBytes({
        method: 'POST',
        target: run.outboundPath,
        headers: { 'x-big': 'b'.repeat(10_300) },
        body: soap(run),
      }),
    ],
    status: 431,
    says: /Request Header Fields Too Large: the request line and headers exceed 10240 bytes/,
  },
  {
    group: 'slow clients',
    name: 'a request line of more than 10,240 bytes',
    request: (run) => [
      requestBytes({ method: 'POST', target: `${run.outboundPath}?${'q'.repeat(10_300)}`, body: soap(run) }),
    ],
    status: 431,
    says: /Request Header Fields Too Large/,
  },
  {
    group: 'slow clients',
    name: '3,000 small headers',
    request: (run) => [
      requestBytes({
        method: 'POST',
        target: run.outboundPath,
        headers: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`x-${i}`, '1'])),
        body: soap(run),
      }),
    ],
    status: 431,
    says: /Request Header Fields Too Large/,
  },
  {
    group: 'slow clients',
    name: 'a connection that sends nothing',
    request: () => [{ pauseMs: 5000 }],
    status: 408,
    says: /Request Timeout/,
    bound: 'time',
  },

  // ── admin JSON and settings ─────────────────────────────────────────────────────────────────
  {
    group: 'admin JSON and settings',
    name: 'settings that are not JSON',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', undefined, { raw: '{"opportunityToQuote":' }),
    status: 400,
    says: /JSON/,
  },
  {
    group: 'admin JSON and settings',
    name: 'settings as a JSON array',
    request: (run) => admin(run, 'PUT', '/sites/demo/salesforce/settings', [validSettings]),
    status: 400,
    says: /expected object, received array/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a SOQL injection as the stage',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', {
        ...validSettings,
        opportunityToQuote: { enabled: true, stage: "Proposal/Price Quote' OR Name != '" },
      }),
    status: 400,
    says: /opportunityToQuote\.stage/,
    bound: 'salesforce',
  },
  {
    group: 'admin JSON and settings',
    name: 'a SOQL injection as a mapped field',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', {
        ...validSettings,
        fieldMappings: {
          opportunity: [
            { salesforceField: 'Name FROM Account --', target: { kind: 'core', field: 'title' } },
          ],
          account: [],
          contact: [],
        },
      }),
    status: 400,
    says: /fieldMappings\.opportunity\.0\.salesforceField/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a condition on a number field with a SOQL value',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', {
        ...validSettings,
        fieldMappings: {
          opportunity: [
            {
              salesforceField: 'Amount',
              target: { kind: 'core', field: 'opportunityAmount' },
              condition: { operator: 'gt', value: '0 OR Amount = null' },
            },
          ],
          account: [],
          contact: [],
        },
      }),
    status: 400,
    says: /fieldMappings\.opportunity\.0\.condition/,
    bound: 'salesforce',
  },
  {
    group: 'admin JSON and settings',
    name: 'an unknown settings key',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', { ...validSettings, isAdmin: true }),
    status: 400,
    says: /isAdmin/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a __proto__ key in the settings',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', undefined, {
        raw: JSON.stringify(validSettings).replace('{', '{"__proto__":{"polluted":true},'),
      }),
    status: 400,
    says: /__proto__/,
  },
  {
    group: 'admin JSON and settings',
    name: 'JSON nested 100,000 deep',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', undefined, {
        raw: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      }),
    status: 400,
    says: /expected object, received array/,
    bound: 'size',
  },
  {
    group: 'admin JSON and settings',
    name: 'a custom field key with a quote in it',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', {
        ...validSettings,
        customFields: [{ key: `a"b' OR 1=1`, name: 'X', type: 'text' }],
      }),
    status: 400,
    says: /customFields\.0\.key/,
  },
  {
    group: 'admin JSON and settings',
    name: 'an owner user of another site',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', {
        ...validSettings,
        ownerUserId: '../second/olga',
      }),
    status: 400,
    says: /ownerUserId/,
    bound: 'salesforce',
  },
  {
    group: 'admin JSON and settings',
    name: 'a search with a SOQL injection finds nothing and changes nothing',
    request: (run) =>
      admin(run, 'GET', `/sites/demo/salesforce/opportunities?q=${encodeURIComponent("' OR Name != '")}`),
    status: 200,
    says: /"opportunities":\[\]/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a quote filter with a SOQL injection as the opportunity id',
    request: (run) =>
      admin(run, 'GET', `/sites/demo/quotes?opportunityId=${encodeURIComponent("006' OR Id != '")}`),
    status: 400,
    says: /opportunityId/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a log filter with an unknown outcome',
    request: (run) => admin(run, 'GET', '/sites/demo/salesforce/log?outcome=everything'),
    status: 400,
    says: /outcome/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a forged page token',
    request: (run) =>
      admin(
        run,
        'GET',
        `/sites/demo/quotes?nextToken=${Buffer.from('{"pk":"SITE#second"}').toString('base64url')}`,
      ),
    status: 400,
    says: /nextToken/,
  },
  {
    group: 'admin JSON and settings',
    name: 'no credentials',
    request: (run) => admin(run, 'PUT', '/sites/demo/salesforce/settings', validSettings, { token: null }),
    status: 401,
    says: /./,
  },
  {
    group: 'admin JSON and settings',
    name: 'a JWT with alg none',
    request: (run) => {
      const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const forged = `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'x', sites: 'demo:admin second:admin' })}.`;
      return admin(run, 'PUT', '/sites/demo/salesforce/settings', validSettings, { token: `${forged}x` });
    },
    status: 401,
    says: /Unauthorized/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a user (not an admin) saving settings',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', validSettings, { token: run.userToken }),
    status: 403,
    says: /admin-role-required/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a user of one site reading another',
    request: (run) => admin(run, 'GET', '/sites/second/quotes', undefined, { token: run.userToken }),
    status: 403,
    says: /not-a-member/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a site id of __proto__',
    request: (run) => admin(run, 'PUT', '/sites/__proto__', { name: 'x' }),
    status: 400,
    says: /siteId/,
  },
  {
    group: 'admin JSON and settings',
    name: 'a settings body of 2 MB (a custom field name)',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/salesforce/settings', {
        ...validSettings,
        customFields: [
          { key: 'big', label: 'n'.repeat(2 * 1024 * 1024), appliesTo: 'opportunity', type: 'text' },
        ],
      }),
    status: 400,
    says: /customFields\.0\.label/,
    bound: 'size',
  },

  // ── lines and PDFs ──────────────────────────────────────────────────────────────────────────
  ...(
    [
      ['a unit price of 1e309', 'unitPrice', '1e309'],
      ['a negative quantity', 'quantity', '-1'],
      ['a unit price of NaN', 'unitPrice', 'NaN'],
      ['a discount of 150 %', 'discountPercent', '150'],
    ] as const
  ).map(
    ([name, field, value]): HostileCase => ({
      group: 'lines and PDFs',
      name,
      request: (run) =>
        admin(run, 'PUT', '/sites/demo/quotes/{quoteId}/lines', { lines: [{ ...line, [field]: value }] }),
      status: 400,
      says: new RegExp(`lines\\.0\\.${field}`),
    }),
  ),
  {
    group: 'lines and PDFs',
    name: '501 lines',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/quotes/{quoteId}/lines', {
        lines: Array.from({ length: 501 }, () => line),
      }),
    status: 400,
    says: /at most 500/,
    bound: 'size',
  },
  {
    group: 'lines and PDFs',
    name: 'lines whose text passes 300 KiB',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/quotes/{quoteId}/lines', {
        lines: Array.from({ length: 200 }, () => ({ ...line, description: 'é'.repeat(1999) })),
      }),
    status: 400,
    says: /lines/,
    bound: 'size',
  },
  {
    group: 'lines and PDFs',
    name: 'a line with an unknown field',
    request: (run) =>
      admin(run, 'PUT', '/sites/demo/quotes/{quoteId}/lines', { lines: [{ ...line, total: '0.01' }] }),
    status: 400,
    says: /unknown field\(s\): total/,
  },
  {
    group: 'lines and PDFs',
    name: 'lines of a quote that does not exist',
    request: (run) => admin(run, 'PUT', '/sites/demo/quotes/q-nope/lines', { lines: [line] }),
    status: 404,
    says: /q-nope|quote/i,
  },
  {
    group: 'lines and PDFs',
    name: 'the PDF of a quote id with dot segments',
    request: (run) => admin(run, 'GET', '/sites/demo/quotes/..%2F..%2Fsecond%2Fquotes%2Fx/pdf'),
    status: 400,
    says: /quoteId/,
  },
  {
    group: 'lines and PDFs',
    name: 'the PDF of a quote of the demo site asked for through another site',
    request: (run) => admin(run, 'GET', '/sites/second/quotes/{quoteId}/pdf'),
    status: 404,
    says: /quote/i,
  },
  {
    group: 'lines and PDFs',
    name: 'a quote status that does not exist',
    request: (run) => admin(run, 'PATCH', '/sites/demo/quotes/{quoteId}', { status: 'Hacked' }),
    status: 400,
    says: /status/,
  },
  {
    group: 'lines and PDFs',
    name: 'a validity date of February 30',
    request: (run) => admin(run, 'PATCH', '/sites/demo/quotes/{quoteId}', { validUntil: '2027-02-30' }),
    status: 400,
    says: /validUntil/,
  },
];
