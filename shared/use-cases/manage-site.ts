import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { type Identity, requireOperator, SITE_ROLES } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import type { SiteUser } from '../domain/salesforce-connection';
import type { Site } from '../domain/site';
import type { WebhookSecrets } from '../ports/secrets';
import type { UserRepository } from '../ports/site-records';
import type { SiteRepository } from '../ports/site-repository';
import { provisionSite } from './provision-site';
import { requireSite } from './require-site';

export const putSiteBodySchema = z.strictObject({ name: z.string().trim().min(1).max(200) });
export const addUserBodySchema = z.strictObject({
  userId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -')
    .optional(),
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  role: z.enum(SITE_ROLES).optional().meta({
    description: 'Their role in the console; leave it out for a user who only owns synced items',
  }),
});

export interface SiteView {
  siteId: string;
  name: string;
  connected: boolean;
  createdAt: string;
  updatedAt: string;
}

function view(site: Site): SiteView {
  return {
    siteId: site.siteId,
    name: site.name,
    connected: site.salesforce !== undefined,
    createdAt: site.createdAt,
    updatedAt: site.updatedAt,
  };
}

/** PUT /sites/{siteId}: creates (operators only) or renames (its admins) a site. */
export async function putSite(
  deps: { sites: SiteRepository; webhookSecrets: WebhookSecrets; now: () => Date },
  siteId: string,
  body: z.infer<typeof putSiteBodySchema>,
  caller: Identity,
): Promise<{ site: SiteView; created: boolean }> {
  if (!(await deps.sites.get(siteId))) requireOperator(caller, `create site ${siteId}`);
  const { site, created } = await provisionSite(deps, { siteId, name: body.name });
  return { site: view(site), created };
}

/** GET /sites/{siteId}. */
export async function getSite(deps: { sites: SiteRepository }, siteId: string): Promise<SiteView> {
  return view(await requireSite(deps.sites, siteId));
}

/** GET /sites/{siteId}/users/{userId}: where POST …/users points its Location. */
export async function getUser(
  deps: { sites: SiteRepository; users: UserRepository },
  siteId: string,
  userId: string,
): Promise<SiteUser> {
  await requireSite(deps.sites, siteId);
  const user = await deps.users.get(siteId, userId);
  if (!user) throw new NotFoundError(`Site ${siteId} has no user ${userId}`);
  return user;
}

export async function listUsers(deps: { sites: SiteRepository; users: UserRepository }, siteId: string) {
  await requireSite(deps.sites, siteId);
  return deps.users.list(siteId);
}

/** POST /sites/{siteId}/users: adds a user (or updates one with the same id). */
export async function addUser(
  deps: { sites: SiteRepository; users: UserRepository; now: () => Date },
  siteId: string,
  body: z.infer<typeof addUserBodySchema>,
): Promise<SiteUser> {
  await requireSite(deps.sites, siteId);
  const userId = body.userId ?? randomUUID();
  const existing = await deps.users.get(siteId, userId);
  const user: SiteUser = {
    siteId,
    userId,
    name: body.name,
    email: body.email,
    ...(body.role ? { role: body.role } : {}),
    createdAt: existing?.createdAt ?? deps.now().toISOString(),
  };
  await deps.users.put(user);
  return user;
}
