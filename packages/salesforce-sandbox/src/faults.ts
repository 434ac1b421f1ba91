import { z } from 'zod';
import type { DeliveryFault, DeliveryFaults } from './contracts';

/**
 * When a rule applies, on the sandbox clock: from `from` (inclusive) until `until` (exclusive),
 * ISO-8601. An outage is a rule with a window; `GET /_sandbox/time` gives the sandbox's now.
 */
const windowSchema = z
  .strictObject({ from: z.iso.datetime().optional(), until: z.iso.datetime().optional() })
  .refine((w) => !w.from || !w.until || Date.parse(w.from) < Date.parse(w.until), {
    message: 'from must be before until',
  });

const applies = {
  /** That many matching requests (or deliveries), then the rule is spent; unlimited without it. */
  times: z.number().int().positive().optional(),
  /** The share of matching requests (or deliveries) it hits, 0 to 1; every one without it. */
  rate: z.number().min(0).max(1).optional(),
  window: windowSchema.optional(),
};

const requestRule = z.strictObject({
  match: z
    .strictObject({
      method: z.string().optional(),
      pathContains: z.string().optional(),
      /** The request kind the API counters use: query, sobject, composite, oauth, metadata, … */
      kind: z.string().optional(),
    })
    .default({}),
  action: z.enum(['status5xx', 'requestLimitExceeded', 'latency', 'expireTokens', 'unableToLockRow']),
  ...applies,
  latencyMs: z.number().int().nonnegative().optional(),
  /** For status5xx: which status (default 500; 503 sends SERVER_UNAVAILABLE). */
  status: z.number().int().min(500).max(599).optional(),
});

const deliveryRule = z.strictObject({
  endpointContains: z.string().optional(),
  /**
   * drop: lost for good on the way (the org counts it delivered); duplicate: posted twice;
   * reorder: the message as it is now is held back, as a request stuck in the network, and
   * arrives after a newer one, carrying its older data; unreachable: the attempt fails before
   * reaching the endpoint, so the org retries it (and drops it after 24 hours).
   */
  action: z.enum(['drop', 'duplicate', 'reorder', 'unreachable']),
  ...applies,
});

/** Body of POST /_sandbox/faults: request rules, delivery rules, or both. */
export const faultsInput = z.strictObject({
  rules: z.array(requestRule).default([]),
  delivery: z.array(deliveryRule).default([]),
  /** Seeds the draws of `rate` rules, so a run with faults can be repeated exactly. */
  seed: z.number().int().optional(),
});

export type RequestFaultRule = z.infer<typeof requestRule>;
export type DeliveryFaultRule = z.infer<typeof deliveryRule>;

interface Active<T> {
  id: number;
  rule: T;
  remaining: number;
  /** How many requests (or deliveries) it has hit. */
  hits: number;
}

/** mulberry32: a small, well-distributed seeded generator (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Fault injection by rule. Every rule that matches a request (or delivery) and is in its window
 * hits it with its rate, so rules combine: latency and a 5xx on one request, a duplicated
 * delivery that is also reordered. A drop takes precedence over every other delivery fault.
 */
export class Faults implements DeliveryFaults {
  private nextId = 1;
  private requestRules: Array<Active<RequestFaultRule>> = [];
  private deliveryRules: Array<Active<DeliveryFaultRule>> = [];
  private random: () => number = seeded(Date.now());

  constructor(private readonly clock: { now(): number } = { now: () => Date.now() }) {}

  add(input: z.input<typeof faultsInput>): { rules: number[]; delivery: number[] } {
    const parsed = faultsInput.parse(input);
    if (parsed.seed !== undefined) this.random = seeded(parsed.seed);
    const ids = { rules: [] as number[], delivery: [] as number[] };
    for (const rule of parsed.rules) {
      const id = this.nextId++;
      this.requestRules.push({ id, rule, remaining: rule.times ?? Number.POSITIVE_INFINITY, hits: 0 });
      ids.rules.push(id);
    }
    for (const rule of parsed.delivery) {
      const id = this.nextId++;
      this.deliveryRules.push({ id, rule, remaining: rule.times ?? Number.POSITIVE_INFINITY, hits: 0 });
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
      hits: a.hits,
    });
    return { rules: this.requestRules.map(view), delivery: this.deliveryRules.map(view) };
  }

  /** The rules that hit this request, each consumed once, in the order they were added. */
  takeRequestFaults(request: { method: string; path: string; kind: string }): RequestFaultRule[] {
    const hits: RequestFaultRule[] = [];
    for (const active of this.requestRules) {
      const m = active.rule.match;
      if (m.method && m.method.toUpperCase() !== request.method.toUpperCase()) continue;
      if (m.pathContains && !request.path.includes(m.pathContains)) continue;
      if (m.kind && m.kind !== request.kind) continue;
      if (!this.hits(active)) continue;
      hits.push(active.rule);
    }
    this.requestRules = this.requestRules.filter((a) => a.remaining > 0);
    return hits;
  }

  /** Every delivery fault that hits the next POST to this endpoint; none means deliver it. */
  nextDelivery(endpointUrl: string): DeliveryFault[] {
    const hits = new Set<DeliveryFault>();
    for (const active of this.deliveryRules) {
      if (active.rule.endpointContains && !endpointUrl.includes(active.rule.endpointContains)) continue;
      if (this.hits(active)) hits.add(active.rule.action);
    }
    this.deliveryRules = this.deliveryRules.filter((a) => a.remaining > 0);
    return hits.has('drop') ? ['drop'] : [...hits];
  }

  private hits(
    active: Active<{
      rate?: number | undefined;
      window?: { from?: string | undefined; until?: string | undefined } | undefined;
    }>,
  ): boolean {
    const { window, rate } = active.rule;
    const now = this.clock.now();
    if (window?.from && now < Date.parse(window.from)) return false;
    if (window?.until && now >= Date.parse(window.until)) return false;
    if (rate !== undefined && this.random() >= rate) return false;
    active.remaining -= 1;
    active.hits += 1;
    return true;
  }
}
