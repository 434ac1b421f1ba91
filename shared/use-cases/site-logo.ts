import type { Identity } from '../domain/access';
import { NotFoundError } from '../domain/errors';
import { type SiteLogo, sha256Hex, sniffLogo } from '../domain/site-logo';
import type { SiteLogoStore } from '../ports/document-store';
import type { Logger } from '../ports/logger';
import type { SiteProfileRepository } from '../ports/site-records';
import type { SiteRepository } from '../ports/site-repository';
import { requireSite } from './require-site';

export interface SiteLogoDeps {
  sites: SiteRepository;
  profiles: SiteProfileRepository;
  logos: SiteLogoStore;
  logger: Logger;
  now: () => Date;
}

/** What the API shows of a logo: what it is, never where it is stored. */
export function logoView({ key: _key, ...view }: SiteLogo) {
  return view;
}

const actorOf = (caller: Identity) => ({ actor: caller.name, actorSubject: caller.subject });

/**
 * A replaced or removed logo's object goes once the profile no longer names it. Failing that,
 * the profile is still right and the object is only an orphan: it is logged, not answered.
 */
async function removeObject(deps: SiteLogoDeps, siteId: string, key: string): Promise<void> {
  try {
    await deps.logos.delete(key);
  } catch (error) {
    deps.logger.warn('A replaced logo could not be deleted from the bucket', { siteId, key, error });
  }
}

/**
 * PUT /sites/{siteId}/profile/logo: the bytes decide (a 413 over 1 MB, a 400 naming what they
 * are unless an intact PNG or JPEG); stored under the site first, then named in the profile, so
 * the profile never points at an object that is not there. Quotes rendered afterwards show it.
 */
export async function putSiteLogo(deps: SiteLogoDeps, siteId: string, body: Uint8Array, caller: Identity) {
  await requireSite(deps.sites, siteId);
  const image = sniffLogo(body);
  const sha256 = sha256Hex(body);
  const { key } = await deps.logos.put({ siteId, sha256, contentType: image.contentType, body });
  const logo: SiteLogo = {
    ...image,
    key,
    size: body.byteLength,
    sha256,
    uploadedAt: deps.now().toISOString(),
  };
  const previous = await deps.profiles.setLogo(siteId, logo);
  if (previous && previous.key !== key) await removeObject(deps, siteId, previous.key);
  deps.logger.info('Audit event', {
    audit: {
      action: previous ? 'site-logo-replaced' : 'site-logo-uploaded',
      siteId,
      ...actorOf(caller),
      contentType: logo.contentType,
      width: logo.width,
      height: logo.height,
      size: logo.size,
      sha256,
      at: logo.uploadedAt,
    },
  });
  return { created: previous === undefined, logo: { siteId, ...logoView(logo) } };
}

/** GET /sites/{siteId}/profile/logo: the bytes as uploaded, with what they are. */
export async function getSiteLogo(deps: SiteLogoDeps, siteId: string) {
  await requireSite(deps.sites, siteId);
  const logo = (await deps.profiles.get(siteId))?.logo;
  const body = logo ? await deps.logos.get(logo.key) : undefined;
  if (!logo || !body)
    throw new NotFoundError(`Site ${siteId} has no logo; upload one with PUT /sites/${siteId}/profile/logo`);
  return { logo, body };
}

/** DELETE /sites/{siteId}/profile/logo: quotes rendered afterwards have none; removing none is no error. */
export async function deleteSiteLogo(deps: SiteLogoDeps, siteId: string, caller: Identity): Promise<void> {
  await requireSite(deps.sites, siteId);
  const previous = await deps.profiles.setLogo(siteId, null);
  if (!previous) return;
  await removeObject(deps, siteId, previous.key);
  deps.logger.info('Audit event', {
    audit: {
      action: 'site-logo-removed',
      siteId,
      ...actorOf(caller),
      sha256: previous.sha256,
      at: deps.now().toISOString(),
    },
  });
}
