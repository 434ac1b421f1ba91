import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_STAGE } from '../../local/demo';
import type { LocalStack } from '../../local/stack';
import type { QuoteSend } from '../../shared/domain/quote-editing';
import type { SyncRun } from '../../shared/domain/sync-run';
import type { Person, Quote } from '../../shared/domain/synced-records';
import { quoteSchema } from '../../shared/http/admin-schemas';
import { adminClient } from '../support/admin-client';
import { eventually } from '../support/eventually';
import { extractPdfText } from '../support/extract-pdf-text';
import { startInProcessStack } from '../support/in-process-stack';

/**
 * Synchronize now, quote lines, the PDF and Send to Salesforce on the local stack, in this
 * process, against the sandbox org the demo site is connected to.
 */
const ADMIN_TOKEN = 'quotes-e2e-admin-token-0123456789';
let stack: LocalStack;

beforeAll(async () => {
  stack = await startInProcessStack('quotes', {
    adminToken: ADMIN_TOKEN,
    workerBatchingWindowMs: 200,
  });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

afterEach(() => {
  stack.sandbox.clearFaults();
});

const { call, api } = adminClient(() => stack.url, ADMIN_TOKEN);

const quoteOf = (opportunityId: string) =>
  eventually(
    async () =>
      (await api<{ quotes: Quote[] }>('GET', `/sites/demo/quotes?opportunityId=${opportunityId}`)).quotes[0],
    `the quote of ${opportunityId}`,
  );

const finished = (runId: string) =>
  eventually(async () => {
    const run = await api<SyncRun>('GET', `/sites/demo/salesforce/sync/${runId}`);
    return run.status === 'running' ? undefined : run;
  }, `run ${runId} to finish`);

function createOpportunity(fields: Record<string, unknown>): string {
  const { store, adminUserId } = stack.sandbox;
  return store.create(
    'Opportunity',
    { CloseDate: '2027-03-31', Name: 'Opportunity', ...fields },
    { userId: adminUserId },
  ).Id;
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  return (await extractPdfText(bytes)).pages.map((items) => items.join(' ')).join('\n');
}

test('Synchronize now picks up an opportunity whose webhook was dropped', async () => {
  stack.sandbox.addFaults({ delivery: [{ action: 'drop', times: 1 }] });
  const id = createOpportunity({ Name: 'Dropped webhook', StageName: DEMO_STAGE, Amount: 4200 });
  await stack.sandbox.flushOutbound();
  const before = await api<{ quotes: Quote[] }>('GET', `/sites/demo/quotes?opportunityId=${id}`);
  expect(before.quotes).toEqual([]);

  const started = await call('POST', '/sites/demo/salesforce/sync');
  expect(started.status).toBe(202);
  const run = (await started.json()) as SyncRun & { started: boolean };
  expect(run).toMatchObject({ started: true, status: 'running', mode: 'opportunities' });
  expect(started.headers.get('location')).toBe(`/sites/demo/salesforce/sync/${run.runId}`);
  const again = (await (await call('POST', '/sites/demo/salesforce/sync')).json()) as SyncRun & {
    started: boolean;
  };
  expect(again).toMatchObject({ started: false, runId: run.runId });

  const quote = await quoteOf(id);
  expect(quote).toMatchObject({ status: 'Scoping', title: 'Dropped webhook', opportunityAmount: '4200' });
  const done = await finished(run.runId);
  expect(done.status).toBe('completed');
  expect(done.finishedAt).toEqual(expect.any(String));
  expect(Date.parse(done.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(done.startedAt));
  expect(done.counts.found).toBeGreaterThanOrEqual(1);
  expect(done.counts.queued).toBe(done.counts.found);
  expect(
    done.counts.created +
      done.counts.updated +
      done.counts.unchanged +
      done.counts.skipped +
      done.counts.failed,
  ).toBe(done.counts.queued);
});

test('lines and sums, the PDF, and Send to Salesforce with new file versions', async () => {
  const id = createOpportunity({ Name: 'Website relaunch', StageName: DEMO_STAGE, Amount: 1 });
  await stack.sandbox.flushOutbound();
  const quote = await quoteOf(id);

  const bad = await call('PUT', `/sites/demo/quotes/${quote.quoteId}/lines`, {
    lines: [{ name: 'Design', quantity: 1, unitPrice: '10.00001' }],
  });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { issues: { path: string }[] }).issues).toEqual([
    expect.objectContaining({ path: 'lines.0.unitPrice' }),
  ]);

  const withLines = await api<Quote>('PUT', `/sites/demo/quotes/${quote.quoteId}/lines`, {
    lines: [
      { name: 'Design', quantity: 3, unit: 'h', unitPrice: '33.33', vatPercent: 20 },
      {
        name: 'Build',
        quantity: '1.5',
        unit: 'd',
        unitPrice: '800.005',
        discountPercent: 10,
        vatPercent: 20,
      },
      { name: 'Hosting', description: 'First year', quantity: 1, unitPrice: '0.1', vatPercent: 0 },
    ],
  });
  // 99.99 + round(1200.0075 × 0.9 = 1080.00675) = 1080.01 + 0.10; VAT 20.00 + 216.00 + 0.
  expect(withLines.totals).toMatchObject({ net: '1180.10', vat: '236.00', total: '1416.10' });

  const patched = await api<Quote>('PATCH', `/sites/demo/quotes/${quote.quoteId}`, { status: 'Ready' });
  expect(patched.status).toBe('Ready');
  expect((await call('PATCH', `/sites/demo/quotes/${quote.quoteId}`, { status: 'Nope' })).status).toBe(400);

  const pdfResponse = await call('GET', `/sites/demo/quotes/${quote.quoteId}/pdf`);
  expect(pdfResponse.status).toBe(200);
  expect(pdfResponse.headers.get('content-type')).toBe('application/pdf');
  const text = await pdfText(new Uint8Array(await pdfResponse.arrayBuffer()));
  expect(text).toContain(String(quote.number));
  for (const line of ['Design', 'Build', 'Hosting']) expect(text).toContain(line);
  expect(text).toMatch(/1,416\.10 EUR/);
  // Valid for the site's default 30 days after the quote's date.
  const issued = new Date(`${patched.updatedAt.slice(0, 10)}T00:00:00Z`);
  issued.setUTCDate(issued.getUTCDate() + 30);
  expect(text).toContain(`Valid until ${issued.toISOString().slice(0, 10)}`);
  expect(text).not.toContain('PAYMENT TERMS');

  const first = await call('POST', `/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`);
  expect(first.status).toBe(200);
  const { send } = (await first.json()) as { send: QuoteSend };
  // The net total goes into Amount by default; the record keeps both figures.
  expect(send).toMatchObject({
    outcome: 'sent',
    amount: '1180.10',
    amountBasis: 'net',
    net: '1180.10',
    gross: '1416.10',
    currency: 'EUR',
    fileVersion: '1',
  });
  expect(send.message).toContain('1180.10 EUR (net; 1416.10 with VAT)');
  expect(stack.sandbox.store.get('Opportunity', id)?.Amount).toBe(1180.1);
  const links = () => stack.sandbox.store.all('ContentDocumentLink').filter((l) => l.LinkedEntityId === id);
  expect(links()).toHaveLength(1);

  // Salesforce holds the net total now, and the quote shows it at once.
  expect((await api<Quote>('GET', `/sites/demo/quotes/${quote.quoteId}`)).opportunityAmount).toBe('1180.1');

  // Sent again unchanged: the same bytes, so the file keeps its version and the record says so.
  const second = (await (
    await call('POST', `/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`)
  ).json()) as { send: QuoteSend };
  expect(second.send).toMatchObject({
    outcome: 'sent',
    fileVersion: '1',
    upload: 'unchanged',
    contentVersionId: send.contentVersionId,
    contentDocumentId: send.contentDocumentId,
  });
  expect(second.send.message).toContain('the PDF is unchanged, so version 1 stays the latest');
  const versions = () =>
    stack.sandbox.store.all('ContentVersion').filter((v) => v.ContentDocumentId === send.contentDocumentId);
  expect(versions()).toHaveLength(1);

  // A changed quote is a new version of the same file, still linked once.
  await api('PUT', `/sites/demo/quotes/${quote.quoteId}/lines`, {
    lines: [...withLines.lines, { name: 'Support', quantity: 1, unitPrice: '100', vatPercent: 20 }],
  });
  const third = await api<{ send: QuoteSend }>(
    'POST',
    `/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`,
  );
  expect(third.send).toMatchObject({
    outcome: 'sent',
    amount: '1280.10',
    fileVersion: '2',
    upload: 'new-version',
    contentDocumentId: send.contentDocumentId,
  });
  expect(links()).toHaveLength(1);
  expect(versions()).toHaveLength(2);
  expect(stack.sandbox.store.get('Opportunity', id)?.Amount).toBe(1280.1);

  const history = await api<Quote & { sends: QuoteSend[] }>('GET', `/sites/demo/quotes/${quote.quoteId}`);
  expect(history.sends.map((s) => [s.outcome, s.upload])).toEqual([
    ['sent', 'new-file'],
    ['sent', 'unchanged'],
    ['sent', 'new-version'],
  ]);
  expect(history.opportunityAmount).toBe('1280.1');

  // A file deleted in Salesforce since is published to the opportunity anew.
  stack.sandbox.store.remove('ContentDocument', String(send.contentDocumentId), {
    userId: stack.sandbox.adminUserId,
  });
  expect(links()).toHaveLength(0);
  const fourth = await api<{ send: QuoteSend }>(
    'POST',
    `/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`,
  );
  expect(fourth.send).toMatchObject({ outcome: 'sent', fileVersion: '1', upload: 'new-file' });
  expect(fourth.send.contentDocumentId).not.toBe(send.contentDocumentId);
  expect(links()).toHaveLength(1);
  expect(
    (await api<Quote & { contentDocumentId: string }>('GET', `/sites/demo/quotes/${quote.quoteId}`))
      .contentDocumentId,
  ).toBe(fourth.send.contentDocumentId);
  // The answer is what the OpenAPI document says a quote is (strict: no undeclared keys).
  expect(quoteSchema.safeParse(history).error).toBeUndefined();
});

test('with pushBack.amount "gross", Send to Salesforce puts the total with VAT into Amount', async () => {
  const status = await api<{ settings: { pushBack: Record<string, unknown> } & Record<string, unknown> }>(
    'GET',
    '/sites/demo/salesforce',
  );
  expect(status.settings.pushBack).toEqual({ enabled: true, amount: 'net', target: 'Amount' });
  const wrong = await call('PUT', '/sites/demo/salesforce/settings', {
    ...status.settings,
    pushBack: { enabled: true, amount: 'with-vat' },
  });
  expect(wrong.status).toBe(400);
  expect(((await wrong.json()) as { issues: { path: string }[] }).issues).toEqual([
    expect.objectContaining({ path: 'pushBack.amount' }),
  ]);
  await api('PUT', '/sites/demo/salesforce/settings', {
    ...status.settings,
    pushBack: { enabled: true, amount: 'gross' },
  });
  try {
    const id = createOpportunity({ Name: 'Gross amount', StageName: DEMO_STAGE, Amount: 1 });
    await stack.sandbox.flushOutbound();
    const quote = await quoteOf(id);
    await api('PUT', `/sites/demo/quotes/${quote.quoteId}/lines`, {
      lines: [{ name: 'Work', quantity: 2, unitPrice: '500', vatPercent: 20 }],
    });
    const { send } = await api<{ send: QuoteSend }>(
      'POST',
      `/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`,
    );
    expect(send).toMatchObject({
      outcome: 'sent',
      amount: '1200.00',
      amountBasis: 'gross',
      net: '1000.00',
      gross: '1200.00',
    });
    expect(stack.sandbox.store.get('Opportunity', id)?.Amount).toBe(1200);
  } finally {
    await api('PUT', '/sites/demo/salesforce/settings', status.settings);
  }
});

test('the site profile, validity, payment terms and the opportunity description are on the PDF', async () => {
  await api('PUT', '/sites/demo/profile', {
    legalName: 'Nordlicht Consulting OÜ',
    address: { street: 'Pärnu mnt 12', postalCode: '10148', city: 'Tallinn', country: 'Estonia' },
    registrationNumber: '14876543',
    vatNumber: 'EE102345678',
    paymentTerms: '14 days net.',
  });
  try {
    const id = createOpportunity({
      Name: 'Wdrożenie w Łodzi',
      StageName: DEMO_STAGE,
      Description: 'Analiza, konfiguracja i szkolenie zespołu.',
    });
    await stack.sandbox.flushOutbound();
    const quote = await quoteOf(id);
    await api('PUT', `/sites/demo/quotes/${quote.quoteId}/lines`, {
      lines: [
        { name: 'Wdrożenie w Łodzi', quantity: 1, unitPrice: '1000', vatPercent: 23 },
        { name: 'Поддержка', quantity: 1, unitPrice: '100', vatPercent: 23 },
        { name: 'Ελλάδα', quantity: 1, unitPrice: '10', vatPercent: 23 },
      ],
    });
    const bad = await call('PATCH', `/sites/demo/quotes/${quote.quoteId}`, { validUntil: '31.12.2026' });
    expect(bad.status).toBe(400);
    await api('PATCH', `/sites/demo/quotes/${quote.quoteId}`, {
      validUntil: '2027-01-31',
      paymentTerms: 'Half on order, half on delivery.',
    });
    // The logo goes over the local gateway as the file itself, and is drawn in the header.
    const logo = readFileSync(join(__dirname, '..', 'fixtures', 'images', 'logo.png'));
    const uploaded = await fetch(`${stack.url}/sites/demo/profile/logo`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'image/png' },
      body: logo,
    });
    expect(uploaded.status).toBe(201);
    expect(await uploaded.json()).toMatchObject({ contentType: 'image/png', size: logo.byteLength });
    const readBack = await call('GET', '/sites/demo/profile/logo');
    expect(Buffer.from(await readBack.arrayBuffer()).equals(logo)).toBe(true);
    const response = await call('GET', `/sites/demo/quotes/${quote.quoteId}/pdf`);
    const pdf = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/Subtype \/Image[\s\S]*\/Width 720/);
    const text = await pdfText(pdf);
    for (const expected of [
      'Wdrożenie w Łodzi',
      'Поддержка',
      'Ελλάδα',
      'Nordlicht Consulting OÜ',
      'Reg. no. 14876543 · VAT no. EE102345678',
      'Valid until 2027-01-31',
      'Analiza, konfiguracja i szkolenie zespołu.',
      // The quote's own terms win over the profile's.
      'Half on order, half on delivery.',
    ])
      expect(text).toContain(expected);
    expect(text).not.toContain('14 days net.');
  } finally {
    await api('PUT', '/sites/demo/profile', {});
    await call('DELETE', '/sites/demo/profile/logo');
  }
});

