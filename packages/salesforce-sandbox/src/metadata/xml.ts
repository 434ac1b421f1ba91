import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One element of a parsed document, in document order; names keep their prefix, `local` drops it. */
export interface XmlElement {
  name: string;
  local: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Decoded text content (leaf elements); empty for elements with children. */
  text: string;
}

export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
}

// Entities are not expanded by the parser (processEntities: false keeps entity-expansion attacks out);
// only the five predefined entities and character references are decoded here, never recursively.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return PREDEFINED[ref] ?? whole;
  });
}

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

type OrderedNode = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const tag = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
  if (tag === undefined) return undefined;
  const rawAttributes = node[':@'];
  const attributes: Record<string, string> = {};
  if (isRecord(rawAttributes)) {
    for (const [key, value] of Object.entries(rawAttributes)) attributes[key] = decodeXmlText(String(value));
  }
  const rawChildren = node[tag];
  const children: XmlElement[] = [];
  let text = '';
  if (Array.isArray(rawChildren)) {
    for (const child of rawChildren) {
      if (!isRecord(child)) continue;
      if ('#text' in child) {
        text += decodeXmlText(String(child['#text']));
        continue;
      }
      const element = toElement(child);
      if (element) children.push(element);
    }
  }
  return { name: tag, local: localName(tag), attributes, children, text: children.length > 0 ? '' : text };
}

/** Parses a whole document; a DOCTYPE (and so any entity declaration) is refused outright. */
export function parseXmlDocument(body: string): XmlElement {
  if (/<!DOCTYPE/i.test(body)) throw new XmlParseError('DOCTYPE is not allowed');
  const validation = XMLValidator.validate(body);
  if (validation !== true) throw new XmlParseError(validation.err.msg);
  const nodes: unknown = parser.parse(body);
  if (!Array.isArray(nodes)) throw new XmlParseError('Unexpected document');
  for (const node of nodes) {
    if (!isRecord(node) || '#text' in node) continue;
    const element = toElement(node);
    if (element) return element;
  }
  throw new XmlParseError('Document has no root element');
}

export function childrenNamed(element: XmlElement, local: string): XmlElement[] {
  return element.children.filter((child) => child.local === local);
}

export function child(element: XmlElement, local: string): XmlElement | undefined {
  return element.children.find((c) => c.local === local);
}

export function childText(element: XmlElement, local: string): string | undefined {
  const found = child(element, local);
  if (!found || isNil(found)) return undefined;
  return found.text;
}

export function attribute(element: XmlElement, local: string): string | undefined {
  for (const [key, value] of Object.entries(element.attributes)) {
    if (localName(key) === local && !key.startsWith('xmlns')) return value;
  }
  return undefined;
}

export function isNil(element: XmlElement): boolean {
  return attribute(element, 'nil') === 'true';
}

/** Serializes an element with unprefixed names (the caller's default namespace applies). */
export function serializeElement(element: XmlElement): string {
  const attrs = Object.entries(element.attributes)
    .filter(([key]) => !key.startsWith('xmlns'))
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  if (element.children.length === 0 && element.text === '') return `<${element.local}${attrs}/>`;
  const inner =
    element.children.length > 0 ? element.children.map(serializeElement).join('') : escapeXml(element.text);
  return `<${element.local}${attrs}>${inner}</${element.local}>`;
}

export function leaf(local: string, text: string): XmlElement {
  return { name: local, local, attributes: {}, children: [], text };
}
