import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InvalidOutboundMessageError } from '../../domain/errors';
import {
  MAX_NOTIFICATIONS_PER_MESSAGE,
  type OutboundMessage,
  outboundMessageSchema,
} from '../../domain/outbound-message';
import { isMissingValue } from '../../domain/validation-issues';
import { MAX_NAME_LENGTH, preflightXml } from './xml-preflight';
import { decodeXmlText } from './xml-text';

/**
 * Parses a Salesforce outbound message (SOAP 1.1) into a typed OutboundMessage.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm
 *
 * Hardening: any DOCTYPE is refused before parsing (no entity can be declared, so none can
 * expand), so is what XML 1.0 forbids and the parser would let through (see xml-preflight.ts),
 * entities are not processed by the parser, values stay text, CDATA stays literal, names are
 * capped, and names that could pollute prototypes are refused by fast-xml-parser itself.
 */
export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const OUTBOUND_NS = 'http://soap.sforce.com/2005/09/outbound';
export const SOBJECT_NS = 'urn:sobject.enterprise.soap.sforce.com';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS_ATTR = '@_xmlns';
/** Names that mean something to JavaScript objects; no Salesforce field is called this. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: false,
  alwaysCreateTextNode: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Every element becomes an array, so "one notification" and "many" read the same way.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

type XmlNode = Record<string, unknown>;

/** An element with the namespaces in scope at it. */
interface Element {
  name: string;
  node: XmlNode;
  scope: ReadonlyMap<string, string>;
}

function invalid(message: string, cause?: unknown): InvalidOutboundMessageError {
  return new InvalidOutboundMessageError(message, cause === undefined ? undefined : { cause });
}

function withDeclarations(node: XmlNode, parent: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let scope: Map<string, string> | undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key !== XMLNS_ATTR && !key.startsWith(`${XMLNS_ATTR}:`)) continue;
    scope ??= new Map(parent);
    scope.set(key === XMLNS_ATTR ? '' : key.slice(XMLNS_ATTR.length + 1), String(value));
  }
  return scope ?? parent;
}

function qualify(
  qname: string,
  scope: ReadonlyMap<string, string>,
): { ns: string | undefined; local: string } {
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? '' : qname.slice(0, colon);
  return { ns: scope.get(prefix), local: colon === -1 ? qname : qname.slice(colon + 1) };
}

