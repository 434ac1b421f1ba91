/**
 * The seams between the sandbox's parts. The data/REST/OAuth side implements `SandboxStore`,
 * `SandboxAuth` and `SandboxClock`; the Metadata API and automation side implements
 * `MetadataService` and `Automation` against them. Keep these small and stable.
 */

/** A stored record: field API name → value, as Salesforce returns it in JSON (numbers, booleans, strings, null). */
export type SObjectRecord = Record<string, unknown> & { Id: string };

export interface RecordChange {
  sObjectType: string;
  /** null when the record was just created. */
  before: SObjectRecord | null;
  /** null when the record was deleted. */
  after: SObjectRecord | null;
}

export interface SandboxStore {
  /** The organization id (18 characters) of the one org this sandbox is. */
  readonly organizationId: string;
  get(sObjectType: string, id: string): SObjectRecord | undefined;
  /** Every record of a type, in insertion order. */
  all(sObjectType: string): readonly SObjectRecord[];
  /** Object and field describe, as /sobjects/{type}/describe returns it; undefined for an unknown type. */
  describe(sObjectType: string): SObjectDescribe | undefined;
  /** Called after every committed create, update or delete, through any API. */
  onChange(listener: (change: RecordChange) => void): () => void;
}

export interface SObjectDescribe {
  name: string;
  keyPrefix: string;
  fields: ReadonlyArray<{
    name: string;
    type: string;
    updateable: boolean;
    nillable: boolean;
    picklistValues?: ReadonlyArray<{ value: string; label: string; active: boolean }>;
  }>;
}

export interface Session {
  userId: string;
  organizationId: string;
}

export interface SandboxAuth {
  /** The session an access token belongs to, or undefined if unknown, revoked or expired. */
  validateAccessToken(token: string): Session | undefined;
}

/** Sandbox time: tests speed it up so 24 hours of Salesforce retries pass in seconds. */
export interface SandboxClock {
  now(): number;
  /** Like setTimeout, in sandbox milliseconds. */
  setTimeout(fn: () => void, sandboxMs: number): { cancel(): void };
  readonly scale: number;
  setScale(scale: number): void;
}

/** What may befall one delivery (see faults.ts); several may at once. */
export type DeliveryFault = 'drop' | 'duplicate' | 'reorder' | 'unreachable';

/** Fault rules a test sets through /_sandbox/faults; the outbound side reads the delivery ones. */
export interface DeliveryFaults {
  /** Every fault that befalls the next POST to this endpoint; an empty list delivers it. */
  nextDelivery(endpointUrl: string): DeliveryFault[];
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface MetadataService {
  /** Handles one POST to /services/Soap/m/{version}: SOAP in, SOAP out. */
  handle(request: {
    version: string;
    body: string;
    headers: Record<string, string | undefined>;
  }): Promise<HttpResult>;
  /** Active flows and outbound messages, for automation and the control plane. */
  listFlows(): readonly unknown[];
  /** One call under /services/data/vNN.N/tooling (FlowDefinition and Flow). */
  tooling(request: {
    method: string;
    path: string;
    query: URLSearchParams;
    body: unknown;
    apiVersion: string;
  }): HttpResult;
}

export interface OutboundDelivery {
  id: string;
  endpointUrl: string;
  notificationIds: string[];
  attempts: number;
  status: 'pending' | 'delivered' | 'expired';
  lastError?: string;
  firstQueuedAt: string;
  nextAttemptAt?: string;
  deliveredAt?: string;
}

export interface Automation {
  /** Outbound deliveries in order, with their state: the control plane serves this. */
  deliveries(): readonly OutboundDelivery[];
  /** Every SOAP body POSTed, for tests that compare with Salesforce's documented message. */
  sentBodies(): ReadonlyArray<{ endpointUrl: string; body: string; status: number | 'error'; at: string }>;
  /** Try every pending delivery now (ignores backoff); resolves when the attempts finished. */
  flush(): Promise<void>;
  stop(): void;
}
