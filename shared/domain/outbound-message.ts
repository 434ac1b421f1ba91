import * as z from 'zod';
import { isSalesforceId } from './salesforce-id';

/**
 * The typed content of one Salesforce outbound message, after the SOAP layer is peeled off.
 * Every field value is the text Salesforce sent (no number or boolean coercion), or null
 * where the element carried xsi:nil="true".
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
export const MAX_NOTIFICATIONS_PER_MESSAGE = 100;

const salesforceIdSchema = z.string().refine(isSalesforceId, 'must be a 15- or 18-character Salesforce id');

/** API names of standard and custom fields and objects (Account, Amount, Region__c, ns__Thing__c). */
export const apiNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce API name (a letter, then letters, digits, _)');

export const notificationSchema = z.strictObject({
  id: salesforceIdSchema,
  sObjectType: apiNameSchema,
  fields: z.record(apiNameSchema, z.string().nullable()),
});

export const outboundMessageSchema = z.strictObject({
  organizationId: salesforceIdSchema,
  actionId: salesforceIdSchema,
  sessionId: z.string().nullable(),
  enterpriseUrl: z.string().min(1),
  partnerUrl: z.string().min(1),
  notifications: z.array(notificationSchema).min(1).max(MAX_NOTIFICATIONS_PER_MESSAGE),
});

export type Notification = z.infer<typeof notificationSchema>;
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;

/** The sObject types this product syncs from outbound messages. */
export const SYNCED_SOBJECT_TYPES: ReadonlySet<string> = new Set(['Opportunity']);
