import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

/**
 * The Metadata API schema of one API version, read from Salesforce's own WSDL: every
 * `xsd:sequence` is the element order the endpoint enforces, `minOccurs`/`maxOccurs` how often
 * each element may (must) appear, and each `xsd:simpleType` the values it accepts. The sandbox
 * validates what it is sent against this, so it refuses what that version refuses, no more and
 * no less, with no list of our own to keep.
 */
export interface ElementDef {
  name: string;
  /** Local type name: a complex or simple type of the schema, or an XSD built-in (string, int…). */
  type: string;
  minOccurs: number;
  /** Infinity for maxOccurs="unbounded". */
  maxOccurs: number;
  nillable: boolean;
}

export interface ComplexTypeDef {
  name: string;
  base?: string;
  elements: ElementDef[];
}

export interface SimpleTypeDef {
  name: string;
  base: string;
  enumeration?: string[];
}

export class WsdlSchema {
  private readonly sequences = new Map<string, ElementDef[]>();

  constructor(
    readonly complexTypes: ReadonlyMap<string, ComplexTypeDef>,
    readonly simpleTypes: ReadonlyMap<string, SimpleTypeDef>,
  ) {}

  isComplex(type: string): boolean {
    return this.complexTypes.has(type);
  }

  /** The full sequence of a complex type: its base's elements first, then its own. */
  sequenceOf(type: string): ElementDef[] {
    const cached = this.sequences.get(type);
    if (cached) return cached;
    const def = this.complexTypes.get(type);
    const sequence = def ? [...(def.base ? this.sequenceOf(def.base) : []), ...def.elements] : [];
    this.sequences.set(type, sequence);
    return sequence;
  }

  /** Whether `base` is `type` or one of its ancestors (for xsi:type substitution). */
  extendsType(type: string, base: string): boolean {
    for (let t: string | undefined = type; t; t = this.complexTypes.get(t)?.base) if (t === base) return true;
    return false;
  }
}

type Node = Record<string, unknown>;

const localType = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

function nodes(parent: unknown, key: string): Node[] {
  if (typeof parent !== 'object' || parent === null) return [];
  const value = (parent as Node)[key];
  return Array.isArray(value) ? (value as Node[]) : [];
}

function elementsOf(sequenceParent: Node): ElementDef[] {
  return nodes(nodes(sequenceParent, 'xsd:sequence')[0], 'xsd:element').map((e) => ({
    name: String(e.name),
    type: localType(String(e.type)),
    minOccurs: e.minOccurs === undefined ? 1 : Number(e.minOccurs),
    maxOccurs: e.maxOccurs === 'unbounded' ? Number.POSITIVE_INFINITY : Number(e.maxOccurs ?? 1),
    nillable: e.nillable === 'true',
  }));
}

/** Parses the `<types>` section of a Metadata API WSDL. */
export function parseWsdl(text: string): WsdlSchema {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: () => true,
    processEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
  });
  const document = parser.parse(text) as Node;
  const schema = nodes(nodes(nodes(document, 'definitions')[0], 'types')[0], 'xsd:schema')[0];
  if (!schema) throw new Error('No xsd:schema in the WSDL');
  const complexTypes = new Map<string, ComplexTypeDef>();
  for (const type of nodes(schema, 'xsd:complexType')) {
    const name = String(type.name);
    const extension = nodes(nodes(type, 'xsd:complexContent')[0], 'xsd:extension')[0];
    complexTypes.set(
      name,
      extension
        ? { name, base: localType(String(extension.base)), elements: elementsOf(extension) }
        : { name, elements: elementsOf(type) },
    );
  }
  const simpleTypes = new Map<string, SimpleTypeDef>();
  for (const type of nodes(schema, 'xsd:simpleType')) {
    const name = String(type.name);
    const restriction = nodes(type, 'xsd:restriction')[0] ?? {};
    const values = nodes(restriction, 'xsd:enumeration').map((e) => String(e.value));
    simpleTypes.set(name, {
      name,
      base: localType(String(restriction.base ?? 'xsd:string')),
      ...(values.length > 0 ? { enumeration: values } : {}),
    });
  }
  return new WsdlSchema(complexTypes, simpleTypes);
}

const loaded = new Map<string, WsdlSchema>();

/** Reads and parses a WSDL file once per process (about a quarter of a second for 62.0). */
export function loadWsdl(file: string): WsdlSchema {
  let schema = loaded.get(file);
  if (!schema) {
    schema = parseWsdl(readFileSync(file, 'utf8'));
    loaded.set(file, schema);
  }
  return schema;
}
