import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PdfLibQuoteRenderer } from '../shared/adapters/pdf/pdf-lib-quote-renderer';
import type { QuoteDocument, QuoteDocumentLogo } from '../shared/domain/quote-document';
import { computeQuoteTotals, type QuoteLineInput, quoteLineSchema } from '../shared/domain/quote-lines';
import { sha256Hex, sniffLogo } from '../shared/domain/site-logo';

/**
 * Renders sample quotes (a full profile, a minimal one, many lines over several pages, long
 * names; the first two with the fixture logos, PNG and JPEG) into a folder as PDFs and, where pdftoppm exists, PNG pages, to look at the layout:
 * `npx tsx docs/render-quote-samples.ts [folder]` (default .local/quote-samples).
 * docs/quote-sample.png is the first page of the full sample.
 */
const out = process.argv[2] ?? join(__dirname, '..', '.local', 'quote-samples');

/** A logo as the PDF gets it: the file, with what the upload's sniffing found in it. */
function logo(file: string): QuoteDocumentLogo {
  const bytes = new Uint8Array(readFileSync(join(__dirname, '..', 'test', 'fixtures', 'images', file)));
  return { ...sniffLogo(bytes), sha256: sha256Hex(bytes), bytes };
}

function document(inputs: QuoteLineInput[], rest: Partial<QuoteDocument>): QuoteDocument {
  const lines = inputs.map((input) => quoteLineSchema.parse(input));
  return {
    number: 1042,
    title: 'Wdrożenie systemu w Łodzi',
    issuedOn: '2026-12-01',
    currency: 'EUR',
    lines,
    totals: computeQuoteTotals(lines, 'EUR'),
    ...rest,
  };
}

const fullLines: QuoteLineInput[] = [
  {
    name: 'Wdrożenie w Łodzi',
    description: 'Warsztaty i konfiguracja na miejscu, dwa dni',
    quantity: 2,
    unit: 'd',
    unitPrice: '1200',
    vatPercent: 23,
  },
  {
    name: 'Поддержка',
    description: 'Техническая поддержка, 12 месяцев',
    quantity: 12,
    unit: 'mo',
    unitPrice: '150',
    vatPercent: 23,
  },
  {
    name: 'Ελλάδα',
    description: 'Εκπαίδευση ομάδας στην Αθήνα',
    quantity: 1,
    unitPrice: '990',
    discountPercent: 10,
    vatPercent: 23,
  },
  { name: 'Licences', quantity: 25, unit: 'pcs', unitPrice: '19.90', vatPercent: 23 },
];

const seller = {
  name: 'Nordlicht Consulting OÜ',
  addressLines: ['Pärnu mnt 12', '10148 Tallinn', 'Estonia'],
  registrationNumber: '14876543',
  vatNumber: 'EE102345678',
  email: 'sales@nordlicht.example',
  phone: '+372 600 1234',
  website: 'nordlicht.example',
};

const samples: Record<string, QuoteDocument> = {
  full: document(fullLines, {
    validUntil: '2026-12-31',
    description:
      'Wdrożenie platformy sprzedażowej dla zespołu w Łodzi: analiza procesu, konfiguracja, migracja danych z arkuszy i szkolenie użytkowników.',
    paymentTerms:
      '50% on order, 50% on acceptance; 14 days net from each invoice. Bank: LHV, IBAN EE12 7700 7710 0123 4567.',
    seller,
    logo: logo('logo.png'),
    company: {
      name: 'Łódzkie Zakłady Sp. z o.o.',
      addressLines: ['ul. Piotrkowska 1', '90-001 Łódź', 'Polska'],
    },
    person: {
      name: 'Łukasz Żółć',
      title: 'Dyrektor operacyjny',
      email: 'lukasz@zaklady.example',
      phone: '+48 42 123 45 67',
    },
    owner: { name: 'Kadri Tamm', email: 'kadri@nordlicht.example' },
  }),
  minimal: document([{ name: 'Consulting', quantity: 3, unit: 'h', unitPrice: '120' }], {
    title: 'Consulting',
  }),
  'many-lines': document(
    Array.from({ length: 90 }, (_, i) => ({
      name: `Work package ${i + 1}`,
      ...(i % 4 === 0
        ? { description: 'Analysis, design, build and test of the package, with a review at the end' }
        : {}),
      quantity: (i % 5) + 1,
      unit: 'h',
      unitPrice: '95.50',
      vatPercent: i % 3 === 0 ? 9 : 22,
    })),
    {
      validUntil: '2026-12-31',
      paymentTerms: '14 days net.',
      seller,
      logo: logo('logo.jpg'),
      company: { name: 'Acme Ltd', addressLines: ['1 High Street', 'London N1 9GU'] },
    },
  ),
  'long-names': document(
    [
      {
        name: 'Ein außerordentlich langer Positionsname, der über mehrere Zeilen umbrechen muss, ohne die Zahlen zu überdecken',
        description:
          'Beschreibung mit einem sehr langen Wort: Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen',
        quantity: '1234.5',
        unit: 'Stunden',
        unitPrice: '99999.99',
        discountPercent: '12.5',
        vatPercent: 19,
      },
    ],
    {
      title:
        'Angebot für die Neugestaltung des gesamten Kundenportals einschließlich Schnittstellen zu allen Drittsystemen',
      seller: {
        ...seller,
        name: 'Eine sehr lange Firmenbezeichnung GmbH & Co. Kommanditgesellschaft auf Aktien',
      },
      company: {
        name: 'Bundesanstalt für außergewöhnlich lange Organisationsbezeichnungen',
        addressLines: ['Friedrichstraße 123', '10117 Berlin'],
      },
      person: {
        name: 'Maximiliane Alexandra von Hohenzollern-Sigmaringen',
        title: 'Leiterin Beschaffung',
        email: 'maximiliane.von.hohenzollern@bundesanstalt.example',
      },
      owner: { name: 'Kadri Tamm', email: 'kadri@nordlicht.example' },
    },
  ),
};

async function main() {
  mkdirSync(out, { recursive: true });
  const renderer = new PdfLibQuoteRenderer();
  for (const [name, doc] of Object.entries(samples)) {
    const start = process.hrtime.bigint();
    const { pdf, missingCharacters } = await renderer.render(doc);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const file = join(out, `${name}.pdf`);
    writeFileSync(file, pdf);
    console.log(
      `${name}: ${pdf.byteLength} bytes, ${ms.toFixed(0)} ms${missingCharacters.length ? `, missing ${missingCharacters.join('')}` : ''}`,
    );
    try {
      execFileSync('pdftoppm', ['-png', '-r', '110', file, join(out, name)]);
    } catch {
      console.log('  (no pdftoppm: PDFs only)');
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
