import { z } from 'zod';

/**
 * What kind of org the sandbox pretends to be, and the org-wide settings that change how a real
 * org answers. Set through POST /_sandbox/org; kept as one plain object so it can be saved and
 * restored with the rest of the org.
 *
 * - kind: a production org (login.salesforce.com; deployed flows land inactive unless
 *   "Deploy processes and flows as active" is on, Help: Process Automation Settings), a sandbox
 *   org (test.salesforce.com; flows deploy as saved), or a Developer Edition org
 *   (login.salesforce.com; flows deploy as saved).
 * - edition: Organization.OrganizationType, e.g. "Enterprise Edition", "Professional Edition".
 * - apiEnabled / metadataApiEnabled: an edition without API access (Essentials, Starter, or
 *   Professional without the add-on) answers every REST call with API_DISABLED_FOR_ORG.
 * - flowActivationRefusal: the error a FlowDefinition activation answers with (for instance a
 *   user without "Manage Flow"), instead of activating.
 * - authorizeRefusal: the error the authorize endpoint redirects with instead of a code, as an
 *   org that blocked the app (OAUTH_APP_BLOCKED) or has not installed it does.
 */
export const ORG_KINDS = ['production', 'sandbox', 'developer'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

const refusalSchema = z.strictObject({ statusCode: z.string().min(1), message: z.string().min(1) });

export const orgSettingsSchema = z.strictObject({
  kind: z.enum(ORG_KINDS),
  edition: z.string().min(1),
  deployFlowsAsActive: z.boolean(),
  apiEnabled: z.boolean(),
  metadataApiEnabled: z.boolean(),
  /** The My Domain name: quote-sync → quote-sync.my.salesforce.com (production). */
  myDomain: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  flowActivationRefusal: refusalSchema.nullable(),
  authorizeRefusal: z.strictObject({ error: z.string().min(1), error_description: z.string() }).nullable(),
});
export type OrgSettings = z.infer<typeof orgSettingsSchema>;

export const orgSettingsInput = orgSettingsSchema.partial();

const EDITION_OF: Record<OrgKind, string> = {
  production: 'Enterprise Edition',
  sandbox: 'Enterprise Edition',
  developer: 'Developer Edition',
};

export function defaultOrgSettings(): OrgSettings {
  return {
    kind: 'developer',
    edition: EDITION_OF.developer,
    deployFlowsAsActive: false,
    apiEnabled: true,
    metadataApiEnabled: true,
    myDomain: 'quote-sync-sandbox',
    flowActivationRefusal: null,
    authorizeRefusal: null,
  };
}

/** Applies a partial change; a new kind without an edition takes that kind's usual edition. */
export function changeOrgSettings(
  current: OrgSettings,
  input: z.infer<typeof orgSettingsInput>,
): OrgSettings {
  const kindChanged = input.kind !== undefined && input.kind !== current.kind;
  return orgSettingsSchema.parse({
    ...current,
    ...(kindChanged && input.edition === undefined ? { edition: EDITION_OF[input.kind as OrgKind] } : {}),
    ...input,
  });
}

/** Whether a flow saved as Active is active after the save: a production org decides. */
export function deploysFlowsActive(settings: OrgSettings): boolean {
  return settings.kind !== 'production' || settings.deployFlowsAsActive;
}

/** The org's My Domain host, as Salesforce names it for each kind of org. */
export function myDomainHost(settings: OrgSettings): string {
  switch (settings.kind) {
    case 'production':
      return `${settings.myDomain}.my.salesforce.com`;
    case 'sandbox':
      return `${settings.myDomain}--dev.sandbox.my.salesforce.com`;
    case 'developer':
      return `${settings.myDomain}-dev-ed.develop.my.salesforce.com`;
  }
}

/**
 * The login hosts that sign a user of this org in: the org's My Domain always, and the generic
 * host of its kind (test.salesforce.com for a sandbox, login.salesforce.com otherwise). A user of
 * a sandbox cannot log in at login.salesforce.com, nor the reverse.
 */
export function acceptsLoginHost(settings: OrgSettings, host: string): boolean {
  if (host === myDomainHost(settings)) return true;
  return host === (settings.kind === 'sandbox' ? 'test.salesforce.com' : 'login.salesforce.com');
}
