import type { DeliveryFaults, OutboundDelivery, SandboxClock, SandboxStore } from '../contracts';
import type { ActiveOutboundMessage } from '../metadata/model';
import { isAcknowledged } from './ack';
import { buildNotificationsBody } from './notification-body';

/**
 * Salesforce's outbound-message queue: up to 100 notifications per POST, retried with a backoff that
 * doubles up to two hours apart, dropped after 24 hours. Sandbox time throughout.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
export const MAX_NOTIFICATIONS_PER_MESSAGE = 100;
export const FIRST_RETRY_MS = 15_000;
export const MAX_RETRY_INTERVAL_MS = 2 * 60 * 60 * 1000;
export const EXPIRY_MS = 24 * 60 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 60_000;

export interface QueuedNotification {
  id: string;
  sObjectType: string;
  recordId: string;
  message: ActiveOutboundMessage;
  queuedAt: number;
}

export interface SentBody {
  endpointUrl: string;
  body: string;
  status: number | 'error';
  at: string;
}

interface DeliveryState {
  record: OutboundDelivery;
  message: ActiveOutboundMessage;
  notifications: QueuedNotification[];
  firstQueuedAt: number;
  timer?: { cancel(): void };
  held: boolean;
  /**
   * A reordered delivery's message as it was when it was held back: a request stuck in the
   * network arrives with the data of its time, after newer ones.
   */
  captured?: { body: string; times: number };
}

/**
 * What is still to be sent, as plain data: a persisted org saves it and sends it after a restart,
 * as Salesforce keeps retrying whatever it has not delivered (for 24 hours from the first queueing).
 */
export interface DeliveryQueueState {
  deliveryCount: number;
  pending: Array<{
    record: OutboundDelivery;
    message: ActiveOutboundMessage;
    notifications: QueuedNotification[];
    firstQueuedAt: number;
  }>;
  unbatched: QueuedNotification[];
}

export interface DeliveryQueueOptions {
  store: SandboxStore;
  clock: SandboxClock;
  faults: DeliveryFaults;
  instanceUrl: () => string;
  /** How long new notifications wait to be batched together (sandbox ms). */
  batchWindowMs: number;
}

