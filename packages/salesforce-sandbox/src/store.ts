import { createHash } from 'node:crypto';
import type { RecordChange, SandboxStore, SObjectDescribe, SObjectRecord } from './contracts';
import { notFound, SalesforceApiError } from './errors';
import { formatDateTime } from './format';
import { IdGenerator, keyPrefixOf, normalizeId } from './ids';
import { checkOpportunityChange, prepareLineItem, preparePricebookEntry, priceLineItem } from './products';
import { type FieldDef, type ObjectDef, OPPORTUNITY_STAGES, Schema } from './schema';
import { compileRecordCondition } from './soql/condition';
import { coerceFieldValue } from './values';

/**
 * A validation rule, as an admin would define one: when `errorCondition` (a SOQL WHERE expression
 * over the record's fields) is true after a create or update, the save fails with
 * FIELD_CUSTOM_VALIDATION_EXCEPTION and `errorMessage`.
 */
export interface ValidationRule {
  sObjectType: string;
  name: string;
  errorCondition: string;
  errorMessage: string;
  errorDisplayField?: string;
}

export interface WriteContext {
  userId: string;
  /** Control-plane writes may set audit dates (CreatedDate, LastModifiedDate) to build history. */
  system?: boolean;
}

interface Tables {
  records: Map<string, Map<string, SObjectRecord>>;
  typeById: Map<string, string>;
  deleted: Map<string, string>;
  /** Deleted records as the recycle bin keeps them (IsDeleted true), by id, with when they went. */
  recycleBin: Map<string, { type: string; record: SObjectRecord; deletedAt: number }>;
}

/**
 * The recycle bin keeps deleted records 15 days; until then queryAll returns them with
 * IsDeleted = true, and query never does.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm
 * https://help.salesforce.com/s/articleView?id=sf.home_delete.htm
 */
export const RECYCLE_BIN_RETENTION_MS = 15 * 24 * 60 * 60 * 1000;

/**
 * The store's whole content as plain data, by object: whatever objects the schema has (standard,
 * product or custom fields alike) are saved and restored without the store knowing them.
 */
export interface StoreState {
  records: Record<string, SObjectRecord[]>;
  /** Ids of deleted records and their object (a deleted id answers ENTITY_IS_DELETED). */
  deleted: Array<[string, string]>;
  recycleBin: Array<{ type: string; record: SObjectRecord; deletedAt: number }>;
  validationRules: ValidationRule[];
  customFields: Array<{ sObjectType: string; field: FieldDef }>;
}

type Listener = (change: RecordChange) => void;

const AUDIT_DATES = new Set(['CreatedDate', 'LastModifiedDate', 'SystemModstamp']);

/**
 * The org's data in memory. Every write goes through create/update/remove, runs in a transaction
 * (cascades and roll-ups included), and notifies onChange listeners only after it committed.
 */
export class MemoryStore implements SandboxStore {
  readonly schema: Schema;
  readonly organizationId: string;
  private tables: Tables = emptyTables();
  private readonly listeners = new Set<Listener>();
  private pending: RecordChange[] | undefined;
  private validationRules: ValidationRule[] = [];
  private readonly ids: IdGenerator;

  constructor(
    private readonly options: {
      now: () => number;
      organizationId: string;
      ids: IdGenerator;
      schema?: Schema;
    },
  ) {
    this.schema = options.schema ?? new Schema();
    this.organizationId = options.organizationId;
    this.ids = options.ids;
  }

  // ---- SandboxStore -------------------------------------------------------------------------

  get(sObjectType: string, id: string): SObjectRecord | undefined {
    const canonical = normalizeId(id);
    const type = this.schema.object(sObjectType)?.name;
    if (!canonical || !type) return undefined;
    const record = this.tables.records.get(type)?.get(canonical);
    return record ? structuredClone(record) : undefined;
  }

  all(sObjectType: string): readonly SObjectRecord[] {
    const type = this.schema.object(sObjectType)?.name;
    if (!type) return [];
    return [...(this.tables.records.get(type)?.values() ?? [])].map((r) => structuredClone(r));
  }

