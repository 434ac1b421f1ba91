import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';
import { PdfLibQuoteRenderer } from '../../../shared/adapters/pdf/pdf-lib-quote-renderer';
import type { QuoteDocument, QuoteDocumentLogo } from '../../../shared/domain/quote-document';
import { computeQuoteTotals, type QuoteLineInput, quoteLineSchema } from '../../../shared/domain/quote-lines';
import { sha256Hex, sniffLogo } from '../../../shared/domain/site-logo';
import { extractPdfText } from '../../support/extract-pdf-text';
import { makePng, PNG_VARIANTS } from '../../support/png';

const renderer = new PdfLibQuoteRenderer();
const A4_WIDTH = 595.28;
const A4_HEIGHT = 841.89;
const MARGIN = 48;
const pdfOf = async (document: QuoteDocument) => (await renderer.render(document)).pdf;

function quote(inputs: QuoteLineInput[], overrides: Partial<QuoteDocument> = {}): QuoteDocument {
  const currency = overrides.currency ?? 'EUR';
  const lines = inputs.map((input) => quoteLineSchema.parse(input));
  return {
    number: 1042,
    title: 'Website relaunch',
    issuedOn: '2026-03-01',
    currency,
    company: { name: 'Acme Ltd', addressLines: ['1 High Street', 'London N1 9GU'] },
    person: { name: 'Jane Buyer', email: 'jane@acme.example' },
    owner: { name: 'Sam Seller', email: 'sam@agency.example' },
    lines,
    totals: computeQuoteTotals(lines, currency),
    ...overrides,
  };
}

const threeLines: QuoteLineInput[] = [
  { name: 'Discovery workshop', description: 'Two days on site', quantity: 2, unit: 'd', unitPrice: '1200' },
  { name: 'Design system', quantity: 1, unitPrice: '4500.50', discountPercent: 10, vatPercent: 20 },
  { name: 'Hosting (annual)', quantity: 12, unit: 'mo', unitPrice: '33.33', vatPercent: '5.5' },
];

