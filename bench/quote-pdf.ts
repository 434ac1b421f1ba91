import { PdfLibQuoteRenderer } from '../shared/adapters/pdf/pdf-lib-quote-renderer';
import type { QuoteDocument } from '../shared/domain/quote-document';
import { computeQuoteTotals, type QuoteLineInput, quoteLineSchema } from '../shared/domain/quote-lines';
import { round, summarize } from './support';

/**
 * Quote PDF rendering in this process: the first render (font files read and parsed, as on a
 * cold start), then warm renders of a one-page and a multi-page quote, with the file sizes
 * (fonts embedded as subsets).
 */
const NAMES = ['Wdrożenie w Łodzi', 'Поддержка', 'Ελλάδα', 'Rīgas ķēžu pārbaude', 'Tõnu Sõõrumaa'];

function document(lineCount: number): QuoteDocument {
  const inputs: QuoteLineInput[] = Array.from({ length: lineCount }, (_, i) => ({
    name: `${NAMES[i % NAMES.length]} ${i + 1}`,
    description: i % 3 === 0 ? 'Analiza, projekt i wdrożenie; szkolenie zespołu w Łodzi' : undefined,
    quantity: (i % 4) + 1,
    unit: 'h',
    unitPrice: '95.50',
    vatPercent: 23,
  }));
  const lines = inputs.map((input) => quoteLineSchema.parse(input));
  return {
    number: 1042,
    title: 'Wdrożenie w Łodzi (Łódź)',
    issuedOn: '2026-03-01',
    currency: 'EUR',
    company: { name: 'Łódzkie Zakłady Sp. z o.o.', addressLines: ['ul. Piotrkowska 1', '90-001 Łódź'] },
    person: { name: 'Łukasz Żółć', email: 'lukasz@example.pl' },
    owner: { name: 'Sam Seller', email: 'sam@example.com' },
    lines,
    totals: computeQuoteTotals(lines, 'EUR'),
  };
}

async function timed(renderer: PdfLibQuoteRenderer, doc: QuoteDocument) {
  const start = process.hrtime.bigint();
  const { pdf } = await renderer.render(doc);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, bytes: pdf.byteLength };
}

export async function benchQuotePdf() {
  const renderer = new PdfLibQuoteRenderer();
  const onePage = document(5);
  const manyPages = document(300);
  const first = await timed(renderer, onePage);
  const warm = async (doc: QuoteDocument, runs: number) => {
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const run = await timed(renderer, doc);
      samples.push(run.ms);
      bytes = run.bytes;
    }
    return { ms: summarize(samples), bytes };
  };
  const one = await warm(onePage, 30);
  const many = await warm(manyPages, 5);
  const result = {
    firstRenderMs: round(first.ms),
    onePage: { lines: 5, bytes: one.bytes, warmMs: one.ms },
    manyPages: { lines: 300, bytes: many.bytes, warmMs: many.ms },
  };
  console.log(
    `quote PDF: first render ${result.firstRenderMs} ms; 1 page ${one.bytes} bytes, warm median ${one.ms.median} ms; 300 lines ${many.bytes} bytes, warm median ${many.ms.median} ms`,
  );
  return result;
}
