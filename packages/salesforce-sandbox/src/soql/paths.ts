import type { SObjectRecord } from '../contracts';
import { invalidField } from '../errors';
import type { FieldDef, Schema } from '../schema';

/** What the query engine reads records from; the store implements it. */
export interface RecordSource {
  /** With includeDeleted (queryAll), the recycle bin's rows too. */
  rows(sObjectType: string, options?: { includeDeleted?: boolean }): readonly SObjectRecord[];
  row(id: string): SObjectRecord | undefined;
  typeOf(id: string): string | undefined;
}

/** A resolved field path such as `Account.Owner.Email` from a base object. */
export interface ResolvedPath {
  /** Canonical names along the way: relationship names, then the field name. */
  relationships: Array<{ name: string; via: FieldDef; targetTypes: string[] }>;
  field: FieldDef;
  /** Canonical dotted path, as Salesforce echoes it. */
  canonical: string;
}

/**
 * Resolves `Account.Name` or `Name` on `objectName`, with Salesforce's INVALID_FIELD messages.
 * For polymorphic lookups (ContentDocumentLink.LinkedEntity) the field must exist on one of the targets.
 */
export function resolvePath(schema: Schema, objectName: string, path: string): ResolvedPath {
  const parts = path.split('.');
  const fieldName = parts.pop() ?? '';
  let currentTypes = [objectName];
  const relationships: ResolvedPath['relationships'] = [];
  for (const part of parts) {
    let via: FieldDef | undefined;
    for (const t of currentTypes) {
      via = schema.parentRelationship(t, part);
      if (via) break;
    }
    if (!via?.relationshipName) {
      throw invalidField(
        `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    currentTypes = via.referenceTo ?? [];
    relationships.push({ name: via.relationshipName, via, targetTypes: currentTypes });
  }
  let field: FieldDef | undefined;
  for (const t of currentTypes) {
    field = schema.field(t, fieldName);
    if (field) break;
  }
  if (!field) {
    const entity = currentTypes.length === 1 ? currentTypes[0] : (relationships.at(-1)?.name ?? objectName);
    throw invalidField(
      `No such column '${fieldName}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return {
    relationships,
    field,
    canonical: [...relationships.map((r) => r.name), field.name].join('.'),
  };
}

/** Follows the path's lookups from `record`; undefined when a lookup on the way is empty. */
export function parentRecord(
  source: RecordSource,
  record: SObjectRecord,
  relationships: ResolvedPath['relationships'],
): SObjectRecord | undefined {
  let current: SObjectRecord | undefined = record;
  for (const rel of relationships) {
    const id: unknown = current?.[rel.via.name];
    if (typeof id !== 'string') return undefined;
    current = source.row(id);
    if (!current) return undefined;
  }
  return current;
}

export function readPath(source: RecordSource, record: SObjectRecord, path: ResolvedPath): unknown {
  const target = parentRecord(source, record, path.relationships);
  if (!target) return null;
  return target[path.field.name] ?? null;
}