describe('PdfLibQuoteRenderer', () => {
  it('prints the number, date, parties, every line and the totals with currency', async () => {
    const document = quote(threeLines);
    const { pdf, missingCharacters } = await renderer.render(document);
    expect(missingCharacters).toEqual([]);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');

    const { pages, info } = await extractPdfText(pdf);
    expect(pages).toHaveLength(1);
    const text = pages.flat();
    expect(text).toEqual(
      expect.arrayContaining([
        'Quote no. 1042',
        'Date 2026-03-01',
        'Website relaunch',
        'Acme Ltd',
        '1 High Street',
        'Jane Buyer',
        'jane@acme.example',
        'Sam Seller',
        'Discovery workshop',
        'Two days on site',
        'Design system',
        'Hosting (annual)',
        'Quote 1042 · Page 1 of 1',
      ]),
    );
    // Quantities with units, unit prices at currency precision, percentages and line nets.
    expect(text).toEqual(
      expect.arrayContaining(['2 d', '1,200.00', '4,500.50', '10%', '20%', '12 mo', '5.5%']),
    );
    expect(text).toEqual(expect.arrayContaining(['2,400.00', '4,050.45', '399.96']));
    // 2400 + 4050.45 + 399.96 = 6850.41 net; VAT 810.09 + 22.00 = 832.09; discount 450.05.
    expect(document.totals).toMatchObject({
      subtotal: '7300.46',
      discount: '450.05',
      net: '6850.41',
      total: '7682.50',
    });
    expect(text).toEqual(
      expect.arrayContaining([
        'Subtotal',
        '7,300.46 EUR',
        'Discount',
        '-450.05 EUR',
        '6,850.41 EUR',
        'VAT 5.5% of 399.96 EUR',
        '22.00 EUR',
        'VAT 20% of 4,050.45 EUR',
        '810.09 EUR',
        'Total',
        '7,682.50 EUR',
      ]),
    );
    expect(info).toMatchObject({
      Title: 'Quote 1042: Website relaunch',
      Producer: 'salesforce-quote-sync',
      CreationDate: 'D:20260301000000Z',
    });
  });

  it('renders the same bytes for the same document', async () => {
    const [first, second] = await Promise.all([pdfOf(quote(threeLines)), pdfOf(quote(threeLines))]);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it('spans pages for 120 lines, repeating the table header and numbering the pages', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => ({
      name: `Work package ${i + 1}`,
      quantity: 1,
      unitPrice: '10.01',
      vatPercent: 20,
    }));
    const document = quote(lines);
    const { pages, positions } = await extractPdfText(await pdfOf(document));

    expect(pages.length).toBeGreaterThan(1);
    const all = pages.flat();
    for (let i = 1; i <= 120; i++) expect(all).toContain(`Work package ${i}`);
    // Each line appears once: a row is never printed twice across a page break.
    expect(all.filter((t) => /^Work package \d+$/.test(t))).toHaveLength(120);
    pages.forEach((page, i) => {
      expect(page).toContain('Unit price');
      expect(page).toContain(`Quote 1042 · Page ${i + 1} of ${pages.length}`);
    });
    expect(pages.at(-1)).toEqual(expect.arrayContaining(['Total', '1,441.20 EUR']));
    // 120 × 10.01 = 1201.20 net; VAT 20 % of 10.01 is 2.002 → 2.00 per line, so 240.00.
    expect(document.totals.total).toBe('1441.20');

    // Everything stays on the paper and above the footer.
    for (const page of positions) {
      const footer = page.find((item) => item.text.includes('· Page'));
      expect(footer).toBeDefined();
      for (const item of page) {
        expect(item.x).toBeGreaterThanOrEqual(0);
        expect(item.x + item.width).toBeLessThanOrEqual(A4_WIDTH);
        if (item !== footer) expect(item.y).toBeGreaterThan(footer?.y ?? 0);
      }
    }
  });

  it('wraps long descriptions and continues a row that is taller than a page', async () => {
    const paragraph = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(30).trim();
    const lines: QuoteLineInput[] = [
      { name: 'Short line', quantity: 1, unitPrice: 1 },
      {
        name: 'Very long line',
        description: Array.from({ length: 130 }, (_, i) => `step ${i + 1}`).join('\n'),
        quantity: 1,
        unitPrice: 2,
      },
      { name: 'Wrapped line', description: paragraph, quantity: 1, unitPrice: 3 },
    ];
    const { pages, positions } = await extractPdfText(await pdfOf(quote(lines)));
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.flat();
    expect(all).toContain('step 1');
    expect(all).toContain('step 130');
    // The paragraph is broken into several printed lines, each within the page.
    const pieces = all.filter((t) => t.includes('Lorem') || t.includes('ipsum'));
    expect(pieces.length).toBeGreaterThan(3);
    for (const item of positions.flat()) expect(item.x + item.width).toBeLessThanOrEqual(A4_WIDTH);
  });

  it('prints Polish, Latvian, Lithuanian, Estonian, Greek and Cyrillic names exactly', async () => {
    const names = [
      'Wdrożenie w Łodzi',
      'Поддержка',
      'Ελλάδα',
      'Rīgas ķēžu pārbaude',
      'Šiaulių ąžuolai į Klaipėdą',
      'Tõnu Sõõrumaa, Pärnu',
    ];
    const document = quote(
      names.map((name) => ({ name, quantity: 1, unitPrice: 100, vatPercent: 23 })),
      {
        title: 'Oferta dla Łukasza Żółcia (Łódź)',
        company: { name: 'ООО «Ромашка»', addressLines: ['ул. Ленина 1', 'Αθήνα 105 57'] },
        person: { name: 'Łukasz Żółć', email: 'lukasz@example.pl' },
      },
    );
    const { pdf, missingCharacters } = await renderer.render(document);
    expect(missingCharacters).toEqual([]);
    const { pages, info } = await extractPdfText(pdf);
    const text = pages.flat();
    for (const name of names) expect(text).toContain(name);
    expect(text).toEqual(
      expect.arrayContaining([
        'Oferta dla Łukasza Żółcia (Łódź)',
        'ООО «Ромашка»',
        'ул. Ленина 1',
        'Αθήνα 105 57',
        'Łukasz Żółć',
      ]),
    );
    expect(text.join('\n')).not.toContain('?');
    expect(info).toMatchObject({ Title: 'Quote 1042: Oferta dla Łukasza Żółcia (Łódź)' });
  });

  it('keeps every letter extractable across renders that share the parsed fonts', async () => {
    // Ż is drawn from Z and a dot: writing its subset meets Z as a component first.
    const shared = new PdfLibQuoteRenderer();
    await shared.render(quote([{ name: 'Żółw', quantity: 1, unitPrice: 1 }], { title: 'Ż' }));
    const { pdf } = await shared.render(quote([{ name: 'Zebra', quantity: 1, unitPrice: 1 }]));
    expect((await extractPdfText(pdf)).pages.flat()).toContain('Zebra');
  });

  it('prints a character no font has as a visible replacement and lists it', async () => {
    const document = quote(
      [{ name: 'Café – naïve € ✓ 中文 😀', description: 'Zeile 1\tmit Tab', quantity: 1, unitPrice: 5 }],
      // A decomposed "ó" (o + U+0301) prints as the one letter; a zero-width joiner prints nothing.
      { title: 'Angebot für Jürgen Ω', person: { name: 'Zo\u0301fia\u200D Kowalska 東京' } },
    );
    const { pdf, missingCharacters } = await renderer.render(document);
    // In the order they are printed: the contact person comes before the lines.
    expect(missingCharacters).toEqual(['東', '京', '中', '文']);
    const text = (await extractPdfText(pdf)).pages.flat();
    expect(text).toContain('Café – naïve € ✓ \uFFFD\uFFFD 😀');
    expect(text).toContain('Angebot für Jürgen Ω');
    expect(text).toContain('Zófia Kowalska \uFFFD\uFFFD');
    expect(text).toContain('Zeile 1 mit Tab');
    expect(text.join('\n')).not.toContain('?');
  });

  it('prints the seller, validity, description, payment terms and a labelled contact person', async () => {
    const document = quote(threeLines, {
      validUntil: '2026-03-31',
      description: 'Relaunch of the public website with a new design system.',
      paymentTerms: '14 days net from the invoice date.',
      seller: {
        name: 'Nordlicht Consulting OÜ',
        addressLines: ['Pärnu mnt 12', '10148 Tallinn'],
        registrationNumber: '14876543',
        vatNumber: 'EE102345678',
        email: 'sales@nordlicht.example',
        phone: '+372 600 1234',
      },
      person: {
        name: 'Jane Buyer',
        title: 'Head of Marketing',
        email: 'jane@acme.example',
        phone: '+44 20 7946 0000',
      },
    });
    const { pages, positions } = await extractPdfText(await pdfOf(document));
    const text = pages.flat();
    expect(text).toEqual(
      expect.arrayContaining([
        'Nordlicht Consulting OÜ',
        'Pärnu mnt 12',
        'Reg. no. 14876543 · VAT no. EE102345678',
        'sales@nordlicht.example · +372 600 1234',
        'Valid until 2026-03-31',
        'Relaunch of the public website with a new design system.',
        'CONTACT PERSON',
        'Head of Marketing',
        '+44 20 7946 0000',
        'VALIDITY',
        'This quote is valid until 2026-03-31.',
        'PAYMENT TERMS',
        '14 days net from the invoice date.',
        'Nordlicht Consulting OÜ · Reg. no. 14876543 · VAT no. EE102345678',
      ]),
    );
    // Terms come after the total, and nothing leaves the paper.
    const [page] = positions;
    const y = (t: string) => page?.find((i) => i.text === t)?.y ?? Number.NaN;
    expect(y('PAYMENT TERMS')).toBeLessThan(y('Total'));
    for (const item of page ?? []) expect(item.x + item.width).toBeLessThanOrEqual(A4_WIDTH);
  });

  it('leaves out every part that is absent, labels included', async () => {
    const minimal = quote([{ name: 'Consulting', quantity: 1, unitPrice: 100 }], {
      company: undefined,
      person: undefined,
      owner: undefined,
    });
    const text = (await extractPdfText(await pdfOf(minimal))).pages.flat();
    for (const absent of ['CUSTOMER', 'CONTACT PERSON', 'PREPARED BY', 'VALIDITY', 'PAYMENT TERMS'])
      expect(text).not.toContain(absent);
    expect(text.some((t) => t.startsWith('Valid until') || t.includes('Reg. no.'))).toBe(false);
    expect(text).toEqual(expect.arrayContaining(['QUOTE', 'Quote no. 1042', 'Consulting', 'Total']));
  });

  it('uses the currency minor units (JPY without decimals) and works without parties', async () => {
    const document = quote([{ name: 'Licence', quantity: 3, unitPrice: '1999.5', vatPercent: 10 }], {
      currency: 'JPY',
      company: undefined,
      person: undefined,
      owner: undefined,
    });
    const text = (await extractPdfText(await pdfOf(document))).pages.flat();
    expect(text).toEqual(expect.arrayContaining(['Amount (JPY)', '1,999.5', '5,999', 'Total', '6,599 JPY']));
    expect(text).not.toContain('CUSTOMER');
  });

  it('keeps the largest possible amounts readable: labels and cells never overprint each other', async () => {
    const huge = {
      name: 'Everything',
      quantity: '999999999.9999',
      unit: 'pcs',
      unitPrice: '999999999999.9999',
      vatPercent: 100,
    };
    const document = quote([huge, { ...huge, name: 'Everything again', discountPercent: '0.01' }]);
    const [page] = (await extractPdfText(await pdfOf(document))).positions;
    const find = (text: string) => {
      const item = page?.find((i) => i.text === text);
      if (!item) throw new Error(`${text} not printed`);
      return item;
    };
    const label = find('Total');
    const amount = find(`${document.totals.total.replace(/\B(?=(\d{3})+(?!\d))/g, ',')} EUR`);
    expect(label.y).toBeCloseTo(amount.y, 1);
    expect(label.x + label.width).toBeLessThan(amount.x);
    // Every number of a table row stays left of the next one.
    const row = (page ?? [])
      .filter((i) => Math.abs(i.y - find('Everything').y) < 0.5)
      .sort((a, b) => a.x - b.x);
    expect(row.length).toBe(7);
    row.slice(1).forEach((item, i) => {
      const previous = row[i];
      expect(previous && previous.x + previous.width).toBeLessThanOrEqual(item.x);
    });
    for (const item of page ?? []) expect(item.x + item.width).toBeLessThanOrEqual(A4_WIDTH);
  });

  it('refuses totals that do not belong to the lines', async () => {
    const document = quote(threeLines);
    await expect(renderer.render({ ...document, lines: document.lines.slice(1) })).rejects.toThrow(
      RangeError,
    );
    await expect(renderer.render({ ...document, currency: 'USD' })).rejects.toThrow(/totals in EUR/);
    await expect(renderer.render({ ...document, issuedOn: '01.03.2026' })).rejects.toThrow(/yyyy-mm-dd/);
  });

  it('breaks a word wider than its column inside the column, never past it or the margin', async () => {
    const word = 'Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenhalterung';
    const document = quote([{ name: word.repeat(2), description: word, quantity: 1, unitPrice: 10 }], {
      title: word.repeat(3),
      description: word.repeat(3),
      seller: { name: word.repeat(2), addressLines: [word.repeat(2)] },
      company: { name: word, addressLines: [] },
      person: { name: word, email: `${word}@example.com` },
      paymentTerms: word.repeat(3),
    });
    const { pages, positions } = await extractPdfText(await pdfOf(document));
    const [page = []] = positions;
    // Every piece is printed, and together they are the words again.
    expect(pages.flat().join('')).toContain(word.repeat(3));
    for (const item of page) expect(item.x + item.width).toBeLessThanOrEqual(A4_WIDTH - MARGIN + 0.01);
    // Pieces of the line's name and description stay in the item column, left of the quantity.
    const itemX = MARGIN + 22 + 4;
    const itemColumnEnd = MARGIN + 22 + (A4_WIDTH - 2 * MARGIN - 310);
    const quantity = page.find((i) => i.text === 'Quantity');
    const subtotal = page.find((i) => i.text === 'Subtotal');
    const pieces = page.filter(
      (i) => Math.abs(i.x - itemX) < 0.5 && i.y < (quantity?.y ?? 0) && i.y > (subtotal?.y ?? 0),
    );
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) expect(piece.x + piece.width).toBeLessThanOrEqual(itemColumnEnd);
  });
});

