import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFImage, type PDFPage, rgb } from 'pdf-lib';
import { formatMoney, groupThousands, minorUnits, toBig } from '../../domain/money';
import type { QuoteDocument } from '../../domain/quote-document';
import type { QuoteRenderer, RenderedQuote } from '../../ports/quote-renderer';
import { loadQuoteFonts, type QuoteFonts } from './quote-fonts';

/** A4 in PDF points (1/72 in). */
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 48;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
/** Nothing but the footer goes below this line. */
const BOTTOM = MARGIN + 24;
const CELL_PADDING = 4;

const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.38, 0.38, 0.38);
const RULE = rgb(0.8, 0.8, 0.8);
const HEADER_FILL = rgb(0.92, 0.92, 0.92);

const PRODUCER = 'salesforce-quote-sync';

/** Printed for a character no embedded font has: visible, and never mistaken for a real "?". */
const REPLACEMENT = '\uFFFD';
/**
 * Invisible formatting (zero-width joiners, variation selectors, soft hyphens, BOM): nothing to
 * print, and text extraction would split words at them.
 */
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
/**
 * No ligatures: every character is its own glyph, so widths add up per character and the text
 * extracted from the PDF is exactly the text given (no "ﬁ" for "fi").
 */
const FONT_FEATURES = { liga: false, clig: false, dlig: false, rlig: false };

/**
 * pdf-lib parses the font file anew for every document, and most of a warm render went into
 * re-parsing the same tables; fontkit keeps parsed tables on the font object, so one parsed
 * font per file serves every render (subsets are still made per document).
 *
 * fontkit also caches each glyph with the characters it was first asked for, and pdf-lib writes
 * those characters into the PDF's ToUnicode map. A glyph first met as a component of another
 * (Z inside Ż, when a subset is written) would be cached with none and be unextractable in every
 * later document; asking for every mapped character up front caches each glyph with its own.
 */
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
const parsedFonts = new WeakMap<Uint8Array, ReturnType<Fontkit['create']>>();
const sharedFontkit: Fontkit = {
  create(buffer, postscriptName) {
    let font = parsedFonts.get(buffer);
    if (!font) {
      font = fontkit.create(buffer, postscriptName);
      for (const codePoint of [...font.characterSet].sort((a, b) => a - b)) font.glyphForCodePoint(codePoint);
      parsedFonts.set(buffer, font);
    }
    return font;
  },
};

interface Column {
  header: string;
  width: number;
  align: 'left' | 'right';
}

/** Widths add up to CONTENT_WIDTH; the item column takes what the numbers leave. */
const NUMBER_COLUMNS = { position: 22, quantity: 64, unitPrice: 72, discount: 40, vat: 38, amount: 74 };
const ITEM_WIDTH = CONTENT_WIDTH - Object.values(NUMBER_COLUMNS).reduce((a, b) => a + b, 0);

/** The box the logo is scaled into (aspect ratio kept), at the top left of the first page. */
const LOGO_BOX = { width: 180, height: 56 };

const TABLE_FONT_SIZE = 9;
const DESCRIPTION_FONT_SIZE = 8;

/**
 * Renders quotes with pdf-lib. The text is set in embedded subsets of a Unicode font (see
 * quote-fonts.ts): only the glyphs a quote uses are embedded, so a one-page quote stays near
 * 20 KB. A character the font lacks prints as U+FFFD and is listed in the result.
 *
 * Output is deterministic for the same document: metadata dates come from the issue date, the
 * producer is fixed and pdf-lib's subset tags come from a seeded generator, so re-rendering an
 * unchanged quote yields the same bytes.
 */
export class PdfLibQuoteRenderer implements QuoteRenderer {
  constructor(private readonly fonts: () => Promise<QuoteFonts> = loadQuoteFonts) {}

