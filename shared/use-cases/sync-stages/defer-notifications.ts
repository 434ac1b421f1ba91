import {
  type DeferralPlan,
  type DeferralPolicy,
  type DeferralReason,
  describeDeferral,
  planDeferral,
} from '../../domain/deferral';
import { EnqueueFailedError } from '../../domain/errors';
import type { Ending } from '../../domain/sync-decision';
import type { Logger } from '../../ports/logger';
import type { SyncRetries } from '../../ports/sync-queue';
import { errorText, type Finished, finish, type Pending } from './attempts';

export interface DeferDeps {
  retries: SyncRetries;
  policy: DeferralPolicy;
  logger: Logger;
  now: () => Date;
  /** In [0, 1); the jitter of every wait. */
  random: () => number;
}

export interface Deferral {
  item: Pending;
  reason: DeferralReason;
}

/** A failed read or write of our own store: tried again like any transient failure. */
export function storeFailure(what: string, error: unknown): DeferralReason {
  return { kind: 'transient', detail: `${what} failed: ${errorText(error)}` };
}

/**
 * The deferral stage: every notification that cannot be synced now, whatever the reason
 * (a transient failure, a rate limit, the API budget, a reconnect), is held back or queued
 * again on one schedule (see domain/deferral.ts), or given up once it has waited too long.
 * Each ends as a failure that is retrying, with the reason and the wait in its log entry.
 */
export async function deferNotifications(
  deps: DeferDeps,
  deferrals: readonly Deferral[],
): Promise<Finished[]> {
  if (deferrals.length === 0) return [];
  const now = deps.now();
  const planned = deferrals.map((deferral) => ({
    ...deferral,
    plan: planDeferral(
      deferral.reason,
      {
        receiveCount: deferral.item.received.receiveCount,
        deferrals: deferral.item.message.deferrals ?? 0,
        receivedAt: deferral.item.message.receivedAt,
      },
      deps.policy,
      now,
      deps.random,
    ),
  }));
  const ending = (reason: DeferralReason, disposition: Ending['disposition'], text: string): Ending => ({
    outcome: 'failed',
    disposition,
    reason: text,
    ...(reason.errorCode ? { errorCode: reason.errorCode } : {}),
  });
  const finished: Finished[] = [];

  for (const { item, reason, plan } of planned) {
    if (plan.transport === 'give-up')
      finished.push(finish(item, ending(reason, 'done', describeDeferral(reason, plan)), deps.now));
  }

  const holds = planned.filter(
    (p): p is typeof p & { plan: Extract<DeferralPlan, { transport: 'hold' }> } =>
      p.plan.transport === 'hold',
  );
  const notHeld = new Set(
    holds.length > 0
      ? await deps.retries.holdBack(
          holds.map((p) => ({
            receiptHandle: p.item.received.receiptHandle,
            visibilitySeconds: p.plan.seconds,
          })),
        )
      : [],
  );
  for (const { item, reason, plan } of holds) {
    const text = notHeld.has(item.received.receiptHandle)
      ? `${reason.detail}; SQS retries it after its visibility timeout`
      : describeDeferral(reason, plan);
    finished.push(finish(item, ending(reason, 'retry', text), deps.now));
  }

  const requeues = planned.filter(
    (p): p is typeof p & { plan: Extract<DeferralPlan, { transport: 'requeue' }> } =>
      p.plan.transport === 'requeue',
  );
  let notQueued = new Set<string>();
  if (requeues.length > 0) {
    try {
      await deps.retries.requeue(
        requeues.map((p) => ({
          message: { ...p.item.message, deferrals: p.plan.deferrals },
          delaySeconds: p.plan.seconds,
        })),
      );
    } catch (error) {
      deps.logger.warn('Queueing notifications again failed; they stay on the queue', { error });
      notQueued =
        error instanceof EnqueueFailedError
          ? new Set(error.failedIds)
          : new Set(requeues.map((p) => p.item.message.notificationId));
    }
  }
  for (const { item, reason, plan } of requeues) {
    finished.push(
      notQueued.has(item.message.notificationId)
        ? finish(
            item,
            ending(reason, 'retry', `${reason.detail}; SQS retries it after its visibility timeout`),
            deps.now,
          )
        : finish(item, ending(reason, 'requeued', describeDeferral(reason, plan)), deps.now),
    );
  }
  return finished;
}