type Matrix = [number, number, number, number, number, number];
/** `m` then `n`, as PDF's row-vector convention composes a `cm` onto the current matrix. */
const times = ([a, b, c, d, e, f]: Matrix, [na, nb, nc, nd, ne, nf]: Matrix): Matrix => [
  a * na + b * nc,
  a * nb + b * nd,
  c * na + d * nc,
  c * nb + d * nd,
  e * na + f * nc + ne,
  e * nb + f * nd + nf,
];

/** Where each page draws its images: the `cm` operators of each `q … Do Q`, composed. */
async function imagePlacements(pdf: Uint8Array) {
  const document = await PDFDocument.load(pdf);
  return document.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray
        ? contents.asArray().map((ref) => document.context.lookup(ref))
        : [contents];
    const text = streams
      .filter((stream): stream is PDFRawStream => stream instanceof PDFRawStream)
      .map((stream) => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'))
      .join('\n');
    return [...text.matchAll(/q\n((?:[-\d. ]+ cm\n)+)\/\S+ Do/g)].map((block) => {
      const matrices = (block[1] ?? '')
        .trim()
        .split('\n')
        .map((line) => line.split(' ').slice(0, 6).map(Number) as Matrix);
      const [width, , , height, x, y] = matrices.reduce((ctm, m) => times(m, ctm), [
        1, 0, 0, 1, 0, 0,
      ] as Matrix);
      return { width, height, x, y };
    });
  });
}

