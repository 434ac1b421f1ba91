import {
  InvalidOutboundMessageError,
  OrganizationMismatchError,
  PayloadTooLargeError,
  SiteNotFoundError,
} from '../domain/errors';
import { type OutboundMessage, SYNCED_SOBJECT_TYPES } from '../domain/outbound-message';
import { sameSalesforceId } from '../domain/salesforce-id';
import { siteAcceptsSecret, siteIdSchema } from '../domain/site';
import type { SyncMessage } from '../domain/sync-message';
import type { Logger } from '../ports/logger';
import type { SiteRepository } from '../ports/site-repository';
import type { SyncQueue } from '../ports/sync-queue';
import { queueNotifications } from './queue-notifications';

export interface AcceptOutboundMessageDeps {
  sites: SiteRepository;
  queue: SyncQueue;
  logger: Logger;
  parse: (xml: string) => OutboundMessage;
  maxBodyBytes: number;
  now: () => Date;
}

export interface OutboundRequest {
  siteId: string;
  secret: string;
  body: string;
}

export interface AcceptOutboundMessageResult {
  queued: number;
  /** Refused by the queue for good: each is queued as a stand-in the worker records as failed. */
  refused: number;
  ignored: number;
}

/**
 * Validates one outbound message and durably queues its notifications. Resolving means it is
 * safe to acknowledge: every notification we sync is on the queue. The order of checks is the
 * contract: size, shape, site and secret, organization, then the queue.
 */
export async function acceptOutboundMessage(
  deps: AcceptOutboundMessageDeps,
  request: OutboundRequest,
): Promise<AcceptOutboundMessageResult> {
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > deps.maxBodyBytes) {
    throw new PayloadTooLargeError(
      `The message is ${bytes} bytes; this endpoint accepts at most ${deps.maxBodyBytes} bytes`,
    );
  }

  const message = deps.parse(request.body);

  const site = siteIdSchema.safeParse(request.siteId).success
    ? await deps.sites.get(request.siteId)
    : undefined;
  if (site === undefined || !siteAcceptsSecret(site, request.secret, deps.now())) {
    throw new SiteNotFoundError();
  }

  const connectedOrg = site.salesforce?.organizationId;
  if (connectedOrg === undefined) {
    throw new OrganizationMismatchError(`Site ${site.siteId} is not connected to a Salesforce organization`);
  }
  if (!sameSalesforceId(connectedOrg, message.organizationId)) {
    throw new OrganizationMismatchError(
      `The message comes from organization ${message.organizationId}, but site ${site.siteId} is connected to ${connectedOrg}`,
    );
  }

  const receivedAt = deps.now().toISOString();
  const toQueue: SyncMessage[] = [];
  let ignored = 0;
  for (const notification of message.notifications) {
    if (!SYNCED_SOBJECT_TYPES.has(notification.sObjectType)) {
      ignored++;
      deps.logger.info('Ignored a notification of a type that is not synced', {
        siteId: site.siteId,
        notificationId: notification.id,
        sObjectType: notification.sObjectType,
      });
      continue;
    }
    const recordId = notification.fields.Id;
    if (typeof recordId !== 'string' || recordId === '') {
      throw new InvalidOutboundMessageError(
        `Notification ${notification.id} carries no Id field; add Id to the outbound message's fields`,
      );
    }
    toQueue.push({
      kind: 'notification',
      version: 1,
      siteId: site.siteId,
      organizationId: message.organizationId,
      notificationId: notification.id,
      sObjectType: notification.sObjectType,
      recordId,
      fields: notification.fields,
      receivedAt,
      source: 'outbound-message',
    });
  }

  const { queued, refused } = await queueNotifications(deps, toQueue);
  deps.logger.info('Outbound message accepted', {
    siteId: site.siteId,
    organizationId: message.organizationId,
    notificationIds: message.notifications.map((notification) => notification.id),
    queued,
    refused,
    ignored,
  });
  return { queued, refused, ignored };
}
