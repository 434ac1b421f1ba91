import { hashWebhookSecret, type SalesforceConnection, type Site } from '../domain/site';
import type { WebhookSecrets } from '../ports/secrets';
import type { SiteRepository } from '../ports/site-repository';

export interface ProvisionSiteInput {
  siteId: string;
  name: string;
  salesforce?: SalesforceConnection;
}

/**
 * Creates a site, or renames an existing one. A new site's webhook secret is derived (never
 * stored); only its hash is kept for the ack path.
 */
export async function provisionSite(
  deps: { sites: SiteRepository; webhookSecrets: WebhookSecrets; now: () => Date },
  input: ProvisionSiteInput,
): Promise<{ site: Site; created: boolean }> {
  const existing = await deps.sites.get(input.siteId);
  const now = deps.now().toISOString();
  const generation = existing?.webhookSecretGeneration ?? 1;
  const webhookSecretHash =
    existing?.webhookSecretHash ??
    hashWebhookSecret(await deps.webhookSecrets.derive(input.siteId, generation));
  const salesforce = input.salesforce ?? existing?.salesforce;
  const site: Site = {
    ...existing,
    siteId: input.siteId,
    name: input.name,
    webhookSecretHash,
    webhookSecretGeneration: generation,
    ...(salesforce ? { salesforce } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.sites.put(site);
  return { site, created: existing === undefined };
}
