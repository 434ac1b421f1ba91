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
  /**
   * `retry`: an admin queued a failed notification again, with the record as Salesforce has it now;
   * `reconciliation`: the scheduled reconciliation found it missed.
   */
  source: z.enum(['outbound-message', 'sync-now', 'retry', 'reconciliation']),
  /** The "Synchronize now" run that queued this notification, whose counts its outcome updates. */
  runId: z.string().min(1).max(64).optional(),
  /** How often the notification was deferred before this copy was queued (see deferral.ts). */
  deferrals: z.number().int().min(0).max(10_000).optional(),
  /**
   * Set when the queue refused the notification's full body for good: this stand-in carries its
   * ids (fields: Id only) and why, and the worker records the notification as failed.
   */
  refused: z.string().min(1).max(1000).optional(),
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

/**
 * The body as queued: JSON with every character outside printable ASCII escaped (\uXXXX, a
 * surrogate pair as two). Real SQS refuses U+FFFE, U+FFFF and lone surrogates, and the local
 * emulator also everything above U+FFFF; an ASCII body is accepted by both, and JSON.parse
 * restores the text exactly.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export function encodeSyncMessage(message: SyncMessage): string {
  return JSON.stringify(message).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The stand-in for a notification whose body the queue refused for good. */
export function refusedStandIn(message: SyncMessage, reason: string): SyncMessage {
  return {
    ...message,
    fields: { Id: message.fields.Id ?? null },
    refused: reason.slice(0, 1000),
  };
}