test('an opportunity with products reports that Salesforce ignored the amount', async () => {
  const id = createOpportunity({ Name: 'With products', StageName: 'Prospecting' });
  stack.sandbox.addProducts(id, [{ name: 'Licence', listPrice: 500, quantity: 2 }]);
  stack.sandbox.store.update(
    'Opportunity',
    id,
    { StageName: DEMO_STAGE },
    { userId: stack.sandbox.adminUserId },
  );
  await stack.sandbox.flushOutbound();
  const quote = await quoteOf(id);
  await api('PUT', `/sites/demo/quotes/${quote.quoteId}/lines`, {
    lines: [{ name: 'Work', quantity: 1, unitPrice: 2500 }],
  });

  const response = await call('POST', `/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`);
  expect(response.status).toBe(409);
  const { send } = (await response.json()) as { send: QuoteSend };
  expect(send).toMatchObject({
    outcome: 'amount-read-only',
    amount: '2500.00',
    target: 'Amount',
    opportunityAmount: '1000',
  });
  expect(send.message).toMatch(/has products/);
  // It names the setting that fixes it.
  expect(send.message).toMatch(/set pushBack\.target in the settings to a currency or number field/);
  expect(stack.sandbox.store.get('Opportunity', id)?.Amount).toBe(1000);
});

