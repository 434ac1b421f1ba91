import { z } from 'zod';
import type {
  Automation,
  DeliveryFaults,
  MetadataService,
  RecordChange,
  SandboxClock,
  SandboxStore,
} from '../contracts';
import { idFactory } from '../metadata/ids';
import { type ActiveFlow, activeFlowSchema } from '../metadata/model';
import { flowFires } from './criteria';
import { DeliveryQueue, type DeliveryQueueState } from './delivery-queue';

export { flowFires, meetsConditions } from './criteria';
export { buildNotificationsBody, javaDouble } from './notification-body';

export interface SandboxAutomation extends Automation {
  /** Waits for attempts already started (timers that fired), without forcing pending ones. */
  settled(): Promise<void>;
  /** What is not yet delivered and the notification-id sequence, for a persisted org (persistence.ts). */
  exportState(): AutomationState;
  importState(state: AutomationState): void;
}

export interface AutomationState extends DeliveryQueueState {
  notificationsIssued: number;
}

export interface AutomationDeps {
  store: SandboxStore;
  metadata: MetadataService;
  clock: SandboxClock;
  faults: DeliveryFaults;
  /** Base of EnterpriseUrl/PartnerUrl in each message, e.g. http://127.0.0.1:3001. */
  instanceUrl?: string | (() => string);
  /** Sandbox milliseconds new notifications wait so several go out in one POST. */
  batchWindowMs?: number;
}

const activeFlowsSchema = z.array(activeFlowSchema);

export function createAutomation(deps: AutomationDeps): SandboxAutomation {
  const { store, metadata, clock, faults } = deps;
  const instanceUrl = deps.instanceUrl ?? 'http://127.0.0.1:3001';
  const queue = new DeliveryQueue({
    store,
    clock,
    faults,
    instanceUrl: typeof instanceUrl === 'string' ? () => instanceUrl : instanceUrl,
    batchWindowMs: deps.batchWindowMs ?? 1_000,
  });
  const nextNotificationId = idFactory('04l');

  const activeFlows = (): ActiveFlow[] => {
    const parsed = activeFlowsSchema.safeParse(metadata.listFlows());
    return parsed.success ? parsed.data : [];
  };

  const onChange = (change: RecordChange): void => {
    const { after, before } = change;
    if (!after) return;
    for (const flow of activeFlows()) {
      if (flow.object !== change.sObjectType || !flowFires(flow, before, after)) continue;
      for (const message of flow.outboundMessages) {
        queue.enqueue({
          id: nextNotificationId(),
          sObjectType: change.sObjectType,
          recordId: after.Id,
          message,
          queuedAt: clock.now(),
        });
      }
    }
  };

  const unsubscribe = store.onChange((change) => {
    // A failing flow must never fail the save that triggered it.
    try {
      onChange(change);
    } catch {
      return;
    }
  });

  return {
    deliveries: () => queue.deliveries(),
    sentBodies: () => queue.sentBodies(),
    flush: () => queue.flush(),
    settled: () => queue.settled(),
    exportState: () => ({ ...queue.exportState(), notificationsIssued: nextNotificationId.issued() }),
    importState: ({ notificationsIssued, ...delivery }) => {
      nextNotificationId.resume(notificationsIssued);
      queue.importState(delivery);
    },
    stop: () => {
      unsubscribe();
      queue.stop();
    },
  };
}
