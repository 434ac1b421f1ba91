/**
 * Deferral: a notification that cannot be synced now (Salesforce is down or busy, the org's
 * API limit or our budget of it is used up, the site must be reconnected) is tried again later
 * instead of failing. Every kind shares one schedule, exponential with jitter, and one
 * transport: a hold-back of the received message (its visibility) while its receive count is
 * low, else a fresh copy with a delay, whose receive count starts again, so no deferral ever
 * walks a message into the dead-letter queue however long it lasts.
 * https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
 */
export const DEFERRAL_KINDS = ['transient', 'rate-limit', 'budget', 'reconnect'] as const;
export type DeferralKind = (typeof DEFERRAL_KINDS)[number];

/** Why notifications are deferred, in words for the sync log. */
export interface DeferralReason {
  kind: DeferralKind;
  detail: string;
  /** Salesforce's error code, when Salesforce said why. */
  errorCode?: string;
}

export interface DeferralPolicy {
  /** First wait after a transient failure (5xx, timeout, lock, network), doubled per attempt. */
  transientBackoffSeconds: number;
  /** First wait after REQUEST_LIMIT_EXCEEDED or an exhausted API budget, doubled per attempt. */
  rateLimitBackoffSeconds: number;
  /** No single wait is longer (before jitter). */
  maxBackoffSeconds: number;
  /** Receives a deferred message is held back by visibility before a fresh copy replaces it. */
  holdBackReceives: number;
  /** Delay of each fresh copy while the site waits to be reconnected. */
  requeueDelaySeconds: number;
  /** How long a notification may wait for a reconnect before it is given up. */
  maxReconnectWaitMs: number;
  /** How long a notification may wait out other failures before it is given up. */
  maxRetryWaitMs: number;
}

/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html */
export const MAX_HOLD_SECONDS = 12 * 60 * 60;
/** https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html */
export const MAX_DELAY_SECONDS = 15 * 60;

/** The deferred notification, as the queue delivered it. */
export interface DeferredAttempt {
  /** How many times SQS delivered this copy, this time included. */
  receiveCount: number;
  /** Deferrals before this copy was queued (carried from copy to copy). */
  deferrals: number;
  /** When the notification was first queued. */
  receivedAt: string;
}

export type DeferralPlan =
  | { transport: 'hold'; seconds: number }
  | { transport: 'requeue'; seconds: number; deferrals: number }
  | { transport: 'give-up'; reason: string };

/**
 * When and how to try a deferred notification again. `random` is in [0, 1): each wait is
 * drawn from its upper half, so a crowd deferred together spreads out on its way back.
 */
export function planDeferral(
  reason: DeferralReason,
  attempt: DeferredAttempt,
  policy: DeferralPolicy,
  now: Date,
  random: () => number,
): DeferralPlan {
  const waited = now.getTime() - Date.parse(attempt.receivedAt);
  const limit = reason.kind === 'reconnect' ? policy.maxReconnectWaitMs : policy.maxRetryWaitMs;
  if (waited > limit) {
    const hours = Math.round(limit / 3_600_000);
    return {
      transport: 'give-up',
      reason:
        reason.kind === 'reconnect'
          ? `given up after waiting ${hours} h for the site to be reconnected to Salesforce`
          : `given up after ${hours} h of retries`,
    };
  }
  const tries = attempt.deferrals + Math.max(0, attempt.receiveCount - 1);
  // Waiting for an admin: no backoff helps, a steady copy every requeueDelaySeconds does.
  if (reason.kind === 'reconnect') {
    return { transport: 'requeue', seconds: policy.requeueDelaySeconds, deferrals: tries + 1 };
  }
  const base = reason.kind === 'transient' ? policy.transientBackoffSeconds : policy.rateLimitBackoffSeconds;
  const ceiling = Math.min(policy.maxBackoffSeconds, base * 2 ** Math.min(tries, 30));
  const seconds = Math.ceil(ceiling / 2 + (random() * ceiling) / 2);
  if (attempt.receiveCount < policy.holdBackReceives) {
    return { transport: 'hold', seconds: Math.min(seconds, MAX_HOLD_SECONDS) };
  }
  return { transport: 'requeue', seconds: Math.min(seconds, MAX_DELAY_SECONDS), deferrals: tries + 1 };
}

/** What a plan means, for the sync log. */
export function describeDeferral(reason: DeferralReason, plan: DeferralPlan): string {
  switch (plan.transport) {
    case 'hold':
      return `${reason.detail}; tried again in ${plan.seconds} s`;
    case 'requeue':
      return `${reason.detail}; queued again, due in ${plan.seconds} s`;
    case 'give-up':
      return `${reason.detail}; ${plan.reason}`;
  }
}
