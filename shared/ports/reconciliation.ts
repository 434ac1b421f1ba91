import type { ReconciliationState } from '../domain/reconciliation';

/** Each site's reconciliation watermark and cached query. */
export interface ReconciliationStates {
  get(siteId: string): Promise<ReconciliationState | undefined>;
  put(state: ReconciliationState): Promise<void>;
}
