import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ApiUsage, ApiUsageState } from './api-usage';
import type { AutomationState } from './automation/index';
import type { IdGenerator } from './ids';
import type { MetadataRepositoryState } from './metadata/repository';
import type { AuthService, AuthState } from './oauth/auth-service';
import { type OrgSettings, orgSettingsSchema } from './org-settings';
import type { MemoryStore, StoreState } from './store';

/**
 * An org that outlives its process, as a real org does: `startSalesforceSandbox({ dataDir })`
 * saves the whole org in `dataDir` and the next start with the same folder continues it.
 *
 * - `org.json`: every record of every object (whatever the schema holds, custom fields and
 *   validation rules included), the recycle bin, the Metadata API's components (outbound
 *   messages, flows with every version), outbound messages not yet delivered, the id sequences,
 *   the sessions (by the SHA-256 of each token: no token is written down), the org's kind and
 *   settings, the day's API usage and the clock. Written beside itself and renamed (a crash
 *   leaves the previous file whole), at most once a second after a change (less often for an
 *   org so large that a save takes over 100 ms) and when the sandbox stops.
 * - `ids.json`: the record ids reserved ahead of use (see IdGenerator). A crash loses at most the
 *   last second of changes, never an id: the next start continues after the reservation, so a new
 *   record never takes the id of one that a client may already have stored.
 *
 * A file that cannot be read is set aside (renamed, never deleted) and the start makes a new org.
 */
export const SNAPSHOT_FORMAT = 1;
const SAVE_DELAY_MS = 1_000;
/** A large org waits longer between saves, so saving never takes more than a tenth of the time. */
const SAVE_SHARE = 0.1;

const recordSchema = z.looseObject({ Id: z.string() });

const storeStateSchema = z.strictObject({
  records: z.record(z.string(), z.array(recordSchema)),
  deleted: z.array(z.tuple([z.string(), z.string()])),
  recycleBin: z.array(z.strictObject({ type: z.string(), record: recordSchema, deletedAt: z.number() })),
  validationRules: z.array(
    z.strictObject({
      sObjectType: z.string(),
      name: z.string(),
      errorCondition: z.string(),
      errorMessage: z.string(),
      errorDisplayField: z.string().optional(),
    }),
  ),
  customFields: z.array(
    z.strictObject({
      sObjectType: z.string(),
      field: z.looseObject({ name: z.string(), custom: z.literal(true) }),
    }),
  ),
});

const authStateSchema = z.strictObject({
  codes: z.array(
    z.tuple([
      z.string(),
      z.strictObject({
        userId: z.string(),
        clientId: z.string(),
        redirectUri: z.string(),
        codeChallenge: z.string().optional(),
        expiresAt: z.number(),
      }),
    ]),
  ),
  accessTokens: z.array(
    z.tuple([
      z.string(),
      z.strictObject({ userId: z.string(), expiresAt: z.number(), refreshToken: z.string().optional() }),
    ]),
  ),
  refreshTokens: z.array(z.tuple([z.string(), z.strictObject({ userId: z.string(), clientId: z.string() })])),
});

const apiUsageStateSchema = z.strictObject({
  buckets: z.array(z.tuple([z.number().int(), z.number().int().nonnegative()])),
  dailyLimit: z.number().int().positive(),
  byKind: z.record(z.string(), z.number()),
});

/** The metadata and automation parts own their shapes; the file checks only their outline. */
const metadataStateSchema = z.looseObject({
  outboundMessages: z.array(z.looseObject({ id: z.string(), fullName: z.string() })),
  flows: z.array(
    z.looseObject({ id: z.string(), fullName: z.string(), versions: z.array(z.looseObject({})) }),
  ),
  issued: z.strictObject({
    outboundMessage: z.number(),
    flowVersion: z.number(),
    flowDefinition: z.number(),
  }),
});
const automationStateSchema = z.looseObject({
  notificationsIssued: z.number(),
  deliveryCount: z.number(),
  pending: z.array(z.looseObject({ notifications: z.array(z.looseObject({ id: z.string() })) })),
  unbatched: z.array(z.looseObject({ id: z.string() })),
});

const snapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  savedAt: z.string(),
  organizationId: z.string(),
  adminUserId: z.string(),
  /** The org's clock when saved: a restored org's time never goes back, so no SystemModstamp does. */
  clock: z.strictObject({ now: z.number() }),
  ids: z.strictObject({ issued: z.number().int().nonnegative() }),
  org: orgSettingsSchema,
  store: storeStateSchema,
  auth: authStateSchema,
  apiUsage: apiUsageStateSchema,
  metadata: metadataStateSchema.optional(),
  automation: automationStateSchema.optional(),
});

export interface OrgSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  savedAt: string;
  organizationId: string;
  adminUserId: string;
  clock: { now: number };
  ids: { issued: number };
  org: OrgSettings;
  store: StoreState;
  auth: AuthState;
  apiUsage: ApiUsageState;
  metadata?: MetadataRepositoryState;
  automation?: AutomationState;
}