test('pushBack.target is checked against the org: it must exist, be writable and take a sum', async () => {
  const status = await api<{ settings: { pushBack: Record<string, unknown> } & Record<string, unknown> }>(
    'GET',
    '/sites/demo/salesforce',
  );
  const withTarget = (target: string) =>
    call('PUT', '/sites/demo/salesforce/settings', {
      ...status.settings,
      pushBack: { ...status.settings.pushBack, target },
    });
  for (const [target, message] of [
    ['Quoted_Nothing__c', /Opportunity has no field Quoted_Nothing__c/],
    ['Name', /Name is a field of type string; the quoted sum needs a currency or number field/],
    ['HasOpportunityLineItem', /HasOpportunityLineItem is read-only/],
    ['Probability', /Probability is a field of type percent/],
    ['Amount; DROP', /must be a Salesforce API name/],
  ] as const) {
    const response = await withTarget(target);
    expect(response.status).toBe(400);
    const { issues } = (await response.json()) as { issues: Array<{ path: string; message: string }> };
    expect(issues).toEqual([{ path: 'pushBack.target', message: expect.stringMatching(message) }]);
  }
  const stored = await api<{ settings: { pushBack: { target: string } } }>('GET', '/sites/demo/salesforce');
  expect(stored.settings.pushBack.target).toBe('Amount');
});