  async render(document: QuoteDocument): Promise<RenderedQuote> {
    if (document.totals.lines.length !== document.lines.length) {
      throw new RangeError(
        `Quote ${document.number}: ${document.totals.lines.length} line totals for ${document.lines.length} lines`,
      );
    }
    if (document.totals.currency !== document.currency.toUpperCase()) {
      throw new RangeError(
        `Quote ${document.number}: totals in ${document.totals.currency}, document in ${document.currency}`,
      );
    }
    const issuedOn = parseIssueDate(document.issuedOn);

    const files = await this.fonts();
    const pdf = await PDFDocument.create({ updateMetadata: false });
    pdf.registerFontkit(sharedFontkit);
    const embed = (bytes: Uint8Array) => pdf.embedFont(bytes, { subset: true, features: FONT_FEATURES });
    const fonts = { regular: await embed(files.regular), bold: await embed(files.bold) };
    const logo = document.logo
      ? document.logo.contentType === 'image/png'
        ? await pdf.embedPng(document.logo.bytes)
        : await pdf.embedJpg(document.logo.bytes)
      : undefined;
    const writer = new Writer(pdf, fonts, document, logo);

    // Document metadata is UTF-16 text: no font needed, only control characters go.
    pdf.setTitle(plainText(`Quote ${document.number}: ${document.title}`));
    pdf.setProducer(PRODUCER);
    pdf.setCreator(PRODUCER);
    pdf.setCreationDate(issuedOn);
    pdf.setModificationDate(issuedOn);

    writer.firstPageHeader();
    writer.table();
    writer.totals();
    writer.terms();
    writer.footers();
    return { pdf: await pdf.save(), missingCharacters: [...writer.missing] };
  }
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code < 0xa0);
}

function plainText(text: string): string {
  return [...text.normalize('NFC')].filter((char) => !isControl(char.codePointAt(0) ?? 0)).join('');
}

