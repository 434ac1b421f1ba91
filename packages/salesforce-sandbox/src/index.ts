/**
 * A local Salesforce org: `startSalesforceSandbox()` serves Salesforce's REST, OAuth and Metadata
 * APIs on 127.0.0.1 and returns a handle to drive it (seed, faults, clock, API counters).
 */
export type { RecordChange, SObjectRecord } from './contracts';
export type { SandboxMetadataService } from './metadata/index';
export type { OrgSettings } from './org-settings';
export type { ProductLineInput } from './products';
export type { SeedInput, SeedResult } from './seed';
export {
  type AutomationFactory,
  type MetadataFactory,
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
  startSalesforceSandbox,
} from './server';