test('with pushBack.target a currency field, the quoted sum goes there and is read back, products or not', async () => {
  const { store, adminUserId } = stack.sandbox;
  store.schema.addCustomField('Opportunity', {
    name: 'Quoted_Sum__c',
    type: 'currency',
    label: 'Quoted sum',
    precision: 18,
    scale: 2,
  });
  const status = await api<{ settings: { pushBack: Record<string, unknown> } & Record<string, unknown> }>(
    'GET',
    '/sites/demo/salesforce',
  );
  // Any case is taken; the org's own spelling is stored.
  const saved = await api<{ settings: { pushBack: { target: string } } }>(
    'PUT',
    '/sites/demo/salesforce/settings',
    { ...status.settings, pushBack: { ...status.settings.pushBack, target: 'quoted_sum__c' } },
  );
  expect(saved.settings.pushBack.target).toBe('Quoted_Sum__c');
  try {
    const id = createOpportunity({ Name: 'Products and a quoted sum', StageName: 'Prospecting' });
    stack.sandbox.addProducts(id, [{ name: 'Licence', listPrice: 500, quantity: 2 }]);
    store.update('Opportunity', id, { StageName: DEMO_STAGE }, { userId: adminUserId });
    await stack.sandbox.flushOutbound();
    const quote = await quoteOf(id);
    await api('PUT', `/sites/demo/quotes/${quote.quoteId}/lines`, {
      lines: [{ name: 'Work', quantity: 3, unitPrice: '833.33', vatPercent: 20 }],
    });
    const response = await call('POST', `/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`);
    expect(response.status).toBe(200);
    const { send } = (await response.json()) as { send: QuoteSend };
    expect(send).toMatchObject({
      outcome: 'sent',
      amount: '2499.99',
      target: 'Quoted_Sum__c',
      targetValue: '2499.99',
      opportunityAmount: '1000',
      upload: 'new-file',
      fileVersion: '1',
    });
    expect(send.message).toMatch(/^Quoted_Sum__c set to 2499.99 EUR \(net; 2999.99 with VAT\)/);
    const opportunity = store.get('Opportunity', id);
    expect(opportunity?.Quoted_Sum__c).toBe(2499.99);
    // Salesforce's own Amount stays the sum of the products.
    expect(opportunity?.Amount).toBe(1000);
    const links = store.all('ContentDocumentLink').filter((l) => l.LinkedEntityId === id);
    expect(links).toHaveLength(1);
  } finally {
    await api('PUT', '/sites/demo/salesforce/settings', status.settings);
  }
});

