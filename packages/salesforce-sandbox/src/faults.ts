import { z } from 'zod';
import type { DeliveryFaults } from './contracts';

const requestRule = z.strictObject({
  match: z
    .strictObject({
      method: z.string().optional(),
      pathContains: z.string().optional(),
      kind: z.string().optional(),
    })
    .default({}),
  action: z.enum(['status5xx', 'requestLimitExceeded', 'latency', 'expireTokens', 'unableToLockRow']),
  times: z.number().int().positive().optional(),
  latencyMs: z.number().int().nonnegative().optional(),
  /** For status5xx: which status (default 500; 503 sends SERVER_UNAVAILABLE). */
  status: z.number().int().min(500).max(599).optional(),
});

const deliveryRule = z.strictObject({
  endpointContains: z.string().optional(),
  action: z.enum(['drop', 'duplicate', 'reorder']),
  times: z.number().int().positive().optional(),
});

/** Body of POST /_sandbox/faults: request rules, delivery rules, or both. */
export const faultsInput = z.strictObject({
  rules: z.array(requestRule).default([]),
  delivery: z.array(deliveryRule).default([]),
});

export type RequestFaultRule = z.infer<typeof requestRule>;
export type DeliveryFaultRule = z.infer<typeof deliveryRule>;

interface Active<T> {
  id: number;
  rule: T;
  remaining: number;
}

/**
 * Fault injection by rule. A rule without `times` applies until the faults are cleared; with it,
 * to that many matching requests (or deliveries).
 */
export class Faults implements DeliveryFaults {
  private nextId = 1;
  private requestRules: Array<Active<RequestFaultRule>> = [];
  private deliveryRules: Array<Active<DeliveryFaultRule>> = [];

  add(input: z.input<typeof faultsInput>): { rules: number[]; delivery: number[] } {
    const parsed = faultsInput.parse(input);
    const ids = { rules: [] as number[], delivery: [] as number[] };
    for (const rule of parsed.rules) {
      const id = this.nextId++;
      this.requestRules.push({ id, rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
      ids.rules.push(id);
    }
    for (const rule of parsed.delivery) {
      const id = this.nextId++;
      this.deliveryRules.push({ id, rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
      ids.delivery.push(id);
    }
    return ids;
  }

  clear(): void {
    this.requestRules = [];
    this.deliveryRules = [];
  }

  list(): { rules: unknown[]; delivery: unknown[] } {
    const view = <T>(a: Active<T>) => ({
      id: a.id,
      ...a.rule,
      remaining: Number.isFinite(a.remaining) ? a.remaining : null,
    });
    return { rules: this.requestRules.map(view), delivery: this.deliveryRules.map(view) };
  }

  /** The rules that apply to this request, each consumed once, in the order they were added. */
  takeRequestFaults(request: { method: string; path: string; kind: string }): RequestFaultRule[] {
    const hits: RequestFaultRule[] = [];
    for (const active of this.requestRules) {
      const m = active.rule.match;
      if (m.method && m.method.toUpperCase() !== request.method.toUpperCase()) continue;
      if (m.pathContains && !request.path.includes(m.pathContains)) continue;
      if (m.kind && m.kind !== request.kind) continue;
      active.remaining -= 1;
      hits.push(active.rule);
    }
    this.requestRules = this.requestRules.filter((a) => a.remaining > 0);
    return hits;
  }

  nextDelivery(endpointUrl: string): 'deliver' | 'drop' | 'duplicate' | 'reorder' {
    const active = this.deliveryRules.find(
      (a) => !a.rule.endpointContains || endpointUrl.includes(a.rule.endpointContains),
    );
    if (!active) return 'deliver';
    active.remaining -= 1;
    this.deliveryRules = this.deliveryRules.filter((a) => a.remaining > 0);
    return active.rule.action;
  }
}
