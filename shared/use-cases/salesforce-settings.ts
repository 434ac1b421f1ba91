import type { SiteRole } from '../domain/access';
import { budgetVerdict } from '../domain/api-budget';
import { ConflictError, ValidationError } from '../domain/errors';
import { type SetupState, setupStatus } from '../domain/salesforce-connection';
import {
  canonicalFieldName,
  checkMappingsAgainstOrg,
  checkPushBackTarget,
  DEFAULT_SETTINGS,
  type Settings,
  SOBJECT_OF,
  SYNCED_OBJECTS,
  type SyncedObject,
} from '../domain/settings';
import type { ApiUsageStore } from '../ports/api-usage';
import type { OrgField } from '../ports/salesforce';
import type { ConnectRefusalRepository, UserRepository } from '../ports/site-records';
import { type DeploySetupDeps, deploySalesforceSetup, outboundMessageUrl } from './deploy-salesforce-setup';
import { requireSite } from './require-site';

export interface SettingsDeps extends DeploySetupDeps {
  users: UserRepository;
  apiUsage: ApiUsageStore;
  connectRefusals: ConnectRefusalRepository;
}

async function orgStages(deps: SettingsDeps, siteId: string): Promise<string[]> {
  const org = await deps.orgs.forSite(siteId);
  const stage = (await org.describe('Opportunity')).find((f) => f.name === 'StageName');
  return stage?.picklistValues ?? [];
}

/** GET /sites/{siteId}/salesforce: connection, stages, settings, and what is deployed. */
export async function getSalesforceStatus(deps: SettingsDeps, siteId: string, role: SiteRole) {
  await requireSite(deps.sites, siteId);
  const [connection, record, refused] = await Promise.all([
    deps.connections.get(siteId),
    deps.settings.get(siteId),
    // Only admins connect, so only they are shown why the last Connect failed.
    role === 'admin' ? deps.connectRefusals.get(siteId) : undefined,
  ]);
  let stages: string[] = [];
  let stagesError: string | undefined;
  if (connection?.status === 'connected') {
    try {
      stages = await orgStages(deps, siteId);
    } catch (error) {
      stagesError = (error as Error).message;
    }
  }
  const setup: SetupState = record?.setup ?? {};
  const settings = record?.settings ?? DEFAULT_SETTINGS;
  // This request's own calls (the describe) count, and their answer carries the latest usage.
  await deps.orgs.settle();
  const usage = await deps.apiUsage.get(siteId, deps.now());
  return {
    siteId,
    connection: connection
      ? {
          status: connection.status,
          organizationId: connection.organizationId,
          instanceUrl: connection.instanceUrl,
          username: connection.username,
          connectedAt: connection.connectedAt,
          ...(connection.reconnectReason ? { reconnectReason: connection.reconnectReason } : {}),
          ...(connection.login ? { login: connection.login } : {}),
          ...(connection.org ? { org: connection.org } : {}),
        }
      : { status: 'not-connected' as const },
    // The URL holds the webhook secret: it is the admins' to see (and to rotate).
    ...(role === 'admin' ? { outboundMessageUrl: await outboundMessageUrl(deps, siteId) } : {}),
    ...(refused && refused.expiresAt * 1000 > deps.now().getTime()
      ? { connectRefusal: { at: refused.at, ...refused.refusal } }
      : {}),
    stages,
    ...(stagesError ? { stagesError } : {}),
    settings,
    apiUsage: {
      ...(usage.observation
        ? budgetVerdict(usage.observation, settings.apiBudget.maxSharePercent)
        : { maxSharePercent: settings.apiBudget.maxSharePercent }),
      day: usage.day,
      callsToday: usage.callsToday,
    },
    setup: setupStatus(setup),
  };
}

