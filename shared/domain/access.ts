import { ForbiddenError } from './errors';

/**
 * Who may do what on a site. The integration guide has two kinds of people: the site's
 * administrator, who connects Salesforce and sets the integration up, and the site's users, who
 * work on quotes and may send quoted sums and PDFs back to Salesforce when push-back is on.
 * Operators run the deployment (IAM callers, the `operators` group, the local admin token):
 * they act as an admin of every site and alone may create sites.
 */
export const SITE_ROLES = ['admin', 'user'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

export interface Identity {
  /** The caller's stable id: the JWT's `sub`, an IAM ARN, or `local-operator`. */
  subject: string;
  /** For people to read: a name, else an e-mail address, else the subject. */
  name: string;
  operator: boolean;
  /** Role per site id (empty for operators, who hold every site). */
  roles: ReadonlyMap<string, SiteRole>;
}

/** Why a request was refused: machine-readable, next to the problem's human `detail`. */
export const FORBIDDEN_REASONS = [
  'not-a-member',
  'admin-role-required',
  'operator-required',
  'push-back-disabled',
] as const;
export type ForbiddenReason = (typeof FORBIDDEN_REASONS)[number];

export class AccessDeniedError extends ForbiddenError {
  constructor(
    message: string,
    readonly reason: ForbiddenReason,
  ) {
    super(message);
  }
}

/**
 * The `sites` claim: space-separated `<siteId>:<role>` pairs, e.g. `demo:admin acme:user`. A
 * string survives every hop unchanged (API Gateway's JWT authorizer hands array claims to the
 * function as one bracketed string). A bare site id, the claim's earlier form, means admin.
 */
export const SITES_CLAIM = 'sites';

export function formatSitesClaim(roles: ReadonlyMap<string, SiteRole>): string {
  return [...roles]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([siteId, role]) => `${siteId}:${role}`)
    .join(' ');
}

export function parseSitesClaim(raw: unknown): Map<string, SiteRole> {
  const entries = Array.isArray(raw)
    ? raw.map(String)
    : String(raw ?? '')
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/);
  const roles = new Map<string, SiteRole>();
  for (const entry of entries) {
    if (entry === '') continue;
    const [siteId = '', role = 'admin'] = entry.split(':');
    if (siteId === '' || !(SITE_ROLES as readonly string[]).includes(role)) continue;
    // A site listed twice keeps the stronger role.
    if (roles.get(siteId) !== 'admin') roles.set(siteId, role as SiteRole);
  }
  return roles;
}

/** The strongest of several roles (a person listed twice on one site). */
export function strongestRole(roles: readonly SiteRole[]): SiteRole | undefined {
  if (roles.includes('admin')) return 'admin';
  return roles.includes('user') ? 'user' : undefined;
}

/** The caller's role on a site; operators are admins everywhere. */
export function roleOn(identity: Identity, siteId: string): SiteRole | undefined {
  return identity.operator ? 'admin' : identity.roles.get(siteId);
}

/**
 * 403 unless the caller holds `needed` (or more) on the site; the message says which of the
 * two refusals it is, so a user of another site and a user without the admin role read why.
 */
export function requireRole(identity: Identity, siteId: string, needed: SiteRole): SiteRole {
  const role = roleOn(identity, siteId);
  if (role === undefined) {
    throw new AccessDeniedError(
      `You have no access to site ${siteId}: you are not one of its admins or users`,
      'not-a-member',
    );
  }
  if (needed === 'admin' && role !== 'admin') {
    throw new AccessDeniedError(
      `Only an admin of site ${siteId} may do this; you are one of its users`,
      'admin-role-required',
    );
  }
  return role;
}

export function requireOperator(identity: Identity, what: string): void {
  if (!identity.operator)
    throw new AccessDeniedError(`Only an operator of this deployment may ${what}`, 'operator-required');
}