/** The child elements of an element (attributes and text left out). */
function children(parent: Element): Element[] {
  const result: Element[] = [];
  for (const [key, value] of Object.entries(parent.node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    for (const node of value as XmlNode[]) {
      result.push({ name: key, node, scope: withDeclarations(node, parent.scope) });
    }
  }
  return result;
}

function is(element: Element, ns: string, local: string): boolean {
  const q = qualify(element.name, element.scope);
  return q.ns === ns && q.local === local;
}

function attribute(element: Element, ns: string, local: string): string | undefined {
  for (const [key, value] of Object.entries(element.node)) {
    if (!key.startsWith('@_') || key.startsWith(XMLNS_ATTR)) continue;
    const name = key.slice(2);
    // Unprefixed attributes are in no namespace (XML Namespaces §6.2).
    if (!name.includes(':')) continue;
    const q = qualify(name, element.scope);
    if (q.ns === ns && q.local === local) return String(value);
  }
  return undefined;
}

function isNil(element: Element): boolean {
  const nil = attribute(element, XSI_NS, 'nil');
  return nil === 'true' || nil === '1';
}

/** Text content of a leaf element; null for xsi:nil. */
function text(element: Element): string | null {
  if (children(element).length > 0) {
    throw invalid(`<${element.name}> must hold text, not elements`);
  }
  if (isNil(element)) return null;
  const raw = element.node['#text'];
  return decodeXmlText(typeof raw === 'string' ? raw : '');
}

/** The one child named ns:local; `kids` passes children already listed, to walk them once. */
function only(parent: Element, ns: string, local: string, required: true, kids?: Element[]): Element;
function only(
  parent: Element,
  ns: string,
  local: string,
  required: false,
  kids?: Element[],
): Element | undefined;
function only(
  parent: Element,
  ns: string,
  local: string,
  required: boolean,
  kids: Element[] = children(parent),
): Element | undefined {
  const found = kids.filter((child) => is(child, ns, local));
  if (found.length > 1) throw invalid(`<${local}> appears ${found.length} times in <${parent.name}>`);
  if (required && found.length === 0) throw invalid(`<${local}> is missing from <${parent.name}>`);
  return found[0];
}

/** An outbound message nests six deep; far deeper is no outbound message. */
const MAX_DEPTH = 32;

/** Every element and attribute name against the cap, and the depth, without recursion. */
function checkNames(document: XmlNode): void {
  const stack: Array<{ node: XmlNode; depth: number }> = [{ node: document, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (next.depth > MAX_DEPTH) throw invalid(`Elements nest more than ${MAX_DEPTH} deep`);
    for (const [key, value] of Object.entries(next.node)) {
      if (key.length > MAX_NAME_LENGTH) {
        throw invalid(`A name is ${key.length} characters long; at most ${MAX_NAME_LENGTH} are accepted`);
      }
      if (!Array.isArray(value)) continue;
      for (const child of value) {
        if (child && typeof child === 'object') stack.push({ node: child as XmlNode, depth: next.depth + 1 });
      }
    }
  }
}

function parseDocument(body: string): Element {
  if (body.trim() === '') throw invalid('The request body is empty; expected a SOAP envelope');
  if (/<!DOCTYPE/i.test(body)) throw invalid('DOCTYPE declarations are not accepted');
  const xml = preflightXml(body);
  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw invalid(`The body is not well-formed XML: ${msg} (line ${line}, column ${col})`);
  }
  let document: XmlNode;
  try {
    document = parser.parse(xml) as XmlNode;
  } catch (error) {
    throw invalid(`The body could not be parsed as XML: ${(error as Error).message}`, error);
  }
  checkNames(document);
  const roots = children({ name: '#document', node: document, scope: new Map() });
  const root = roots[0];
  if (roots.length !== 1 || root === undefined) throw invalid('Expected exactly one root element');
  return root;
}

/** Parses and validates an outbound message. Throws InvalidOutboundMessageError with a precise reason. */
export function parseOutboundMessage(xml: string): OutboundMessage {
  const envelope = parseDocument(xml);
  if (!is(envelope, SOAP_ENVELOPE_NS, 'Envelope')) {
    throw invalid(`The root element must be a SOAP 1.1 Envelope in namespace ${SOAP_ENVELOPE_NS}`);
  }
  const body = only(envelope, SOAP_ENVELOPE_NS, 'Body', true);
  const notifications = only(body, OUTBOUND_NS, 'notifications', false);
  if (notifications === undefined) {
    throw invalid(`The SOAP Body must hold <notifications> in namespace ${OUTBOUND_NS}`);
  }

  const parts = children(notifications);
  const items = parts.filter((child) => is(child, OUTBOUND_NS, 'Notification'));
  if (items.length > MAX_NOTIFICATIONS_PER_MESSAGE) {
    throw invalid(
      `A message carries at most ${MAX_NOTIFICATIONS_PER_MESSAGE} notifications; this one has ${items.length}`,
    );
  }

  const field = (local: string) => {
    const element = only(notifications, OUTBOUND_NS, local, false, parts);
    return element === undefined ? undefined : text(element);
  };

  const candidate = {
    organizationId: field('OrganizationId'),
    actionId: field('ActionId'),
    sessionId: field('SessionId') ?? null,
    enterpriseUrl: field('EnterpriseUrl'),
    partnerUrl: field('PartnerUrl'),
    notifications: items.map(parseNotification),
  };
  const parsed = outboundMessageSchema.safeParse(candidate);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      return isMissingValue(issue) ? `${path} is missing` : `${path} ${issue.message}`;
    });
    throw invalid(`Invalid outbound message: ${reasons.join('; ')}`, parsed.error);
  }
  return parsed.data;
}

function parseNotification(notification: Element, index: number) {
  const parts = children(notification);
  const idElement = only(notification, OUTBOUND_NS, 'Id', false, parts);
  const sObject = only(notification, OUTBOUND_NS, 'sObject', false, parts);
  if (sObject === undefined) throw invalid(`Notification ${index + 1} has no <sObject>`);

  const type = attribute(sObject, XSI_NS, 'type');
  if (type === undefined) throw invalid(`Notification ${index + 1}: <sObject> has no xsi:type`);
  const typeName = qualify(type, sObject.scope);
  if (typeName.ns !== SOBJECT_NS) {
    throw invalid(`Notification ${index + 1}: xsi:type "${type}" is not in namespace ${SOBJECT_NS}`);
  }

  // A null-prototype map: field names come from the sender and must not reach Object.prototype.
  const fields: Record<string, string | null> = Object.create(null);
  for (const child of children(sObject)) {
    const name = qualify(child.name, child.scope);
    if (name.ns !== SOBJECT_NS) {
      throw invalid(`Notification ${index + 1}: field <${child.name}> is not in namespace ${SOBJECT_NS}`);
    }
    if (RESERVED_NAMES.has(name.local)) {
      throw invalid(`Notification ${index + 1}: "${name.local}" is not a Salesforce field name`);
    }
    if (Object.hasOwn(fields, name.local)) {
      throw invalid(`Notification ${index + 1}: field ${name.local} appears twice`);
    }
    fields[name.local] = text(child);
  }
  return {
    id: idElement === undefined ? undefined : text(idElement),
    sObjectType: typeName.local,
    fields: { ...fields },
  };
}