function logoOf(bytes: Uint8Array): QuoteDocumentLogo {
  return { ...sniffLogo(bytes), sha256: sha256Hex(bytes), bytes };
}

const fixture = (name: string) =>
  new Uint8Array(readFileSync(join(__dirname, '..', '..', 'fixtures', 'images', name)));

describe('the logo in the header', () => {
  const seller = { name: 'Nordlicht Consulting OÜ', addressLines: ['Pärnu mnt 12', '10148 Tallinn'] };

  it('draws the logo once, top left on the first page, scaled into 180 × 56 points, above the seller', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => ({
      name: `Line ${i + 1}`,
      quantity: 1,
      unitPrice: 1,
    }));
    const pdf = await pdfOf(quote(lines, { seller, logo: logoOf(fixture('logo.png')) }));
    const placements = await imagePlacements(pdf);
    expect(placements.length).toBeGreaterThan(1);
    expect(placements.slice(1).flat()).toEqual([]);
    const [logo] = placements[0] ?? [];
    // 720 × 200 pixels: the width is the limit, the aspect ratio is kept.
    expect(logo?.width).toBeCloseTo(180, 2);
    expect(logo?.height).toBeCloseTo(50, 2);
    expect(logo?.x).toBeCloseTo(MARGIN, 2);
    expect((logo?.y ?? 0) + (logo?.height ?? 0)).toBeCloseTo(A4_HEIGHT - MARGIN, 2);
    const { positions } = await extractPdfText(pdf);
    const name = positions[0]?.find((item) => item.text === seller.name);
    // The seller's name sits below the picture (its baseline and its capitals).
    expect((name?.y ?? 0) + 12).toBeLessThan(logo?.y ?? 0);
    expect(positions[0]?.map((item) => item.text)).toEqual(
      expect.arrayContaining(['QUOTE', 'Quote no. 1042']),
    );
  });

  it('fits wide and tall logos by their limiting side', async () => {
    const wide = (
      await imagePlacements(await pdfOf(quote(threeLines, { logo: logoOf(makePng(2000, 100)) })))
    )[0]?.[0];
    expect(wide?.width).toBeCloseTo(180, 2);
    expect(wide?.height).toBeCloseTo(9, 2);
    const tall = (
      await imagePlacements(await pdfOf(quote(threeLines, { logo: logoOf(makePng(100, 1000)) })))
    )[0]?.[0];
    expect(tall?.height).toBeCloseTo(56, 2);
    expect(tall?.width).toBeCloseTo(5.6, 2);
  });

  it('embeds every PNG and JPEG the upload takes', async () => {
    const files = [
      fixture('logo.jpg'),
      ...PNG_VARIANTS.flatMap(([colour, depth, extra]) =>
        [false, true].map((interlaced) => makePng(13, 7, { colour, depth, interlaced, extra })),
      ),
    ];
    for (const file of files) {
      const [placement] =
        (await imagePlacements(await pdfOf(quote(threeLines, { logo: logoOf(file) }))))[0] ?? [];
      expect(placement?.width).toBeGreaterThan(0);
    }
  });

  it('draws no picture and leaves no gap without a logo', async () => {
    const without = await pdfOf(quote(threeLines, { seller }));
    expect((await imagePlacements(without)).flat()).toEqual([]);
    const { positions } = await extractPdfText(without);
    const name = positions[0]?.find((item) => item.text === seller.name);
    expect((name?.y ?? 0) + 12).toBeGreaterThan(A4_HEIGHT - MARGIN - 1);
  });
});