function parseIssueDate(issuedOn: string): Date {
  const date = new Date(`${issuedOn}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(issuedOn) || Number.isNaN(date.getTime())) {
    throw new RangeError(`issuedOn must be a date as yyyy-mm-dd, got ${JSON.stringify(issuedOn)}`);
  }
  return date;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** One printed line inside a table row; the first of a row also carries the number cells. */
interface RowLine {
  text: string;
  font: PDFFont;
  size: number;
  color: typeof INK;
  cells?: string[];
}

/** Lays the document out top to bottom, opening pages as it goes. */
class Writer {
  private page: PDFPage;
  private y: number;
  private readonly printable: ReadonlyMap<PDFFont, ReadonlySet<number>>;
  private readonly columns: Column[];
  /** Characters printed as the replacement, in order of first appearance. */
  readonly missing = new Set<string>();
  /** Advance width of each character at size 1000, per font (see `width`). */
  private readonly advances = new Map<PDFFont, Map<string, number>>();

  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: Fonts,
    private readonly document: QuoteDocument,
    private readonly logo?: PDFImage,
  ) {
    this.printable = new Map(
      [fonts.regular, fonts.bold].map((font) => [font, new Set(font.getCharacterSet())] as const),
    );
    this.columns = [
      { header: '#', width: NUMBER_COLUMNS.position, align: 'right' },
      { header: 'Item', width: ITEM_WIDTH, align: 'left' },
      { header: 'Quantity', width: NUMBER_COLUMNS.quantity, align: 'right' },
      { header: 'Unit price', width: NUMBER_COLUMNS.unitPrice, align: 'right' },
      { header: 'Disc.', width: NUMBER_COLUMNS.discount, align: 'right' },
      { header: 'VAT', width: NUMBER_COLUMNS.vat, align: 'right' },
      {
        header: `Amount (${document.currency.toUpperCase()})`,
        width: NUMBER_COLUMNS.amount,
        align: 'right',
      },
    ];
    this.page = pdf.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN;
  }

  /**
   * Text as `font` can print it: composed (NFC, so a letter + combining accent becomes the one
   * letter the font has), tabs as spaces, control and invisible formatting characters dropped, and every
   * character the font lacks replaced by U+FFFD and remembered.
   */
  clean(text: string, font: PDFFont): string {
    const printable = this.printable.get(font) ?? new Set<number>();
    let out = '';
    for (const char of text.normalize('NFC').replace(/\t/g, ' ')) {
      const code = char.codePointAt(0) ?? 0;
      if (isControl(code) || IGNORABLE.test(char)) continue;
      if (printable.has(code)) out += char;
      else {
        this.missing.add(char);
        out += REPLACEMENT;
      }
    }
    return out;
  }

  /**
   * Text width in points. pdf-lib measures by laying the whole string out with fontkit, which
   * costs as much as drawing it; word wrap measures every candidate line, so the advance of each
   * character is measured once and summed. Without ligatures (FONT_FEATURES) and with pdf-lib
   * drawing plain advances, the sum is exactly what pdf-lib draws.
   */
  private width(font: PDFFont, text: string, size: number): number {
    let advances = this.advances.get(font);
    if (!advances) {
      advances = new Map();
      this.advances.set(font, advances);
    }
    let total = 0;
    for (const char of text) {
      let advance = advances.get(char);
      if (advance === undefined) {
        advance = font.widthOfTextAtSize(char, 1000);
        advances.set(char, advance);
      }
      total += advance;
    }
    return (total * size) / 1000;
  }

  firstPageHeader(): void {
    const { document, fonts } = this;
    const right = PAGE.width - MARGIN;
    // Right: what the document is. Left: who sends it.
    const meta: Array<[string, PDFFont, number]> = [
      ['QUOTE', fonts.bold, 20],
      [`Quote no. ${document.number}`, fonts.bold, 10.5],
      [`Date ${document.issuedOn}`, fonts.regular, 9.5],
      ...(document.validUntil
        ? ([[`Valid until ${document.validUntil}`, fonts.regular, 9.5]] as Array<[string, PDFFont, number]>)
        : []),
    ];
    let metaY = this.y;
    for (const [text, font, size] of meta) {
      this.textRight(text, right, metaY - size, font, size);
      metaY -= size + (size > 12 ? 8 : 4.5);
    }
    const sellerWidth = CONTENT_WIDTH * 0.58;
    let sellerY = this.y;
    if (this.logo) {
      // Scaled to fit the box either way: a wide logo takes its width, a tall one its height.
      const scale = Math.min(LOGO_BOX.width / this.logo.width, LOGO_BOX.height / this.logo.height);
      const width = this.logo.width * scale;
      const height = this.logo.height * scale;
      this.page.drawImage(this.logo, { x: MARGIN, y: sellerY - height, width, height });
      sellerY -= height + 10;
    }
    const seller = document.seller;
    if (seller) {
      const lines: Array<[string, PDFFont, number, typeof INK]> = [];
      if (seller.name) lines.push([seller.name, fonts.bold, 12, INK]);
      for (const line of seller.addressLines) lines.push([line, fonts.regular, 8.5, MUTED]);
      const ids = [
        seller.registrationNumber ? `Reg. no. ${seller.registrationNumber}` : '',
        seller.vatNumber ? `VAT no. ${seller.vatNumber}` : '',
      ].filter(Boolean);
      if (ids.length > 0) lines.push([ids.join(' · '), fonts.regular, 8.5, MUTED]);
      const contact = [seller.email, seller.phone, seller.website].filter(Boolean).join(' · ');
      if (contact) lines.push([contact, fonts.regular, 8.5, MUTED]);
      for (const [line, font, size, color] of lines) {
        for (const wrapped of this.wrap(line, font, size, sellerWidth)) {
          this.text(wrapped, MARGIN, sellerY - size, font, size, color);
          sellerY -= size + 3.5;
        }
      }
    }
    this.y = Math.min(metaY, sellerY) - 12;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: right, y: this.y },
      thickness: 0.75,
      color: RULE,
    });
    this.y -= 18;

    for (const line of this.wrap(document.title, fonts.bold, 13, CONTENT_WIDTH)) {
      this.text(line, MARGIN, this.y - 13, fonts.bold, 13);
      this.y -= 17;
    }
    if (document.description) {
      this.y -= 2;
      this.paragraph(document.description, fonts.regular, 9, MUTED);
    }
    this.y -= 12;

    const customer: Array<[string, PDFFont]> = [];
    if (document.company) {
      customer.push([document.company.name, fonts.bold]);
      for (const line of document.company.addressLines) customer.push([line, fonts.regular]);
    }
    const partyLines = (party: QuoteDocument['person']): Array<[string, PDFFont]> =>
      party
        ? [
            [party.name, fonts.bold],
            ...(
              [party.title, party.email, party.phone].filter((line): line is string =>
                Boolean(line),
              ) as string[]
            ).map((line): [string, PDFFont] => [line, fonts.regular]),
          ]
        : [];
    const blocks = (
      [
        ['Customer', customer],
        ['Contact person', partyLines(document.person)],
        ['Prepared by', partyLines(document.owner)],
      ] as Array<[string, Array<[string, PDFFont]>]>
    ).filter(([, lines]) => lines.length > 0);
    // Three columns at most; the blocks present take them from the left.
    const gap = 16;
    const width = (CONTENT_WIDTH - 2 * gap) / 3;
    const heights = blocks.map(([label, lines], i) =>
      this.block(label, lines, MARGIN + i * (width + gap), width),
    );
    if (heights.length > 0) this.y -= Math.max(...heights) + 18;
  }

  /** A labelled block of wrapped lines at the current y; returns its height. */
  private block(label: string, lines: Array<[string, PDFFont]>, x: number, width: number): number {
    if (lines.length === 0) return 0;
    let y = this.y;
    this.text(label.toUpperCase(), x, y - 8, this.fonts.bold, 8, MUTED);
    y -= 14;
    for (const [line, font] of lines) {
      for (const wrapped of this.wrap(line, font, 9.5, width)) {
        this.text(wrapped, x, y - 9.5, font, 9.5);
        y -= 12.5;
      }
    }
    return this.y - y;
  }

  /** Wrapped text from the current y, continuing on a new page (no table header) when full. */
  private paragraph(text: string, font: PDFFont, size: number, color = INK): void {
    const leading = size + 3;
    for (const line of this.wrap(text, font, size, CONTENT_WIDTH)) {
      if (this.y - leading < BOTTOM) this.newPage(false);
      this.text(line, MARGIN, this.y - size, font, size, color);
      this.y -= leading;
    }
  }

  /** Validity and payment terms under the totals, kept together with their labels. */
  terms(): void {
    const { document, fonts } = this;
    const sections: Array<[string, string]> = [];
    if (document.validUntil) sections.push(['Validity', `This quote is valid until ${document.validUntil}.`]);
    if (document.paymentTerms) sections.push(['Payment terms', document.paymentTerms]);
    if (sections.length === 0) return;
    this.y -= 10;
    for (const [label, text] of sections) {
      this.ensureSpace(14 + 2 * 12, false);
      this.text(label.toUpperCase(), MARGIN, this.y - 8, fonts.bold, 8, MUTED);
      this.y -= 13;
      this.paragraph(text, fonts.regular, 9);
      this.y -= 8;
    }
  }

  table(): void {
    this.tableHeader();
    const { document, fonts } = this;
    document.lines.forEach((line, index) => {
      const totals = document.totals.lines[index];
      if (totals === undefined) return;
      const itemWidth = ITEM_WIDTH - 2 * CELL_PADDING;
      const rowLines: RowLine[] = this.wrap(line.name, fonts.bold, TABLE_FONT_SIZE, itemWidth).map(
        (text) => ({
          text,
          font: fonts.bold,
          size: TABLE_FONT_SIZE,
          color: INK,
        }),
      );
      for (const text of line.description
        ? this.wrap(line.description, fonts.regular, DESCRIPTION_FONT_SIZE, itemWidth)
        : []) {
        rowLines.push({ text, font: fonts.regular, size: DESCRIPTION_FONT_SIZE, color: MUTED });
      }
      const first = rowLines[0];
      if (first) {
        first.cells = [
          String(index + 1),
          '',
          `${groupThousands(line.quantity)}${line.unit ? ` ${line.unit}` : ''}`,
          unitPrice(line.unitPrice, document.currency),
          `${line.discountPercent}%`,
          `${line.vatPercent}%`,
          groupThousands(totals.net),
        ];
      }
      this.row(rowLines);
    });
  }

  /** Prints a row line by line, continuing on a new page (under a repeated header) when full. */
  private row(lines: RowLine[]): void {
    // Keep at least the first two lines of a row together with its numbers.
    this.ensureSpace(Math.min(lines.length, 2) * 11 + 6, true);
    this.y -= 3;
    for (const line of lines) {
      const leading = line.size + 2.5;
      if (this.y - leading < BOTTOM) {
        this.newPage(true);
        this.y -= 3;
      }
      const baseline = this.y - line.size;
      const itemX = MARGIN + NUMBER_COLUMNS.position + CELL_PADDING;
      this.text(line.text, itemX, baseline, line.font, line.size, line.color);
      if (line.cells) this.cells(line.cells, baseline, this.fonts.regular, TABLE_FONT_SIZE);
      this.y -= leading;
    }
    this.y -= 3;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: PAGE.width - MARGIN, y: this.y },
      thickness: 0.5,
      color: RULE,
    });
  }

  private tableHeader(): void {
    const height = 16;
    this.page.drawRectangle({
      x: MARGIN,
      y: this.y - height,
      width: CONTENT_WIDTH,
      height,
      color: HEADER_FILL,
    });
    this.cells(
      this.columns.map((c) => c.header),
      this.y - 11,
      this.fonts.bold,
      8,
    );
    this.y -= height;
  }

  /** Draws one text per column, each kept inside its column (shrunk if it would overflow). */
  private cells(texts: string[], baseline: number, font: PDFFont, size: number): void {
    let x = MARGIN;
    this.columns.forEach((column, i) => {
      const text = this.clean(texts[i] ?? '', font);
      const room = column.width - 2 * CELL_PADDING;
      if (text !== '') {
        let fitted = size;
        while (fitted > 4 && this.width(font, text, fitted) > room) fitted -= 0.5;
        const width = this.width(font, text, fitted);
        const left = column.align === 'right' ? x + column.width - CELL_PADDING - width : x + CELL_PADDING;
        this.page.drawText(text, { x: left, y: baseline, font, size: fitted, color: INK });
      }
      x += column.width;
    });
  }

  totals(): void {
    const { document, fonts } = this;
    const { totals } = document;
    const currency = document.currency;
    const rows: Array<[string, string, PDFFont]> = [
      ['Subtotal', formatMoney(totals.subtotal, currency), fonts.regular],
    ];
    if (!toBig(totals.discount).eq(0)) {
      rows.push(['Discount', `-${formatMoney(totals.discount, currency)}`, fonts.regular]);
      rows.push(['Net', formatMoney(totals.net, currency), fonts.regular]);
    }
    for (const entry of totals.vatBreakdown) {
      rows.push([
        `VAT ${entry.rate}% of ${formatMoney(entry.net, currency)}`,
        formatMoney(entry.vat, currency),
        fonts.regular,
      ]);
    }
    if (totals.vatBreakdown.length !== 1)
      rows.push(['VAT total', formatMoney(totals.vat, currency), fonts.regular]);

    const rowHeight = 15;
    this.ensureSpace(rows.length * rowHeight + 40, false);
    this.y -= 14;
    const right = PAGE.width - MARGIN;
    // The label column ends where the widest amount begins (large sums must not overprint it).
    const total = formatMoney(totals.total, currency);
    const widest = Math.max(
      this.width(fonts.bold, this.clean(total, fonts.bold), 12),
      ...rows.map(([, value, font]) => this.width(font, this.clean(value, font), 10)),
    );
    const labelRight = right - Math.max(110, widest + 16);
    for (const [label, value, font] of rows) {
      this.textRight(label, labelRight, this.y - 10, font, 10);
      this.textRight(value, right, this.y - 10, font, 10);
      this.y -= rowHeight;
    }
    this.y -= 4;
    this.page.drawLine({
      start: { x: right - 260, y: this.y },
      end: { x: right, y: this.y },
      thickness: 1,
      color: INK,
    });
    this.y -= 6;
    this.textRight('Total', labelRight, this.y - 12, fonts.bold, 12);
    this.textRight(total, right, this.y - 12, fonts.bold, 12);
    this.y -= 20;
  }

  /** "Quote n · Page i of n" on every page, once the page count is known. */
  footers(): void {
    const pages = this.pdf.getPages();
    const seller = this.document.seller;
    // The seller's legal identity on every page, above the page number (invoicing rules in many
    // countries ask for it on each page of a commercial document).
    const identity = this.clean(
      [
        seller?.name,
        seller?.registrationNumber ? `Reg. no. ${seller.registrationNumber}` : undefined,
        seller?.vatNumber ? `VAT no. ${seller.vatNumber}` : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
      this.fonts.regular,
    );
    const identityLine = this.wrap(identity, this.fonts.regular, 7.5, CONTENT_WIDTH)[0] ?? '';
    pages.forEach((page, i) => {
      if (identityLine !== '') {
        page.drawText(identityLine, {
          x: (PAGE.width - this.width(this.fonts.regular, identityLine, 7.5)) / 2,
          y: MARGIN + 4,
          font: this.fonts.regular,
          size: 7.5,
          color: MUTED,
        });
      }
      const text = this.clean(
        `Quote ${this.document.number} · Page ${i + 1} of ${pages.length}`,
        this.fonts.regular,
      );
      const width = this.width(this.fonts.regular, text, 8);
      page.drawText(text, {
        x: (PAGE.width - width) / 2,
        y: MARGIN - 8,
        font: this.fonts.regular,
        size: 8,
        color: MUTED,
      });
    });
  }

  private ensureSpace(height: number, withTableHeader: boolean): void {
    if (this.y - height < BOTTOM) this.newPage(withTableHeader);
  }

  private newPage(withTableHeader: boolean): void {
    this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - MARGIN;
    const heading = `Quote ${this.document.number} (continued)`;
    this.text(heading, MARGIN, this.y - 10, this.fonts.bold, 10, MUTED);
    this.textRight(this.document.issuedOn, PAGE.width - MARGIN, this.y - 10, this.fonts.regular, 10, MUTED);
    this.y -= 24;
    if (withTableHeader) this.tableHeader();
  }

  private text(text: string, x: number, y: number, font: PDFFont, size: number, color = INK): void {
    const clean = this.clean(text, font);
    if (clean !== '') this.page.drawText(clean, { x, y, font, size, color });
  }

  private textRight(text: string, right: number, y: number, font: PDFFont, size: number, color = INK): void {
    const clean = this.clean(text, font);
    this.page.drawText(clean, { x: right - this.width(font, clean, size), y, font, size, color });
  }

  /**
   * Greedy word wrap within `width`; explicit newlines start new lines, and a word longer than
   * the width is broken between characters. Works on cleaned text so widths are measurable.
   */
  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const fits = (candidate: string) => this.width(font, candidate, size) <= width;
    const lines: string[] = [];
    for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
      let current = '';
      for (const word of this.clean(paragraph, font)
        .split(/ +/)
        .filter((w) => w !== '')) {
        const candidate = current === '' ? word : `${current} ${word}`;
        if (fits(candidate)) {
          current = candidate;
          continue;
        }
        if (current !== '') lines.push(current);
        current = '';
        for (const char of word) {
          if (current !== '' && !fits(current + char)) {
            lines.push(current);
            current = '';
          }
          current += char;
        }
      }
      lines.push(current);
    }
    // Blank lines inside a description are kept; trailing ones are not.
    while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
}

/** Unit prices keep their own precision (up to 4 decimals) but show at least the currency's. */
function unitPrice(value: string, currency: string): string {
  const [integer = '0', fraction = ''] = value.split('.');
  const decimals = Math.max(fraction.length, minorUnits(currency));
  const padded = fraction.padEnd(decimals, '0');
  return groupThousands(decimals === 0 ? integer : `${integer}.${padded}`);
}