/** A part whose state is saved with the org (the Metadata API and automation, when present). */
interface Persistable<T> {
  exportState(): T;
  importState(state: T): void;
}

function persistable<T>(part: unknown): Persistable<T> | undefined {
  const candidate = part as Partial<Persistable<T>> | undefined;
  return typeof candidate?.exportState === 'function' && typeof candidate.importState === 'function'
    ? (candidate as Persistable<T>)
    : undefined;
}

/** The org's parts, as server.ts builds them. */
export interface PersistedOrg {
  organizationId: string;
  adminUserId: string;
  clock: { now(): number };
  ids: IdGenerator;
  store: MemoryStore;
  auth: AuthService;
  usage: ApiUsage;
  org: () => OrgSettings;
  metadata: unknown;
  automation: unknown;
}

export class OrgPersistence {
  readonly file: string;
  private readonly idsFile: string;
  /** The org as the last run saved it; undefined for a new org. */
  readonly saved: OrgSnapshot | undefined;
  /** Where an unreadable file was moved, and why it could not be read. */
  readonly setAside: { file: string; reason: string } | undefined;
  private readonly reservedIds: number;
  private org: PersistedOrg | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastSaveMs = 0;

  private constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = join(dir, 'org.json');
    this.idsFile = join(dir, 'ids.json');
    const read = readSnapshot(this.file);
    this.saved = read.snapshot;
    this.setAside = read.setAside;
    this.reservedIds = readReservation(this.idsFile);
  }

  static open(dir: string): OrgPersistence {
    return new OrgPersistence(dir);
  }

  /** Where the id sequence continues: after every id the last run issued or reserved. */
  issuedIds(): number {
    return Math.max(this.saved?.ids.issued ?? 0, this.reservedIds);
  }

  /** Writes a reservation down before the ids in it are used. */
  readonly reserveIds = (upTo: number): void => {
    writeAtomically(this.idsFile, JSON.stringify({ reservedUpTo: upTo }));
  };

  /** Puts the saved org's data into its freshly built parts; automation waits for `resumeDeliveries`. */
  restore(org: PersistedOrg): void {
    const saved = this.saved;
    if (!saved) return;
    org.store.importState(saved.store);
    org.auth.importState(saved.auth);
    org.usage.importState(saved.apiUsage);
    const metadata = persistable<MetadataRepositoryState>(org.metadata);
    if (metadata && saved.metadata) metadata.importState(saved.metadata);
  }

  /** Outbound messages not delivered before the stop go out again (once the server has its URL). */
  resumeDeliveries(org: PersistedOrg): void {
    const automation = persistable<AutomationState>(org.automation);
    if (automation && this.saved?.automation) automation.importState(this.saved.automation);
  }

  /** From now on the org is saved after changes; it is saved at once, so the folder always has it. */
  attach(org: PersistedOrg): void {
    this.org = org;
    this.save();
  }

  /** Something changed: the org is saved within a second (one write for a burst of changes). */
  changed(): void {
    if (this.closed || this.timer || !this.org) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.save();
      },
      Math.max(SAVE_DELAY_MS, this.lastSaveMs / SAVE_SHARE),
    );
    this.timer.unref();
  }

  save(): void {
    const org = this.org;
    if (!org) return;
    const started = performance.now();
    writeAtomically(this.file, JSON.stringify(snapshotOf(org)));
    this.lastSaveMs = performance.now() - started;
  }

  /** The last save, at stop; the unused part of the id reservation is given back. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.org) return;
    this.save();
    this.reserveIds(this.org.ids.issued);
  }
}

function snapshotOf(org: PersistedOrg): OrgSnapshot {
  const metadata = persistable<MetadataRepositoryState>(org.metadata);
  const automation = persistable<AutomationState>(org.automation);
  return {
    format: SNAPSHOT_FORMAT,
    savedAt: new Date().toISOString(),
    organizationId: org.organizationId,
    adminUserId: org.adminUserId,
    clock: { now: org.clock.now() },
    ids: { issued: org.ids.issued },
    org: org.org(),
    store: org.store.exportState(),
    auth: org.auth.exportState(),
    apiUsage: org.usage.exportState(),
    ...(metadata ? { metadata: metadata.exportState() } : {}),
    ...(automation ? { automation: automation.exportState() } : {}),
  };
}

function readSnapshot(file: string): { snapshot?: OrgSnapshot; setAside?: { file: string; reason: string } } {
  if (!existsSync(file)) return {};
  let reason: string;
  try {
    const parsed = snapshotSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    // The outlines are checked here; each part's own shape is its own (see the schemas above).
    if (parsed.success) return { snapshot: parsed.data as unknown as OrgSnapshot };
    reason = z.prettifyError(parsed.error);
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  return { setAside: { file: aside, reason } };
}

function readReservation(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const parsed = z
      .strictObject({ reservedUpTo: z.number().int().nonnegative() })
      .safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.reservedUpTo : 0;
  } catch {
    return 0;
  }
}

/** A crash while writing leaves the previous file whole: write beside it, then rename. */
function writeAtomically(file: string, text: string): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, text, { mode: 0o600 });
  renameSync(partial, file);
}