  describe(sObjectType: string): SObjectDescribe | undefined {
    return this.schema.describe(sObjectType);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---- reads for the query engine (no copies: callers must not mutate) -------------------------

  rows(sObjectType: string, options: { includeDeleted?: boolean } = {}): readonly SObjectRecord[] {
    const live = [...(this.tables.records.get(sObjectType)?.values() ?? [])];
    if (!options.includeDeleted) return live;
    const kept = this.options.now() - RECYCLE_BIN_RETENTION_MS;
    const binned: SObjectRecord[] = [];
    for (const [id, entry] of this.tables.recycleBin) {
      if (entry.deletedAt <= kept) this.tables.recycleBin.delete(id);
      else if (entry.type === sObjectType) binned.push(entry.record);
    }
    return [...live, ...binned];
  }

  row(id: string): SObjectRecord | undefined {
    const type = this.tables.typeById.get(id);
    return type ? this.tables.records.get(type)?.get(id) : undefined;
  }

  typeOf(id: string): string | undefined {
    return this.tables.typeById.get(id);
  }

  isDeleted(id: string): boolean {
    return this.tables.deleted.has(id);
  }

  // ---- transactions ---------------------------------------------------------------------------

  /**
   * Runs `fn` atomically: if it throws, every write it made is undone and no listener hears of
   * them; otherwise listeners are told after the outermost transaction commits.
   */
  transaction<T>(fn: () => T): T {
    if (this.pending) return fn();
    const snapshot = cloneTables(this.tables);
    this.pending = [];
    let changes: RecordChange[];
    try {
      const result = fn();
      changes = this.pending;
      this.pending = undefined;
      this.emit(changes);
      return result;
    } catch (error) {
      this.tables = snapshot;
      this.pending = undefined;
      throw error;
    }
  }

  private emit(changes: RecordChange[]): void {
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(structuredClone(change));
        } catch (error) {
          // A listener's failure must not undo or fail the write that already committed.
          console.error('sandbox: onChange listener failed', error);
        }
      }
    }
  }

  private record(change: RecordChange): void {
    if (this.pending) this.pending.push(change);
    else this.emit([change]);
  }

  // ---- writes -----------------------------------------------------------------------------------

  create(sObjectType: string, input: Record<string, unknown>, ctx: WriteContext): SObjectRecord {
    return this.transaction(() => this.createInTx(sObjectType, input, ctx));
  }

  update(sObjectType: string, id: string, input: Record<string, unknown>, ctx: WriteContext): SObjectRecord {
    return this.transaction(() => this.updateInTx(sObjectType, id, input, ctx));
  }

  remove(sObjectType: string, id: string, ctx: WriteContext): void {
    this.transaction(() => this.removeInTx(sObjectType, id, ctx));
  }

  setValidationRules(rules: ValidationRule[]): void {
    for (const rule of rules) {
      // Compile now so a bad rule fails the seed, not a later save.
      compileRecordCondition(this.schema, this, rule.sObjectType, rule.errorCondition);
    }
    this.validationRules = [...this.validationRules, ...rules];
  }

  /** Drops every record (not the schema), keeping listeners. */
  clear(): void {
    this.tables = emptyTables();
    this.validationRules = [];
  }

  /** The content as it is, not a copy (a copy would double the org's size on every save): serialize it at once. */
  exportState(): StoreState {
    return {
      records: Object.fromEntries([...this.tables.records].map(([type, rows]) => [type, [...rows.values()]])),
      deleted: [...this.tables.deleted],
      recycleBin: [...this.tables.recycleBin.values()],
      validationRules: this.validationRules,
      customFields: this.schema.customFields(),
    };
  }

  /**
   * Replaces the content with a saved state. A field the schema gained since the save reads as a
   * new record's would (false or null); records of an object the schema no longer has are left out.
   */
  importState(state: StoreState): void {
    this.clear();
    this.schema.removeCustomFields();
    this.schema.restoreCustomFields(state.customFields);
    for (const [type, rows] of Object.entries(state.records)) {
      const def = this.schema.object(type);
      if (!def) continue;
      for (const row of rows) {
        const record: SObjectRecord = { ...row, Id: row.Id };
        for (const field of def.fields) {
          if (!(field.name in record)) record[field.name] = field.type === 'boolean' ? false : null;
        }
        this.put(def.name, record);
      }
    }
    for (const [id, type] of state.deleted) this.tables.deleted.set(id, type);
    for (const entry of state.recycleBin) this.tables.recycleBin.set(entry.record.Id, entry);
    this.setValidationRules(state.validationRules);
  }

  /** Looks up a record for a write or read by REST; throws Salesforce's 404s. */
  requireRecord(sObjectType: string, rawId: string): SObjectRecord {
    const def = this.requireObject(sObjectType);
    const id = normalizeId(rawId);
    if (!id || keyPrefixOf(id) !== def.keyPrefix) {
      throw notFound(`Provided external ID field does not exist or is not accessible: ${rawId}`);
    }
    if (this.tables.deleted.has(id))
      throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
    const record = this.tables.records.get(def.name)?.get(id);
    if (!record) throw notFound();
    return record;
  }

  requireObject(sObjectType: string): ObjectDef {
    const def = this.schema.object(sObjectType);
    if (!def) throw notFound(`The requested resource does not exist`);
    return def;
  }

  private createInTx(sObjectType: string, input: Record<string, unknown>, ctx: WriteContext): SObjectRecord {
    const def = this.requireObject(sObjectType);
    if (!def.createable && !ctx.system) {
      throw new SalesforceApiError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type ${def.name} does not support insert`,
      );
    }
    const { Id: fixedId, ...rest } = input;
    // Only the sandbox itself picks ids (the org and its users keep theirs across resets).
    if (fixedId !== undefined && !ctx.system) readOnlyError(['Id']);
    const values = this.coerceInput(def, rest, 'create', ctx);
    const now = formatDateTime(this.options.now());
    const record: SObjectRecord = {
      Id: typeof fixedId === 'string' ? fixedId : this.ids.next(def.keyPrefix),
    };
    for (const field of def.fields) {
      if (field.name === 'Id') continue;
      record[field.name] = field.type === 'boolean' ? false : null;
      const defaultPick = field.picklistValues?.find((p) => p.defaultValue);
      if (defaultPick && field.createable) record[field.name] = defaultPick.value;
    }
    Object.assign(record, auditFields(def, now, ctx.userId));
    Object.assign(record, values);
    if (ctx.system) {
      for (const name of AUDIT_DATES) if (name in values) record[name] = values[name];
    }
    const missing = def.fields.filter(
      (fd) => fd.required && fd.createable && (record[fd.name] === null || record[fd.name] === undefined),
    );
    this.beforeCreate(def, record, values, ctx, missing);
    const stillMissing = missing.filter((fd) => record[fd.name] === null || record[fd.name] === undefined);
    if (stillMissing.length > 0) {
      throw new SalesforceApiError(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${stillMissing.map((fd) => fd.name).join(', ')}]`,
        stillMissing.map((fd) => fd.name),
      );
    }
    derive(def, record, values, true);
    this.validate(def, record);
    this.put(def.name, record);
    this.record({ sObjectType: def.name, before: null, after: structuredClone(record) });
    this.afterCreate(def, record, ctx);
    return structuredClone(record);
  }

  private updateInTx(
    sObjectType: string,
    rawId: string,
    input: Record<string, unknown>,
    ctx: WriteContext,
  ): SObjectRecord {
    const def = this.requireObject(sObjectType);
    const current = this.requireRecord(def.name, rawId);
    if (!def.updateable && !ctx.system) {
      throw new SalesforceApiError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type ${def.name} does not support update`,
      );
    }
    const values = this.coerceInput(def, input, 'update', ctx);
    if (def.name === 'Opportunity') checkOpportunityChange(current, values);
    if (def.name === 'Opportunity' && current.HasOpportunityLineItem === true) {
      // Amount is a roll-up of the products once an opportunity has any; Salesforce ignores writes to it.
      delete values.Amount;
    }
    for (const [name, value] of Object.entries(values)) {
      const fd = this.schema.field(def.name, name);
      if (fd?.required && value === null) {
        throw new SalesforceApiError(
          400,
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${fd.name}]`,
          [fd.name],
        );
      }
    }
    const before = structuredClone(current);
    const next: SObjectRecord = { ...current, ...values, Id: current.Id };
    const now = formatDateTime(this.options.now());
    if ('LastModifiedDate' in next) {
      next.LastModifiedDate = ctx.system && 'LastModifiedDate' in values ? values.LastModifiedDate : now;
      next.LastModifiedById = ctx.userId;
    }
    next.SystemModstamp = ctx.system && 'SystemModstamp' in values ? values.SystemModstamp : now;
    derive(def, next, values, false);
    this.validate(def, next);
    this.put(def.name, next);
    this.record({ sObjectType: def.name, before, after: structuredClone(next) });
    this.afterUpdate(def, before, next, ctx);
    return structuredClone(next);
  }

  private removeInTx(sObjectType: string, rawId: string, ctx: WriteContext): void {
    const def = this.requireObject(sObjectType);
    const record = this.requireRecord(def.name, rawId);
    if (!def.deletable && !ctx.system) {
      throw new SalesforceApiError(
        400,
        'INVALID_TYPE_FOR_OPERATION',
        `entity type ${def.name} does not support delete`,
      );
    }
    this.deleteCascade(def, record, ctx);
  }

  private deleteCascade(def: ObjectDef, record: SObjectRecord, ctx: WriteContext): void {
    if (!this.tables.records.get(def.name)?.has(record.Id)) return;
    this.tables.records.get(def.name)?.delete(record.Id);
    this.tables.typeById.delete(record.Id);
    this.tables.deleted.set(record.Id, def.name);
    // As Salesforce marks it: IsDeleted, and the deletion as its last modification.
    const now = this.options.now();
    const binned: SObjectRecord = { ...structuredClone(record), IsDeleted: true };
    if ('SystemModstamp' in binned) binned.SystemModstamp = formatDateTime(now);
    if ('LastModifiedDate' in binned) {
      binned.LastModifiedDate = formatDateTime(now);
      binned.LastModifiedById = ctx.userId;
    }
    this.tables.recycleBin.set(record.Id, { type: def.name, record: binned, deletedAt: now });
    this.record({ sObjectType: def.name, before: structuredClone(record), after: null });
    for (const rel of this.schema.childRelationships(def.name)) {
      const childDef = this.schema.object(rel.childSObject);
      if (!childDef) continue;
      for (const child of [...(this.tables.records.get(childDef.name)?.values() ?? [])]) {
        if (child[rel.field] !== record.Id) continue;
        if (rel.cascadeDelete) this.deleteCascade(childDef, child, ctx);
        else this.updateInTx(childDef.name, child.Id, { [rel.field]: null }, { ...ctx, system: true });
      }
    }
    if (def.name === 'OpportunityLineItem' && typeof record.OpportunityId === 'string') {
      this.rollUpAmount(record.OpportunityId, ctx);
    }
  }

  private put(type: string, record: SObjectRecord): void {
    let table = this.tables.records.get(type);
    if (!table) {
      table = new Map();
      this.tables.records.set(type, table);
    }
    table.set(record.Id, record);
    this.tables.typeById.set(record.Id, type);
  }

  private coerceInput(
    def: ObjectDef,
    input: Record<string, unknown>,
    op: 'create' | 'update',
    ctx: WriteContext,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const readOnly: string[] = [];
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const field = this.schema.field(def.name, key);
      if (!field) {
        throw new SalesforceApiError(
          400,
          'INVALID_FIELD',
          `No such column '${key}' on sobject of type ${def.name}`,
          [key],
        );
      }
      if (op === 'update' && field.name === 'Id') continue;
      const allowed = op === 'create' ? field.createable : field.updateable;
      // The sandbox's own writes (bootstrap, seeds, roll-ups) may set read-only fields.
      if (!allowed && !ctx.system) {
        readOnly.push(field.name);
        continue;
      }
      out[field.name] = coerceFieldValue(this.schema, field, value, (id) => this.tables.typeById.get(id));
    }
    if (readOnly.length > 0) readOnlyError(readOnly);
    return out;
  }

  private validate(def: ObjectDef, record: SObjectRecord): void {
    for (const rule of this.validationRules) {
      if (rule.sObjectType.toLowerCase() !== def.name.toLowerCase()) continue;
      const matches = compileRecordCondition(this.schema, this, def.name, rule.errorCondition);
      if (matches(record)) {
        throw new SalesforceApiError(
          400,
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          rule.errorMessage,
          rule.errorDisplayField ? [rule.errorDisplayField] : [],
        );
      }
    }
  }

  // ---- object-specific behaviour ------------------------------------------------------------------

  private beforeCreate(
    def: ObjectDef,
    record: SObjectRecord,
    given: Record<string, unknown>,
    ctx: WriteContext,
    missing: FieldDef[],
  ): void {
    if (def.name === 'OpportunityLineItem') prepareLineItem(this, record, given);
    if (def.name === 'PricebookEntry') preparePricebookEntry(this, record);
    if (def.name !== 'ContentVersion') return;
    if (record.VersionData === null) missing.push(fieldOf(def, 'VersionData'));
    if (record.PathOnClient === null) missing.push(fieldOf(def, 'PathOnClient'));
    if (typeof record.VersionData !== 'string' || typeof record.PathOnClient !== 'string') return;
    const bytes = Buffer.from(record.VersionData, 'base64');
    const ext = /\.([A-Za-z0-9]+)$/.exec(record.PathOnClient)?.[1]?.toLowerCase() ?? '';
    record.Title ??= record.PathOnClient.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');
    record.FileExtension = ext || null;
    record.FileType = fileType(ext);
    record.ContentSize = bytes.length;
    record.Checksum = createHash('md5').update(bytes).digest('hex');
    record.IsLatest = true;
    if (typeof record.ContentDocumentId === 'string') {
      const versions = this.rows('ContentVersion').filter(
        (v) => v.ContentDocumentId === record.ContentDocumentId,
      );
      record.VersionNumber = String(versions.length + 1);
      record.FirstPublishLocationId = null;
      for (const v of versions) {
        if (v.IsLatest)
          this.updateInTx('ContentVersion', v.Id, { IsLatest: false }, { ...ctx, system: true });
      }
    } else {
      record.VersionNumber = '1';
    }
  }

  private afterCreate(def: ObjectDef, record: SObjectRecord, ctx: WriteContext): void {
    if (def.name === 'OpportunityLineItem' && typeof record.OpportunityId === 'string') {
      // An opportunity without a price book takes its first line's.
      const entry =
        typeof record.PricebookEntryId === 'string' ? this.row(record.PricebookEntryId) : undefined;
      const pricebook = typeof entry?.Pricebook2Id === 'string' ? entry.Pricebook2Id : undefined;
      this.rollUpAmount(record.OpportunityId, ctx, pricebook);
    }
    if (def.name === 'ContentVersion') this.afterContentVersion(record, ctx);
  }

  private afterUpdate(def: ObjectDef, before: SObjectRecord, after: SObjectRecord, ctx: WriteContext): void {
    if (def.name === 'OpportunityLineItem' && typeof after.OpportunityId === 'string') {
      const changed = ['Quantity', 'UnitPrice', 'Discount', 'TotalPrice'].some((k) => before[k] !== after[k]);
      if (changed) this.rollUpAmount(after.OpportunityId, ctx);
    }
  }

  /**
   * A ContentVersion without ContentDocumentId creates its ContentDocument and links it to the owner
   * and to FirstPublishLocationId; with one, it becomes that document's latest version.
   * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentversion.htm
   */
  private afterContentVersion(version: SObjectRecord, ctx: WriteContext): void {
    const docFields = {
      Title: version.Title,
      LatestPublishedVersionId: version.Id,
      FileType: version.FileType,
      FileExtension: version.FileExtension,
      ContentSize: version.ContentSize,
    };
    const sys = { ...ctx, system: true };
    if (typeof version.ContentDocumentId === 'string') {
      this.updateInTx('ContentDocument', version.ContentDocumentId, docFields, sys);
      return;
    }
    const doc = this.createInTx('ContentDocument', { ...docFields, OwnerId: version.OwnerId }, sys);
    const stored = this.tables.records.get('ContentVersion')?.get(version.Id);
    if (stored) stored.ContentDocumentId = doc.Id;
    this.createInTx(
      'ContentDocumentLink',
      { ContentDocumentId: doc.Id, LinkedEntityId: version.OwnerId, ShareType: 'I', Visibility: 'AllUsers' },
      sys,
    );
    const location = version.FirstPublishLocationId;
    if (typeof location === 'string' && location !== version.OwnerId) {
      this.createInTx(
        'ContentDocumentLink',
        { ContentDocumentId: doc.Id, LinkedEntityId: location, ShareType: 'V', Visibility: 'AllUsers' },
        sys,
      );
    }
  }

  private rollUpAmount(opportunityId: string, ctx: WriteContext, pricebookId?: string): void {
    const opportunity = this.tables.records.get('Opportunity')?.get(opportunityId);
    if (!opportunity) return;
    const items = this.rows('OpportunityLineItem').filter((i) => i.OpportunityId === opportunityId);
    const amount = items.reduce((sum, i) => sum + (typeof i.TotalPrice === 'number' ? i.TotalPrice : 0), 0);
    const hasItems = items.length > 0;
    const rounded = Math.round(amount * 100) / 100;
    const takesPricebook = pricebookId !== undefined && opportunity.Pricebook2Id == null;
    if (
      !takesPricebook &&
      opportunity.HasOpportunityLineItem === hasItems &&
      (!hasItems || opportunity.Amount === rounded)
    )
      return;
    const before = structuredClone(opportunity);
    if (takesPricebook) opportunity.Pricebook2Id = pricebookId;
    opportunity.HasOpportunityLineItem = hasItems;
    if (hasItems) opportunity.Amount = rounded;
    const now = formatDateTime(this.options.now());
    opportunity.LastModifiedDate = now;
    opportunity.LastModifiedById = ctx.userId;
    opportunity.SystemModstamp = now;
    this.record({ sObjectType: 'Opportunity', before, after: structuredClone(opportunity) });
  }
}

