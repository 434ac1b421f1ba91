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
  /** Checked by the worker, not here: a notification with a malformed id is logged as failed, on its site. */
  recordId: z.string().min(1).max(255),
  fields: z.record(apiNameSchema, z.string().nullable()),
  receivedAt: z.iso.datetime(),
  source: z.enum(['outbound-message', 'sync-now']),
  /** The "Synchronize now" run that queued this notification, whose counts its outcome updates. */
  runId: z.string().min(1).max(64).optional(),
  /** How often the notification was deferred before this copy was queued (see deferral.ts). */
  deferrals: z.number().int().min(0).max(10_000).optional(),
});

export type SyncMessage = z.infer<typeof syncMessageSchema>;

/** The message in a queued body, or undefined when the body is not one. */
export function readSyncMessage(body: string): SyncMessage | undefined {
  try {
    const parsed = syncMessageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
