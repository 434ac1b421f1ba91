import { join } from 'node:path';
import type { SaveError } from './model';
import { invalidElementFault, SoapFault } from './soap';
import { requiredFieldMissing } from './validation';
import { type ElementDef, loadWsdl, type WsdlSchema } from './wsdl-schema';
import { isNil, type XmlElement } from './xml';

/**
 * The one Metadata API version this sandbox speaks, and its schema, read from Salesforce's WSDL
 * for that version (the package's wsdl/, with its license). Everything a `createMetadata`, `updateMetadata` or
 * `upsertMetadata` carries is checked against it, element by element, the way a 62.0 endpoint
 * checks it: an element the type does not have, or out of its sequence's order, or repeated past
 * its maxOccurs, or a value its simple type does not allow, faults the whole call; a required
 * element (minOccurs 1) that is missing fails that component with REQUIRED_FIELD_MISSING.
 */
export const METADATA_API_VERSION = '62.0';
export const METADATA_WSDL_FILE = join(
  __dirname,
  '..',
  '..',
  'wsdl',
  `metadata-${METADATA_API_VERSION}.wsdl`,
);

export function metadataSchema(): WsdlSchema {
  return loadWsdl(METADATA_WSDL_FILE);
}

/** The full sequence of a type: its base's elements first, then its own. */
export function sequenceOf(typeName: string): ElementDef[] {
  return metadataSchema().sequenceOf(typeName);
}

const INT = /^[+-]?\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$/;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** XSD built-ins as the WSDL uses them, with the wording of Salesforce's parser. */
function checkBuiltin(value: string, type: string): string | undefined {
  const bad = `'${value}' is not a valid value for the type xsd:${type}`;
  switch (type) {
    case 'boolean':
      return ['true', 'false', '1', '0'].includes(value) ? undefined : bad;
    case 'int':
      return INT.test(value) && Math.abs(Number(value)) <= 2 ** 31 ? undefined : bad;
    case 'double':
      return value.trim() !== '' && !Number.isNaN(Number(value)) ? undefined : bad;
    case 'date':
      return DATE.test(value) ? undefined : bad;
    case 'dateTime':
      return Number.isNaN(Date.parse(value)) ? bad : undefined;
    case 'time':
      return TIME.test(value) ? undefined : bad;
    default:
      return undefined;
  }
}

function checkSimple(schema: WsdlSchema, value: string, type: string): string | undefined {
  const simple = schema.simpleTypes.get(type);
  if (!simple) return checkBuiltin(value, type);
  if (simple.enumeration && !simple.enumeration.includes(value)) {
    return `'${value}' is not a valid value for the enum '${type}'`;
  }
  return checkBuiltin(value, simple.base);
}

/**
 * Checks one component against its type. Throws the SOAP fault Salesforce's parser raises for an
 * element that breaks the schema; returns the required elements that are missing, as the save
 * errors Salesforce reports for them (paths like `actionCalls.locationX`).
 */
export function validateAgainstSchema(element: XmlElement, typeName: string): SaveError[] {
  const missing: string[] = [];
  walk(metadataSchema(), element, typeName, '', missing);
  return missing.map((path) => requiredFieldMissing(path));
}

function walk(
  schema: WsdlSchema,
  element: XmlElement,
  typeName: string,
  path: string,
  missing: string[],
): void {
  if (isNil(element)) return;
  if (!schema.isComplex(typeName)) {
    if (element.children.length > 0) throw invalidElementFault(element.children[0]?.local ?? '', typeName);
    const problem = checkSimple(schema, element.text, typeName);
    if (problem) throw new SoapFault('soapenv:Client', problem);
    return;
  }
  const sequence = schema.sequenceOf(typeName);
  // position: the sequence entry the last child matched; count: how often it matched.
  let position = -1;
  let count = 0;
  const requireUpTo = (end: number) => {
    for (let i = Math.max(position, 0); i < end; i++) {
      const def = sequence[i];
      const seen = i === position ? count : 0;
      if (def && seen < def.minOccurs) missing.push(`${path}${def.name}`);
    }
  };
  for (const child of element.children) {
    const current = sequence[position];
    if (current && current.name === child.local) {
      if (count >= current.maxOccurs) throw invalidElementFault(child.local, typeName);
      count++;
    } else {
      const index = sequence.findIndex((def, i) => i > position && def.name === child.local);
      if (index === -1) throw invalidElementFault(child.local, typeName);
      requireUpTo(index);
      position = index;
      count = 1;
    }
    const def = sequence[position] as ElementDef;
    walk(schema, child, def.type, `${path}${def.name}.`, missing);
  }
  requireUpTo(sequence.length);
}
