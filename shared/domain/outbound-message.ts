import * as z from 'zod';
import { isExactSalesforceId } from './salesforce-id';

/**
 * The typed content of one Salesforce outbound message, after the SOAP layer is peeled off.
 * Every field value is the text Salesforce sent (no number or boolean coercion), or null
 * where the element carried xsi:nil="true".
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
export const MAX_NOTIFICATIONS_PER_MESSAGE = 100;

const ID_RULE = '15 letters and digits, or 18 whose last three are the checksum of the first 15';
const salesforceIdSchema = z.string().refine(isExactSalesforceId, `must be a Salesforce id (${ID_RULE})`);

/**
 * The record's own Id, and standard reference fields (AccountId, OwnerId, Pricebook2Id, …: the
 * standard fields whose names end in Id hold record ids), hold ids as Salesforce writes them or
 * nothing. A value that is no such id did not come from Salesforce, and must never reach a query.
 */
const isIdField = (name: string) => name === 'Id' || (/Id$/.test(name) && !name.endsWith('__c'));

/** API names of standard and custom fields and objects (Account, Amount, Region__c, ns__Thing__c). */
export const apiNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a Salesforce API name (a letter, then letters, digits, _)');

export const notificationSchema = z
  .strictObject({
    id: salesforceIdSchema,
    sObjectType: apiNameSchema,
    fields: z.record(apiNameSchema, z.string().nullable()),
  })
  .superRefine((notification, ctx) => {
    for (const [name, value] of Object.entries(notification.fields)) {
      if (!isIdField(name) || value === null || isExactSalesforceId(value)) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['fields', name],
        message: `of notification ${notification.id} is ${JSON.stringify(value.slice(0, 40))}, which is not a Salesforce id (${ID_RULE})`,
      });
    }
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
