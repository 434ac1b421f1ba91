import {
  generateWebhookSecret,
  hashWebhookSecret,
  type SalesforceConnection,
  type Site,
} from '../domain/site';
import type { SiteRepository } from '../ports/site-repository';

export interface ProvisionSiteInput {
  siteId: string;
  name: string;
  /** Issue a new webhook secret even if the site has one (the old one stops working). */
  rotateSecret?: boolean;
  salesforce?: SalesforceConnection;
}

export interface ProvisionSiteResult {
  site: Site;
  /** The webhook secret in clear, only when one was issued now: it is never stored or shown again. */
  webhookSecret?: string;
}

/** Creates a site, or renames it; issues a webhook secret on creation or when asked to rotate. */
export async function provisionSite(
  deps: { sites: SiteRepository; now: () => Date },
  input: ProvisionSiteInput,
): Promise<ProvisionSiteResult> {
  const existing = await deps.sites.get(input.siteId);
  const now = deps.now().toISOString();
  const webhookSecret = existing === undefined || input.rotateSecret ? generateWebhookSecret() : undefined;
  const salesforce = input.salesforce ?? existing?.salesforce;
  const site: Site = {
    siteId: input.siteId,
    name: input.name,
    webhookSecretHash: webhookSecret ? hashWebhookSecret(webhookSecret) : (existing?.webhookSecretHash ?? ''),
    ...(salesforce ? { salesforce } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.sites.put(site);
  return webhookSecret ? { site, webhookSecret } : { site };
}
