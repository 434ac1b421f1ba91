import type {
  DeliveryFault,
  DeliveryFaults,
  RecordChange,
  SandboxAuth,
  SandboxClock,
  SandboxStore,
  Session,
  SObjectDescribe,
  SObjectRecord,
} from '../../../src/contracts';

type Field = SObjectDescribe['fields'][number];

const field = (name: string, type: string): Field => ({
  name,
  type,
  updateable: name !== 'Id',
  nillable: true,
});

const DESCRIBES: Record<string, SObjectDescribe> = {
  Opportunity: {
    name: 'Opportunity',
    keyPrefix: '006',
    fields: [
      field('Id', 'id'),
      field('Name', 'string'),
      field('AccountId', 'reference'),
      field('Amount', 'currency'),
      field('CloseDate', 'date'),
      field('Description', 'textarea'),
      field('FiscalQuarter', 'int'),
      field('IsWon', 'boolean'),
      field('LastModifiedDate', 'datetime'),
      field('Probability', 'percent'),
      field('StageName', 'picklist'),
      field('Scoro_Sync__c', 'boolean'),
    ],
  },
  User: { name: 'User', keyPrefix: '005', fields: [field('Id', 'id'), field('Username', 'string')] },
};

/** An in-memory org with Opportunity and User, emitting changes like the real store. */
export class FakeStore implements SandboxStore {
  readonly organizationId = '00D5g00000Fake1AAA';
  private readonly records = new Map<string, SObjectRecord[]>();
  private readonly listeners = new Set<(change: RecordChange) => void>();
  private counter = 0;

  constructor() {
    this.insert('User', { Username: 'integration@example.com' });
  }

  get(sObjectType: string, id: string): SObjectRecord | undefined {
    return this.all(sObjectType).find((r) => r.Id === id);
  }

  all(sObjectType: string): readonly SObjectRecord[] {
    return this.records.get(sObjectType) ?? [];
  }

  describe(sObjectType: string): SObjectDescribe | undefined {
    return DESCRIBES[sObjectType];
  }

  onChange(listener: (change: RecordChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  insert(sObjectType: string, fields: Record<string, unknown>): SObjectRecord {
    this.counter += 1;
    const prefix = DESCRIBES[sObjectType]?.keyPrefix ?? '001';
    const record: SObjectRecord = {
      ...fields,
      Id: `${prefix}5g${String(this.counter).padStart(10, '0')}AAA`,
    };
    this.records.set(sObjectType, [...this.all(sObjectType), record]);
    this.emit({ sObjectType, before: null, after: { ...record } });
    return record;
  }

  update(sObjectType: string, id: string, fields: Record<string, unknown>): SObjectRecord {
    const before = this.get(sObjectType, id);
    if (!before) throw new Error(`No ${sObjectType} ${id}`);
    const after: SObjectRecord = { ...before, ...fields, Id: id };
    this.records.set(
      sObjectType,
      this.all(sObjectType).map((r) => (r.Id === id ? after : r)),
    );
    this.emit({ sObjectType, before: { ...before }, after: { ...after } });
    return after;
  }

  remove(sObjectType: string, id: string): void {
    const before = this.get(sObjectType, id);
    this.records.set(
      sObjectType,
      this.all(sObjectType).filter((r) => r.Id !== id),
    );
    if (before) this.emit({ sObjectType, before, after: null });
  }

  private emit(change: RecordChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

export const VALID_TOKEN = '00D5g000004Fake1!token';

export class FakeAuth implements SandboxAuth {
  validateAccessToken(token: string): Session | undefined {
    return token === VALID_TOKEN
      ? { userId: '0055g00000Admin1AAA', organizationId: '00D5g00000Fake1AAA' }
      : undefined;
  }
}

/** Sandbox time that only moves when a test advances it; due timers run in time order. */
export class ManualClock implements SandboxClock {
  private current = Date.parse('2026-01-05T09:00:00.000Z');
  private timers: Array<{ at: number; seq: number; fn: () => void; cancelled: boolean }> = [];
  private seq = 0;
  readonly scale = 1;

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, sandboxMs: number): { cancel(): void } {
    const timer = { at: this.current + sandboxMs, seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  setScale(): void {}

  /** Moves time forward, running every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.cancelled = true;
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
    this.timers = this.timers.filter((t) => !t.cancelled);
  }
}

/** Real timers, sped up: sandbox time runs `scale` times faster than wall time. */
export class FastClock implements SandboxClock {
  private baseSandbox = Date.parse('2026-01-05T09:00:00.000Z');
  private baseReal = Date.now();
  private currentScale: number;

  constructor(scale: number) {
    this.currentScale = scale;
  }

  get scale(): number {
    return this.currentScale;
  }

  now(): number {
    return this.baseSandbox + (Date.now() - this.baseReal) * this.currentScale;
  }

  setTimeout(fn: () => void, sandboxMs: number): { cancel(): void } {
    const handle = setTimeout(fn, Math.max(0, sandboxMs / this.currentScale));
    return { cancel: () => clearTimeout(handle) };
  }

  setScale(scale: number): void {
    this.baseSandbox = this.now();
    this.baseReal = Date.now();
    this.currentScale = scale;
  }
}

/** Each pushed entry is what befalls one delivery: 'deliver', one fault, or several at once. */
export class ScriptedFaults implements DeliveryFaults {
  private readonly script: Array<DeliveryFault[]> = [];

  push(...actions: Array<'deliver' | DeliveryFault | DeliveryFault[]>): void {
    for (const action of actions) this.script.push(action === 'deliver' ? [] : [action].flat());
  }

  nextDelivery(): DeliveryFault[] {
    return this.script.shift() ?? [];
  }
}