/** GET /sites/{siteId}/salesforce/fields: the synced objects' fields, from the org's describe. */
export async function describeSyncedObjects(deps: SettingsDeps, siteId: string) {
  await requireSite(deps.sites, siteId);
  // The stored connection decides, not a session the function may still hold from before a disconnect.
  if (!(await deps.connections.get(siteId)))
    throw new ConflictError(`Site ${siteId} is not connected to Salesforce; connect it first`);
  const org = await deps.orgs.forSite(siteId);
  const [opportunity, account, contact] = await Promise.all(
    SYNCED_OBJECTS.map((object) => org.describe(SOBJECT_OF[object])),
  );
  return { opportunity: opportunity ?? [], account: account ?? [], contact: contact ?? [] };
}

/**
 * PUT /sites/{siteId}/salesforce/settings: validates against the org (stages, fields and their
 * types) and the site's users, saves, then deploys only what changed.
 */
export async function saveSalesforceSettings(deps: SettingsDeps, siteId: string, settings: Settings) {
  await requireSite(deps.sites, siteId);
  const issues: Array<{ path: string; message: string }> = [];
  if (settings.ownerUserId !== null && !(await deps.users.get(siteId, settings.ownerUserId))) {
    issues.push({
      path: 'ownerUserId',
      message: `no user ${settings.ownerUserId} in this site; add it with POST /sites/${siteId}/users`,
    });
  }
  const connection = await deps.connections.get(siteId);
  let target = settings.pushBack.target;
  if (connection?.status === 'connected') {
    const org = await deps.orgs.forSite(siteId);
    // The three describes at once: a refusal waits for one round trip to the org, not three.
    const described = await Promise.all(SYNCED_OBJECTS.map((object) => org.describe(SOBJECT_OF[object])));
    const describe = Object.fromEntries(
      SYNCED_OBJECTS.map((object, i) => [object, described[i] ?? []]),
    ) as Record<SyncedObject, OrgField[]>;
    const stages = describe.opportunity.find((f) => f.name === 'StageName')?.picklistValues ?? [];
    issues.push(...checkMappingsAgainstOrg(settings, describe, stages));
    issues.push(...checkPushBackTarget(settings, describe.opportunity));
    // Stored as the org spells it, which is what the send writes.
    target = canonicalFieldName(describe.opportunity, settings.pushBack.target);
  }
  if (issues.length > 0)
    throw new ValidationError('The settings do not fit this site or its Salesforce org', issues);

  const saved: Settings = { ...settings, pushBack: { ...settings.pushBack, target } };
  const existing = await deps.settings.get(siteId);
  const record = {
    siteId,
    settings: saved,
    setup: existing?.setup ?? {},
    updatedAt: deps.now().toISOString(),
  };
  await deps.settings.put(record);
  deps.logger.info('Settings saved', { siteId, changed: changedParts(existing?.settings, saved) });
  // An unsupported org is looked at again by the deploy: it may have gained what it lacked.
  const deployable = connection?.status === 'connected' || connection?.status === 'unsupported-org';
  const setup = deployable ? await deploySalesforceSetup(deps, record) : record.setup;
  return { settings: saved, setup: setupStatus(setup) };
}

/** POST /sites/{siteId}/salesforce/deploy: retries a failed deploy (or forces a full one). */
export async function retrySalesforceDeploy(deps: SettingsDeps, siteId: string, force: boolean) {
  await requireSite(deps.sites, siteId);
  const record = (await deps.settings.get(siteId)) ?? {
    siteId,
    settings: DEFAULT_SETTINGS,
    setup: {},
    updatedAt: deps.now().toISOString(),
  };
  return setupStatus(await deploySalesforceSetup(deps, record, { force }));
}

/** The settings' parts that differ (`opportunityToQuote.stage`, `fieldMappings.opportunity`). */
function changedParts(before: Settings | undefined, after: Settings): string[] {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(after) as Array<[keyof Settings, unknown]>) {
    const previous = before?.[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [part, inner] of Object.entries(value)) {
        const old = (previous as Record<string, unknown> | undefined)?.[part];
        if (JSON.stringify(old) !== JSON.stringify(inner)) changed.push(`${key}.${part}`);
      }
    } else if (JSON.stringify(previous) !== JSON.stringify(value)) {
      changed.push(key);
    }
  }
  return changed;
}
