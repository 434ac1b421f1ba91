import type { SObjectRecord } from '../contracts';
import { notFound, SalesforceApiError } from '../errors';
import { json, noContent, type SandboxResponse } from '../http';
import { withQueryPosition } from '../rest/query';
import { type FieldDef, Schema } from '../schema';
import type { RecordSource } from '../soql/paths';
import { recordUrl, runQuery } from '../soql/query';
import type { FlowDefinitionRecord, MetadataRepository } from './repository';

/**
 * The Tooling API's view of flows: FlowDefinition (one per flow, with its active and latest
 * version) and Flow (one per version), queried with SOQL at /tooling/query, and FlowDefinition
 * updated at /tooling/sobjects/FlowDefinition/{id}, whose `Metadata.activeVersionNumber`
 * activates a version (N) or deactivates the flow (0), as Flow Builder's Activate button does.
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_flowdefinition.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_flow.htm
 */
const field = (name: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({
  name,
  label: name,
  type,
  createable: false,
  updateable: false,
  nillable: true,
  ...extra,
});

const audit = (): FieldDef[] => [
  field('Id', 'id', { nillable: false, length: 18 }),
  field('CreatedDate', 'datetime', { nillable: false }),
  field('CreatedById', 'reference', { referenceTo: ['User'], relationshipName: 'CreatedBy' }),
  field('LastModifiedDate', 'datetime', { nillable: false }),
  field('LastModifiedById', 'reference', { referenceTo: ['User'], relationshipName: 'LastModifiedBy' }),
];

const object = (name: string, keyPrefix: string, fields: FieldDef[]) => ({
  name,
  label: name,
  labelPlural: `${name}s`,
  keyPrefix,
  fields,
  createable: false,
  updateable: name === 'FlowDefinition',
  deletable: name === 'Flow',
  queryable: true,
});

const TOOLING_SCHEMA = new Schema([
  object('FlowDefinition', '300', [
    ...audit(),
    field('DeveloperName', 'string', { nillable: false, length: 80 }),
    field('MasterLabel', 'string', { length: 80 }),
    field('Description', 'textarea', { length: 4000 }),
    field('NamespacePrefix', 'string', { length: 15 }),
    field('ActiveVersionId', 'reference', { referenceTo: ['Flow'], relationshipName: 'ActiveVersion' }),
    field('LatestVersionId', 'reference', { referenceTo: ['Flow'], relationshipName: 'LatestVersion' }),
  ]),
  object('Flow', '301', [
    ...audit(),
    field('DefinitionId', 'reference', {
      nillable: false,
      referenceTo: ['FlowDefinition'],
      relationshipName: 'Definition',
      childRelationshipName: 'Versions',
    }),
    field('MasterLabel', 'string', { length: 255 }),
    field('Description', 'textarea', { length: 4000 }),
    field('ProcessType', 'picklist', { length: 40 }),
    field('Status', 'picklist', {
      length: 40,
      picklistValues: ['Active', 'Draft', 'Obsolete', 'InvalidDraft'].map((value) => ({
        value,
        label: value,
        active: true,
      })),
    }),
    field('VersionNumber', 'int', { precision: 9 }),
    field('ApiVersion', 'double', { precision: 4, scale: 1 }),
  ]),
]);

function definitionRow(definition: FlowDefinitionRecord): SObjectRecord {
  const active = definition.versions.find((v) => v.status === 'Active');
  const latest = definition.versions[definition.versions.length - 1];
  const first = definition.versions[0];
  return {
    Id: definition.id,
    CreatedDate: first?.createdDate ?? null,
    CreatedById: definition.createdById,
    LastModifiedDate: latest?.lastModifiedDate ?? null,
    LastModifiedById: definition.createdById,
    DeveloperName: definition.fullName,
    MasterLabel: latest?.label ?? definition.fullName,
    Description: null,
    NamespacePrefix: null,
    ActiveVersionId: active?.id ?? null,
    LatestVersionId: latest?.id ?? null,
  };
}

function versionRows(definition: FlowDefinitionRecord): SObjectRecord[] {
  return definition.versions.map((v) => ({
    Id: v.id,
    CreatedDate: v.createdDate,
    CreatedById: definition.createdById,
    LastModifiedDate: v.lastModifiedDate,
    LastModifiedById: definition.createdById,
    DefinitionId: definition.id,
    MasterLabel: v.label,
    Description: null,
    ProcessType: v.processType,
    Status: v.status,
    VersionNumber: v.versionNumber,
    ApiVersion: null,
  }));
}

/** The repository's flows as Tooling API records, built afresh for each request. */
function recordSource(repository: MetadataRepository): RecordSource {
  const definitions = repository.flowDefinitions();
  const rows = new Map<string, SObjectRecord[]>([
    ['FlowDefinition', definitions.map(definitionRow)],
    ['Flow', definitions.flatMap(versionRows)],
  ]);
  const byId = new Map<string, { type: string; row: SObjectRecord }>();
  for (const [type, list] of rows) for (const row of list) byId.set(row.Id, { type, row });
  return {
    rows: (type) => rows.get(TOOLING_SCHEMA.object(type)?.name ?? type) ?? [],
    row: (id) => byId.get(id)?.row,
    typeOf: (id) => byId.get(id)?.type,
  };
}

export interface ToolingDeps {
  repository: () => MetadataRepository;
  /** The refusal an activation answers with instead, when the org is set to refuse it. */
  activationRefusal: () => { statusCode: string; message: string } | null;
  now: () => string;
}

export interface ToolingRequest {
  method: string;
  /** The path after /tooling, e.g. `/query` or `/sobjects/FlowDefinition/300…`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  apiVersion: string;
}

export function handleTooling(deps: ToolingDeps, req: ToolingRequest): SandboxResponse {
  const parts = req.path.split('/').filter((p) => p !== '');
  const [head, type, id] = parts;
  if (head === 'query' && parts.length === 1) {
    allow(req, ['GET']);
    const soql = req.query.get('q');
    if (!soql) throw new SalesforceApiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const result = withQueryPosition(soql, () =>
      runQuery(TOOLING_SCHEMA, recordSource(deps.repository()), soql, {
        now: () => Date.parse(deps.now()),
        apiVersion: req.apiVersion,
        tooling: true,
      }),
    );
    return json(200, {
      size: result.totalSize,
      totalSize: result.totalSize,
      done: true,
      queryLocator: null,
      entityTypeName: TOOLING_SCHEMA.object(soql.match(/\bfrom\s+(\w+)/i)?.[1] ?? '')?.name ?? null,
      records: result.records,
    });
  }
  if (head !== 'sobjects' || !type || !id || parts.length !== 3) throw notFound();
  const canonical = TOOLING_SCHEMA.object(type)?.name;
  if (!canonical) {
    throw new SalesforceApiError(400, 'NOT_FOUND', `The requested resource does not exist`);
  }
  const repository = deps.repository();
  const source = recordSource(repository);
  const row = source.row(id);
  if (!row || source.typeOf(id) !== canonical) throw notFound();
  if (canonical === 'Flow') {
    allow(req, ['GET']);
    return json(200, { attributes: attributes(req, canonical, id), ...row });
  }
  allow(req, ['GET', 'PATCH']);
  const definition = repository.flowById(id) as FlowDefinitionRecord;
  if (req.method === 'GET') {
    const active = definition.versions.find((v) => v.status === 'Active');
    return json(200, {
      attributes: attributes(req, canonical, id),
      ...row,
      FullName: definition.fullName,
      Metadata: {
        activeVersionNumber: active?.versionNumber ?? null,
        description: null,
        masterLabel: row.MasterLabel,
        urls: null,
      },
    });
  }
  return updateDefinition(deps, repository, definition, req.body);
}

function updateDefinition(
  deps: ToolingDeps,
  repository: MetadataRepository,
  definition: FlowDefinitionRecord,
  body: unknown,
): SandboxResponse {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  const { Metadata: metadata, ...others } = body as Record<string, unknown>;
  const unknown = Object.keys(others);
  if (unknown.length > 0) {
    throw new SalesforceApiError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${unknown.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      unknown,
    );
  }
  const version = (metadata as { activeVersionNumber?: unknown } | undefined)?.activeVersionNumber;
  if (version === undefined || version === null) return noContent();
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of int from ${JSON.stringify(version)}`,
    );
  }
  const refusal = deps.activationRefusal();
  if (refusal && version > 0) throw new SalesforceApiError(400, refusal.statusCode, refusal.message);
  if (!repository.setActiveVersion(definition, version, deps.now())) {
    throw new SalesforceApiError(400, 'FIELD_INTEGRITY_EXCEPTION', `Invalid version number: ${version}`, [
      'activeVersionNumber',
    ]);
  }
  return noContent();
}

function attributes(req: ToolingRequest, type: string, id: string) {
  return { type, url: recordUrl(req.apiVersion, type, id, true) };
}

function allow(req: ToolingRequest, methods: string[]): void {
  if (!methods.includes(req.method)) {
    throw new SalesforceApiError(
      405,
      'METHOD_NOT_ALLOWED',
      `HTTP Method '${req.method}' not allowed. Allowed are ${methods.join(',')}`,
    );
  }
}
