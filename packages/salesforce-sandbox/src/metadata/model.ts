import { z } from 'zod';
import type { XmlElement } from './xml';

/** One entry of SaveResult.errors / DeleteResult.errors. */
export interface SaveError {
  statusCode: string;
  message: string;
  fields: string[];
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: SaveError[] };

export interface OutboundMessageDefinition {
  id: string;
  /** `Object.DeveloperName`, e.g. `Opportunity.Scoro_integration`. */
  fullName: string;
  objectName: string;
  name: string;
  endpointUrl: string;
  /** Field API names in the object's own casing, as configured (Id is always sent as well). */
  fields: string[];
  apiVersion: number;
  includeSessionId: boolean;
  integrationUser: string;
  protected: boolean;
  useDeadLetterQueue: boolean;
  /** The element as received (minus fullName), echoed back by readMetadata. */
  xml: XmlElement;
  createdDate: string;
  lastModifiedDate: string;
}

export const filterValueSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('string'), value: z.string() }),
  z.object({ kind: z.literal('number'), value: z.number() }),
  z.object({ kind: z.literal('boolean'), value: z.boolean() }),
  z.object({ kind: z.literal('date'), value: z.string() }),
  z.object({ kind: z.literal('dateTime'), value: z.string() }),
]);
export type FilterValue = z.infer<typeof filterValueSchema>;

export const flowFilterSchema = z.object({
  field: z.string(),
  operator: z.string(),
  value: filterValueSchema.optional(),
});
export type FlowFilter = z.infer<typeof flowFilterSchema>;

export interface FlowActionCall {
  name: string;
  actionType: string;
  actionName: string;
  connector?: string;
}

export interface FlowStart {
  object?: string;
  triggerType?: string;
  recordTriggerType?: string;
  filterLogic?: string;
  filters: FlowFilter[];
  doesRequireRecordChangedToMeetCriteria: boolean;
  connector?: string;
}

export type FlowStatus = 'Active' | 'Draft' | 'Obsolete' | 'InvalidDraft';

export interface FlowVersion {
  id: string;
  fullName: string;
  versionNumber: number;
  status: FlowStatus;
  label: string;
  processType: string;
  start?: FlowStart;
  actionCalls: FlowActionCall[];
  xml: XmlElement;
  createdDate: string;
  lastModifiedDate: string;
}

export const activeOutboundMessageSchema = z.object({
  id: z.string(),
  fullName: z.string(),
  objectName: z.string(),
  endpointUrl: z.string(),
  fields: z.array(z.string()),
  apiVersion: z.number(),
});

/** What `listFlows()` returns: each active record-triggered flow with its outbound messages resolved, in action order. */
export const activeFlowSchema = z.object({
  fullName: z.string(),
  versionNumber: z.number(),
  object: z.string(),
  triggerType: z.string(),
  recordTriggerType: z.enum(['Create', 'Update', 'CreateAndUpdate', 'Delete', 'None']),
  filterLogic: z.string().optional(),
  filters: z.array(flowFilterSchema),
  doesRequireRecordChangedToMeetCriteria: z.boolean(),
  outboundMessages: z.array(activeOutboundMessageSchema),
});
export type ActiveFlow = z.infer<typeof activeFlowSchema>;
export type ActiveOutboundMessage = z.infer<typeof activeOutboundMessageSchema>;
