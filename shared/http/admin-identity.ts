import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AuthenticationRequiredError, ForbiddenError, InvalidCredentialsError } from '../domain/errors';

/**
 * Who is calling the admin API, and which sites they administer. In AWS the gateway has
 * already authenticated the caller (IAM or a JWT authorizer); this code still enforces the site
 * scope. Locally, the bearer token ADMIN_TOKEN is an admin of every site.
 */
export interface AdminIdentity {
  subject: string;
  allSites: boolean;
  siteIds: readonly string[];
}

interface Authorizer {
  iam?: { userArn?: string; userId?: string };
  jwt?: { claims?: Record<string, string | number | boolean | string[]> };
}

/** The JWT claim listing the sites a caller administers (space-separated, or an array). */
export const SITES_CLAIM = 'sites';

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function adminIdentity(
  event: APIGatewayProxyEventV2,
  adminToken: string | undefined,
): AdminIdentity | undefined {
  const authorizer = (event.requestContext as { authorizer?: Authorizer }).authorizer;
  const claims = authorizer?.jwt?.claims;
  if (claims) {
    const raw = claims[SITES_CLAIM] ?? claims[`custom:${SITES_CLAIM}`] ?? '';
    const siteIds = Array.isArray(raw)
      ? raw.map(String)
      : String(raw)
          .split(/[\s,]+/)
          .filter(Boolean);
    return { subject: String(claims.sub ?? 'jwt'), allSites: false, siteIds };
  }
  // IAM-authorized callers are operators of the deployment: every site.
  if (authorizer?.iam?.userArn) return { subject: authorizer.iam.userArn, allSites: true, siteIds: [] };
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  if (header === undefined || header.trim() === '') return undefined;
  const bearer = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (bearer === undefined) {
    throw new InvalidCredentialsError(
      'Authentication failed: the Authorization header is not a bearer token ("Authorization: Bearer <token>")',
    );
  }
  if (adminToken && equalSecret(bearer, adminToken))
    return { subject: 'local-admin', allSites: true, siteIds: [] };
  // A credential was sent and is wrong: say so, rather than asking for one (RFC 6750 invalid_token).
  throw new InvalidCredentialsError('Authentication failed: the bearer token is not valid');
}

/**
 * 401 without an identity (a wrong credential is refused by `adminIdentity` itself), 403 for an
 * identity of other sites.
 */
export function authorizeSite(identity: AdminIdentity | undefined, siteId: string): AdminIdentity {
  if (!identity)
    throw new AuthenticationRequiredError('Authentication required: send the admin bearer token');
  if (!identity.allSites && !identity.siteIds.includes(siteId)) {
    throw new ForbiddenError(`You are not an admin of site ${siteId}`);
  }
  return identity;
}