function readOnlyError(fields: string[]): never {
  throw new SalesforceApiError(
    400,
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    fields,
  );
}

function derive(
  def: ObjectDef,
  record: SObjectRecord,
  changed: Record<string, unknown>,
  isCreate: boolean,
): void {
  if (def.name === 'Contact' || def.name === 'User') {
    record.Name = [record.FirstName, record.LastName]
      .filter((p) => typeof p === 'string' && p !== '')
      .join(' ');
  }
  if (def.name === 'Opportunity') {
    const stage = OPPORTUNITY_STAGES.find((s) => s.stage === record.StageName);
    if (stage) {
      // The stage sets the default probability unless the same write sets Probability itself.
      const stageSet = isCreate ? record.Probability === null : 'StageName' in changed;
      if (stageSet && !('Probability' in changed)) record.Probability = stage.probability;
      record.IsClosed = stage.closed;
      record.IsWon = stage.won;
      record.ForecastCategoryName = stage.won ? 'Closed' : stage.closed ? 'Omitted' : 'Pipeline';
    }
  }
  if (def.name === 'OpportunityLineItem') priceLineItem(record, changed, isCreate);
}

function auditFields(def: ObjectDef, now: string, userId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const has = (name: string): boolean => def.fields.some((fd) => fd.name === name);
  if (has('IsDeleted')) out.IsDeleted = false;
  if (has('CreatedDate')) out.CreatedDate = now;
  if (has('CreatedById')) out.CreatedById = userId;
  if (has('LastModifiedDate')) out.LastModifiedDate = now;
  if (has('LastModifiedById')) out.LastModifiedById = userId;
  if (has('SystemModstamp')) out.SystemModstamp = now;
  if (has('OwnerId')) out.OwnerId = userId;
  return out;
}

function fieldOf(def: ObjectDef, name: string): FieldDef {
  const fd = def.fields.find((x) => x.name === name);
  if (!fd) throw new Error(`${def.name}.${name} is not defined`);
  return fd;
}

function fileType(ext: string): string {
  const types: Record<string, string> = {
    pdf: 'PDF',
    doc: 'WORD',
    docx: 'WORD_X',
    xls: 'EXCEL',
    xlsx: 'EXCEL_X',
    png: 'PNG',
    jpg: 'JPG',
    jpeg: 'JPEG',
    txt: 'TEXT',
    csv: 'CSV',
  };
  return types[ext] ?? 'UNKNOWN';
}

function emptyTables(): Tables {
  return { records: new Map(), typeById: new Map(), deleted: new Map(), recycleBin: new Map() };
}

function cloneTables(t: Tables): Tables {
  return {
    records: new Map(
      [...t.records].map(([type, rows]) => [type, new Map([...rows].map(([id, r]) => [id, { ...r }]))]),
    ),
    typeById: new Map(t.typeById),
    deleted: new Map(t.deleted),
    recycleBin: new Map(t.recycleBin),
  };
}