test('a send retried with the same Idempotency-Key sends once and answers the same', async () => {
  const id = createOpportunity({ Name: 'Retried send', StageName: DEMO_STAGE, Amount: 10 });
  await stack.sandbox.flushOutbound();
  const quote = await quoteOf(id);
  const send = () =>
    fetch(`${stack.url}/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': `send-${quote.quoteId}` },
    });
  const first = await send();
  const retried = await send();
  expect(retried.status).toBe(first.status);
  expect(retried.headers.get('idempotent-replayed')).toBe('true');
  const [a, b] = [(await first.json()) as { send: QuoteSend }, (await retried.json()) as { send: QuoteSend }];
  expect(b.send.sendId).toBe(a.send.sendId);
  const stored = await api<Quote & { sends: QuoteSend[] }>('GET', `/sites/demo/quotes/${quote.quoteId}`);
  expect(stored.sends).toHaveLength(1);
  const files = stack.sandbox.store.all('ContentDocumentLink').filter((l) => l.LinkedEntityId === id);
  expect(files).toHaveLength(1);
});

test('with push-back off, sending is refused with how to enable it', async () => {
  const status = await api<{ settings: Record<string, unknown> }>('GET', '/sites/demo/salesforce');
  await api('PUT', '/sites/demo/salesforce/settings', { ...status.settings, pushBack: { enabled: false } });
  try {
    const id = createOpportunity({ Name: 'No push-back', StageName: DEMO_STAGE });
    await stack.sandbox.flushOutbound();
    const quote = await quoteOf(id);
    const response = await call('POST', `/sites/demo/quotes/${quote.quoteId}/send-to-salesforce`);
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toMatch(/"pushBack": \{"enabled": true\}/);
  } finally {
    await api('PUT', '/sites/demo/salesforce/settings', status.settings);
  }
});

test('with Opportunity→Quote off, Synchronize now syncs contacts to persons', async () => {
  const status = await api<{ settings: Record<string, unknown> & { opportunityToQuote: unknown } }>(
    'GET',
    '/sites/demo/salesforce',
  );
  await api('PUT', '/sites/demo/salesforce/settings', {
    ...status.settings,
    opportunityToQuote: { enabled: false, stage: DEMO_STAGE },
  });
  try {
    const { store, adminUserId } = stack.sandbox;
    const contact = store.create(
      'Contact',
      { FirstName: 'Carla', LastName: 'Contactonly', Email: 'carla@example.com' },
      { userId: adminUserId },
    );
    const run = await api<SyncRun & { started: boolean }>('POST', '/sites/demo/salesforce/sync');
    expect(run.mode).toBe('contacts');
    const done = await finished(run.runId);
    expect(done.status).toBe('completed');
    expect(done.counts.found).toBe(store.all('Contact').length);
    const persons = await api<{ persons: Person[] }>('GET', '/sites/demo/persons?limit=100');
    expect(persons.persons.find((p) => p.email === 'carla@example.com')).toMatchObject({
      firstName: 'Carla',
      lastName: 'Contactonly',
      salesforce: expect.objectContaining({ id: contact.Id }),
    });
  } finally {
    await api('PUT', '/sites/demo/salesforce/settings', status.settings);
  }
});
