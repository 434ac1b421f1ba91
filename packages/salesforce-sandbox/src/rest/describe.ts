import { notFound } from '../errors';
import type { FieldDef, ObjectDef, Schema } from '../schema';

/**
 * describeGlobal and sObject Describe bodies, trimmed to the properties clients use but with
 * Salesforce's names and types.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm
 */
export function describeGlobal(schema: Schema, apiVersion: string): unknown {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema.list().map((o) => ({ ...objectSummary(o), urls: objectUrls(o, apiVersion) })),
  };
}

export function describeSObject(schema: Schema, name: string, apiVersion: string): unknown {
  const o = schema.object(name);
  if (!o) throw notFound();
  return {
    ...objectSummary(o),
    actionOverrides: [],
    compactLayoutable: true,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    searchLayoutable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [
      { label: 'All accounts', name: 'everything' },
      { label: 'My accounts', name: 'mine' },
    ].filter(() => o.fields.some((f) => f.name === 'OwnerId')),
    fields: o.fields.map((f) => describeField(f, o)),
    childRelationships: schema.childRelationships(o.name).map((r) => ({
      cascadeDelete: r.cascadeDelete,
      childSObject: r.childSObject,
      deprecatedAndHidden: false,
      field: r.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: r.relationshipName,
      restrictedDelete: false,
    })),
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        urls: {
          layout: `/services/data/v${apiVersion}/sobjects/${o.name}/describe/layouts/012000000000000AAA`,
        },
      },
    ],
    urls: objectUrls(o, apiVersion),
  };
}

export function objectBasicInfo(schema: Schema, name: string, apiVersion: string): unknown {
  const o = schema.object(name);
  if (!o) throw notFound();
  return { objectDescribe: { ...objectSummary(o), urls: objectUrls(o, apiVersion) }, recentItems: [] };
}

function objectSummary(o: ObjectDef): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: o.createable,
    custom: o.custom ?? false,
    customSetting: false,
    deletable: o.deletable,
    deepCloneable: false,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: o.keyPrefix,
    label: o.label,
    labelPlural: o.labelPlural,
    layoutable: true,
    mergeable: o.name === 'Account' || o.name === 'Contact',
    mruEnabled: true,
    name: o.name,
    queryable: o.queryable,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: o.deletable,
    updateable: o.updateable,
  };
}

function objectUrls(o: ObjectDef, v: string): Record<string, string> {
  const base = `/services/data/v${v}/sobjects/${o.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  base64: 'xsd:base64Binary',
};

function describeField(f: FieldDef, o: ObjectDef): Record<string, unknown> {
  const textual = ['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'id', 'reference'].includes(
    f.type,
  );
  const filterable = f.type !== 'textarea' && f.type !== 'base64';
  const polymorphic = (f.referenceTo?.length ?? 0) > 1;
  return {
    aggregatable: filterable,
    aiPredictionField: false,
    autoNumber: false,
    byteLength: textual ? (f.length ?? 18) * 3 : 0,
    calculated: f.calculated ?? false,
    calculatedFormula: null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: compoundOf(f.name),
    controllerName: null,
    createable: f.createable,
    custom: f.custom ?? false,
    defaultValue:
      f.picklistValues?.find((p) => p.defaultValue)?.value ?? (f.type === 'boolean' ? false : null),
    defaultValueFormula: null,
    defaultedOnCreate:
      f.type === 'boolean' || ['Id', 'OwnerId', 'CreatedDate', 'CreatedById'].includes(f.name),
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? (f.precision ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId ?? false,
    extraTypeInfo: extraTypeInfo(f),
    filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: filterable && f.type !== 'double' && f.type !== 'currency' && f.type !== 'percent',
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: f.name === 'Id' || (o.name === 'User' && f.name === 'Username') || (f.externalId ?? false),
    inlineHelpText: null,
    label: f.label,
    length: textual ? (f.length ?? 18) : 0,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.name === 'Name' || (o.name === 'ContentVersion' && f.name === 'Title'),
    namePointing: f.relationshipName === 'LinkedEntity' || f.relationshipName === 'FirstPublishLocation',
    nillable: f.nillable,
    permissionable: !['Id', 'Name'].includes(f.name) && f.nillable,
    picklistValues: (f.picklistValues ?? []).map((p) => ({
      active: p.active,
      defaultValue: p.defaultValue ?? false,
      label: p.label,
      validFor: null,
      value: p.value,
    })),
    polymorphicForeignKey: polymorphic,
    precision: f.precision ?? 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.restrictedPicklist ?? false,
    scale: f.scale ?? 0,
    searchPrefilterable: f.type === 'reference',
    soapType: SOAP_TYPES[f.type],
    sortable: filterable,
    type: f.type,
    unique: f.unique ?? false,
    updateable: f.updateable,
    writeRequiresMasterRead: false,
  };
}

/** Address parts belong to their compound field (BillingCity → BillingAddress), as in describe. */
function compoundOf(name: string): string | null {
  const m =
    /^(Billing|Shipping|Mailing|Other)(Street|City|State|PostalCode|Country|Latitude|Longitude)$/.exec(name);
  return m ? `${m[1]}Address` : null;
}

function extraTypeInfo(f: FieldDef): string | null {
  if (f.type === 'textarea') return 'plaintextarea';
  if (f.type === 'url' && f.name === 'PhotoUrl') return 'imageurl';
  return null;
}
