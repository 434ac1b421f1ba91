import { InvalidOutboundMessageError } from '../../domain/errors';
import { escapeXmlText } from './xml-text';

/**
 * What XML 1.0 forbids and fast-xml-parser lets through, checked before parsing, in passes that
 * are each one native regular-expression scan (a 1 MiB body takes a few milliseconds):
 * - characters outside XML's Char production, raw or as character references
 *   (https://www.w3.org/TR/xml/#charsets, https://www.w3.org/TR/xml/#wf-Legalchar);
 * - entity references other than the five predefined ones: no DOCTYPE is accepted, so no other
 *   entity is declared (https://www.w3.org/TR/xml/#wf-entdeclared);
 * - an XML declaration that names an encoding other than UTF-8 (the body was read as UTF-8);
 * - elements with more than MAX_ATTRIBUTES attributes (the parser's time grows with their square:
 *   20,000 attributes took over a second).
 * Names longer than MAX_NAME_LENGTH are refused after parsing (outbound-message-parser.ts).
 * CDATA sections are returned escaped as ordinary text, so their content stays literal after
 * the text is decoded (`<![CDATA[a &amp; b]]>` is the text "a &amp; b").
 */
/** Longer than any name a Salesforce message needs (XML sets no limit; a parser must). */
export const MAX_NAME_LENGTH = 255;

/** Salesforce's elements carry at most a few (namespace declarations, xsi:type, xsi:nil). */
export const MAX_ATTRIBUTES = 64;

const DECLARED_ENCODING = /^\uFEFF?<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']*)["']/;
/** Only a long start tag can hold many attributes; each is read once. */
const LONG_START_TAG = /<[^\s!?/<>][^<>]{256,}>/g;
const ATTRIBUTE = /\s[^\s=<>]+\s*=/g;
const FORBIDDEN_CHARACTER = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Sections whose content is not markup: no reference is read inside them. */
const LITERAL_SECTION = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,8})|#x([0-9a-fA-F]{1,8}))?;?/g;

function where(xml: string, index: number): string {
  const before = xml.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

function notWellFormed(xml: string, index: number, what: string): InvalidOutboundMessageError {
  return new InvalidOutboundMessageError(
    `The body is not well-formed XML 1.0: ${what} (${where(xml, index)})`,
  );
}

/** A code point XML 1.0 allows in a document. */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

function checkReferences(xml: string, segment: string, offset: number): void {
  for (const match of segment.matchAll(REFERENCE)) {
    const [whole, named, decimal, hex] = match;
    const index = offset + (match.index ?? 0);
    if (!whole.endsWith(';') || (named === undefined && decimal === undefined && hex === undefined)) {
      throw notWellFormed(
        xml,
        index,
        `"&" must start one of the references &amp; &lt; &gt; &quot; &apos; &#N; &#xH; (no other entity is declared)`,
      );
    }
    const code =
      decimal !== undefined ? Number(decimal) : hex !== undefined ? Number.parseInt(hex, 16) : 0x20;
    if (!isXmlChar(code)) {
      throw notWellFormed(
        xml,
        index,
        `${whole} refers to U+${code.toString(16).toUpperCase().padStart(4, '0')}, which XML 1.0 does not allow`,
      );
    }
  }
}

/** Throws InvalidOutboundMessageError naming the first violation; returns the body with CDATA as text. */
export function preflightXml(xml: string): string {
  const forbidden = FORBIDDEN_CHARACTER.exec(xml);
  if (forbidden) {
    const code = forbidden[0].codePointAt(0) ?? 0;
    throw notWellFormed(
      xml,
      forbidden.index,
      `the character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML 1.0`,
    );
  }

  const encoding = DECLARED_ENCODING.exec(xml)?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    throw new InvalidOutboundMessageError(
      `The body declares the encoding ${encoding}; outbound messages are UTF-8, and it was read as UTF-8`,
    );
  }
  for (const tag of xml.matchAll(LONG_START_TAG)) {
    const attributes = tag[0].match(ATTRIBUTE)?.length ?? 0;
    if (attributes > MAX_ATTRIBUTES) {
      throw new InvalidOutboundMessageError(
        `An element carries ${attributes} attributes; at most ${MAX_ATTRIBUTES} are accepted (${where(xml, tag.index ?? 0)})`,
      );
    }
  }

  let out = '';
  let last = 0;
  for (const match of xml.matchAll(LITERAL_SECTION)) {
    const index = match.index ?? 0;
    checkReferences(xml, xml.slice(last, index), last);
    const cdata = match[1];
    out += xml.slice(last, index) + (cdata === undefined ? match[0] : escapeXmlText(cdata));
    last = index + match[0].length;
  }
  checkReferences(xml, xml.slice(last), last);
  return last === 0 ? xml : out + xml.slice(last);
}
