import * as z from 'zod';
import { apiNameSchema } from './outbound-message';
import { siteIdSchema } from './site';

/**
 * The body of one message on the sync queue: one notification, carrying everything the worker
 * needs without going back to the ack path. Both the webhook path and "Synchronize now" produce
 * this shape, so one worker serves both.
 */
export const syncMessageSchema = z.strictObject({
  kind: z.literal('notification'),
  version: z.literal(1),
  siteId: siteIdSchema,
  organizationId: z.string().min(15),
  notificationId: z.string().min(15),
  sObjectType: apiNameSchema,
  recordId: z.string().min(15),
  fields: z.record(apiNameSchema, z.string().nullable()),
  receivedAt: z.iso.datetime(),
  source: z.enum(['outbound-message', 'sync-now']),
  /** The "Synchronize now" run that queued this notification, whose counts its outcome updates. */
  runId: z.string().min(1).max(64).optional(),
});

export type SyncMessage = z.infer<typeof syncMessageSchema>;