export class DeliveryQueue {
  private readonly states: DeliveryState[] = [];
  private readonly unbatched: QueuedNotification[] = [];
  private readonly sent: SentBody[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private readonly heldBack = new Map<string, DeliveryState[]>();
  private deliveryCount = 0;
  private batchTimer: { cancel(): void } | undefined;
  private stopped = false;

  constructor(private readonly options: DeliveryQueueOptions) {}

  enqueue(notification: QueuedNotification): void {
    if (this.stopped) return;
    this.unbatched.push(notification);
    this.batchTimer ??= this.options.clock.setTimeout(() => {
      this.batchTimer = undefined;
      this.formBatches();
    }, this.options.batchWindowMs);
  }

  deliveries(): OutboundDelivery[] {
    return this.states.map((state) => ({
      ...state.record,
      notificationIds: [...state.record.notificationIds],
    }));
  }

  sentBodies(): SentBody[] {
    return this.sent.map((entry) => ({ ...entry }));
  }

  /** Sends every pending delivery now, ignoring backoff, and waits for all attempts to finish. */
  async flush(): Promise<void> {
    this.batchTimer?.cancel();
    this.batchTimer = undefined;
    const waiting = this.states.filter((s) => s.record.status === 'pending' && !s.held);
    this.formBatches();
    for (const state of waiting) {
      state.timer?.cancel();
      this.schedule(state, 'now');
    }
    await this.settled();
    // A delivery held back for reordering goes out once nothing else is waiting for its endpoint.
    for (const [endpointUrl, held] of this.heldBack) {
      this.heldBack.delete(endpointUrl);
      for (const state of held) this.run(state, () => this.release(state));
    }
    await this.settled();
  }

  /** Waits until every attempt started so far has finished. */
  async settled(): Promise<void> {
    let pending = [...this.chains.values()];
    while (pending.length > 0) {
      await Promise.all(pending);
      const now = [...this.chains.values()];
      pending = now.filter((chain) => !pending.includes(chain));
    }
  }

  exportState(): DeliveryQueueState {
    return structuredClone({
      deliveryCount: this.deliveryCount,
      pending: this.states
        .filter((state) => state.record.status === 'pending')
        .map(({ record, message, notifications, firstQueuedAt }) => ({
          record,
          message,
          notifications,
          firstQueuedAt,
        })),
      unbatched: this.unbatched,
    });
  }

  /** Takes up a saved queue: each pending delivery is attempted when it was due (or now, if overdue). */
  importState(saved: DeliveryQueueState): void {
    const state = structuredClone(saved);
    this.deliveryCount = Math.max(this.deliveryCount, state.deliveryCount);
    for (const pending of state.pending) {
      const delivery: DeliveryState = { ...pending, held: false };
      this.states.push(delivery);
      const due = pending.record.nextAttemptAt ? Date.parse(pending.record.nextAttemptAt) : Number.NaN;
      this.schedule(delivery, Number.isNaN(due) ? this.options.clock.now() : due);
    }
    for (const notification of state.unbatched) this.enqueue(notification);
  }

  stop(): void {
    this.stopped = true;
    this.batchTimer?.cancel();
    for (const state of this.states) state.timer?.cancel();
  }

  private nowIso(): string {
    return new Date(this.options.clock.now()).toISOString();
  }

  private formBatches(): void {
    const byMessage = new Map<string, QueuedNotification[]>();
    for (const notification of this.unbatched.splice(0)) {
      const group = byMessage.get(notification.message.id) ?? [];
      group.push(notification);
      byMessage.set(notification.message.id, group);
    }
    for (const group of byMessage.values()) {
      for (let i = 0; i < group.length; i += MAX_NOTIFICATIONS_PER_MESSAGE) {
        const notifications = group.slice(i, i + MAX_NOTIFICATIONS_PER_MESSAGE);
        const first = notifications[0];
        if (!first) continue;
        const firstQueuedAt = Math.min(...notifications.map((n) => n.queuedAt));
        const state: DeliveryState = {
          record: {
            id: `delivery-${++this.deliveryCount}`,
            endpointUrl: first.message.endpointUrl,
            notificationIds: notifications.map((n) => n.id),
            attempts: 0,
            status: 'pending',
            firstQueuedAt: new Date(firstQueuedAt).toISOString(),
            nextAttemptAt: this.nowIso(),
          },
          message: first.message,
          notifications,
          firstQueuedAt,
          held: false,
        };
        this.states.push(state);
        this.schedule(state, 'now');
      }
    }
  }

  private schedule(state: DeliveryState, when: 'now' | number): void {
    if (this.stopped) return;
    if (when === 'now') {
      this.run(state, () => this.attempt(state));
      return;
    }
    const deadline = state.firstQueuedAt + EXPIRY_MS;
    const at = Math.min(when, deadline);
    state.record.nextAttemptAt = new Date(at).toISOString();
    state.timer = this.options.clock.setTimeout(
      () => this.run(state, () => this.attempt(state)),
      Math.max(0, at - this.options.clock.now()),
    );
  }

  /** Attempts to one endpoint run one after another, in the order they were started. */
  private run(state: DeliveryState, task: () => Promise<void>): void {
    const endpointUrl = state.record.endpointUrl;
    const previous = this.chains.get(endpointUrl) ?? Promise.resolve();
    const chain = previous.then(task).catch(() => undefined);
    this.chains.set(endpointUrl, chain);
    void chain.then(() => {
      if (this.chains.get(endpointUrl) === chain) this.chains.delete(endpointUrl);
    });
  }

  private expireIfDue(state: DeliveryState, now = this.options.clock.now()): boolean {
    if (now - state.firstQueuedAt < EXPIRY_MS) return false;
    state.record.status = 'expired';
    delete state.record.nextAttemptAt;
    return true;
  }

  private async attempt(state: DeliveryState): Promise<void> {
    if (state.record.status !== 'pending' || state.held || this.expireIfDue(state)) return;
    const endpointUrl = state.record.endpointUrl;
    const faults = this.options.faults.nextDelivery(endpointUrl);
    const times = faults.includes('duplicate') ? 2 : 1;
    if (faults.includes('drop')) {
      // Behaves as if sent and acknowledged: a webhook lost on the way, for good.
      state.record.attempts += 1;
      this.markDelivered(state);
      return;
    }
    if (faults.includes('unreachable')) {
      state.record.attempts += 1;
      this.failed(state, 'The endpoint could not be reached');
      return;
    }
    if (faults.includes('reorder')) {
      const body = this.buildBody(state);
      if (body !== undefined) state.captured = { body, times };
      state.held = true;
      const held = this.heldBack.get(endpointUrl) ?? [];
      held.push(state);
      this.heldBack.set(endpointUrl, held);
      state.timer = this.options.clock.setTimeout(
        () => this.run(state, () => this.release(state)),
        FIRST_RETRY_MS,
      );
      return;
    }
    await this.post(state, times);
    await this.releaseHeld(endpointUrl, state);
  }

  private async release(state: DeliveryState): Promise<void> {
    if (!state.held) return;
    state.held = false;
    state.timer?.cancel();
    const held = this.heldBack.get(state.record.endpointUrl);
    if (held) {
      const remaining = held.filter((s) => s !== state);
      if (remaining.length > 0) this.heldBack.set(state.record.endpointUrl, remaining);
      else this.heldBack.delete(state.record.endpointUrl);
    }
    if (this.expireIfDue(state)) return;
    const captured = state.captured;
    delete state.captured;
    await this.post(state, captured?.times ?? 1, captured?.body);
  }

  private async releaseHeld(endpointUrl: string, sentAfter: DeliveryState): Promise<void> {
    const held = (this.heldBack.get(endpointUrl) ?? []).filter((s) => s !== sentAfter);
    for (const state of held) await this.release(state);
  }

  private markDelivered(state: DeliveryState): void {
    state.record.status = 'delivered';
    state.record.deliveredAt = this.nowIso();
    delete state.record.nextAttemptAt;
    delete state.record.lastError;
  }

  private buildBody(state: DeliveryState): string | undefined {
    const { store } = this.options;
    const first = state.notifications[0];
    if (!first) return undefined;
    // The record is read now, not when the notification was queued: Salesforce sends the latest data.
    const notifications = state.notifications.flatMap((n) => {
      const record = store.get(n.sObjectType, n.recordId);
      return record ? [{ id: n.id, record }] : [];
    });
    if (notifications.length === 0) return undefined;
    const instanceUrl = this.options.instanceUrl();
    const org15 = store.organizationId.slice(0, 15);
    const version = state.message.apiVersion.toFixed(1);
    return buildNotificationsBody({
      organizationId: store.organizationId,
      actionId: state.message.id,
      enterpriseUrl: `${instanceUrl}/services/Soap/c/${version}/${org15}`,
      partnerUrl: `${instanceUrl}/services/Soap/u/${version}/${org15}`,
      sObjectType: first.sObjectType,
      fields: state.message.fields,
      describe: store.describe(first.sObjectType),
      notifications,
    });
  }

  /** Posts the message `times` times: `body` as captured, else the records as they are now. */
  private async post(state: DeliveryState, times: number, captured?: string): Promise<void> {
    const body = captured ?? this.buildBody(state);
    if (body === undefined) {
      state.record.status = 'expired';
      state.record.lastError = 'The records of these notifications no longer exist';
      delete state.record.nextAttemptAt;
      return;
    }
    let acknowledged = false;
    let lastError: string | undefined;
    for (let i = 0; i < times; i++) {
      // Checked and stamped at one instant: on a sped-up clock the wall time between a check
      // and the POST is sandbox minutes, which could put an attempt past the 24 hours.
      const now = this.options.clock.now();
      if (this.expireIfDue(state, now)) return;
      const at = new Date(now).toISOString();
      state.record.attempts += 1;
      const outcome = await this.send(state.record.endpointUrl, body, at);
      acknowledged = outcome.acknowledged;
      lastError = outcome.error;
    }
    if (acknowledged) {
      this.markDelivered(state);
      return;
    }
    this.failed(state, lastError ?? 'Not acknowledged');
  }

  /** A failed attempt: retried with a backoff doubling up to two hours apart, until it expires. */
  private failed(state: DeliveryState, error: string): void {
    state.record.lastError = error;
    if (this.expireIfDue(state)) return;
    const retries = state.record.attempts;
    const delay = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, retries - 1), MAX_RETRY_INTERVAL_MS);
    this.schedule(state, this.options.clock.now() + delay);
  }

  private async send(
    endpointUrl: string,
    body: string,
    at: string,
  ): Promise<{ acknowledged: boolean; error?: string }> {
    const timeoutMs = Math.max(1_000, REQUEST_TIMEOUT_MS / this.options.clock.scale);
    try {
      const response = await fetch(endpointUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      this.sent.push({ endpointUrl, body, status: response.status, at });
      if (response.status < 200 || response.status >= 300) {
        return { acknowledged: false, error: `HTTP ${response.status}` };
      }
      return isAcknowledged(text)
        ? { acknowledged: true }
        : { acknowledged: false, error: 'The response is not a notificationsResponse with Ack true' };
    } catch (error) {
      this.sent.push({ endpointUrl, body, status: 'error', at });
      return { acknowledged: false, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
