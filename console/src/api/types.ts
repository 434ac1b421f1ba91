import type { components, operations } from './openapi';

/** Names for the admin API's schemas, as its OpenAPI document defines them. */
type Schemas = components['schemas'];

export type Problem = Schemas['Problem'];
export type Site = Schemas['Site'];
export type SiteUser = Schemas['SiteUser'];
export type SalesforceStatus = Schemas['SalesforceStatus'];
export type Connection = SalesforceStatus['connection'];
export type StoredSettings = Schemas['StoredSettings'];
export type SetupStatus = Schemas['SetupStatus'];
export type Quote = Schemas['Quote'];
export type QuoteLine = Quote['lines'][number];
export type QuoteSend = Schemas['QuoteSend'];
export type SyncRun = Schemas['SyncRun'];
export type SyncLogEntry = Schemas['SyncLogEntry'];
export type Company = Schemas['Company'];
export type Person = Schemas['Person'];
export type Project = Schemas['Project'];
export type ProjectSummary = Schemas['ProjectSummary'];
export type ProjectTask = Schemas['ProjectTask'];
export type ProjectTotals = Schemas['ProjectTotals'];
export type TimeEntry = Schemas['TimeEntry'];

/** What PUT …/salesforce/settings takes. */
export type SettingsBody = operations['saveSalesforceSettings']['requestBody']['content']['application/json'];
export type FieldMapping = NonNullable<SettingsBody['fieldMappings']['opportunity']>[number];
export type CustomField = NonNullable<SettingsBody['customFields']>[number];
export type ConditionOperator = NonNullable<FieldMapping['condition']>['operator'];
export type SyncedObject = keyof SettingsBody['fieldMappings'];
/** One line as PUT …/lines takes it. */
export type LineInput =
  operations['setQuoteLines']['requestBody']['content']['application/json']['lines'][number];
/** What PATCH …/projects/{projectId} and POST …/time-entries take. */
export type ProjectPatch = operations['patchProject']['requestBody']['content']['application/json'];
export type TimeEntryInput = operations['recordTimeEntry']['requestBody']['content']['application/json'];
export type Me = Schemas['Me'];
export type MySite = Me['sites'][number];
export type SignInConfig = Schemas['SignInConfig'];
