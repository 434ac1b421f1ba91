import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Identity, parseSitesClaim, SITES_CLAIM } from '../domain/access';
import { InvalidCredentialsError } from '../domain/errors';

/**
 * Who is calling the admin API. In AWS the gateway has already authenticated the caller (the
 * Cognito JWT authorizer) and hands over the token's claims; the role per site comes from its
 * `sites` claim, which the pre-token-generation trigger sets from the site's users. Locally the
 * gateway verifies the local sign-in's tokens the same way, and the bearer token ADMIN_TOKEN is
 * an operator (an admin of every site), as members of the Cognito group `operators` are in AWS.
 */
export { SITES_CLAIM };

/** Members of this Cognito group operate the deployment: admins of every site. */
export const OPERATORS_GROUP = 'operators';

type Claims = Record<string, string | number | boolean | string[]>;

interface Authorizer {
  iam?: { userArn?: string; userId?: string };
  jwt?: { claims?: Claims };
}

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A list claim as API Gateway passes it: an array, or one string such as `[a b]`. */
function listClaim(value: Claims[string] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map(String);
  return String(value)
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

function fromClaims(claims: Claims): Identity {
  const subject = String(claims.sub ?? 'jwt');
  // display_name is the sign-in's own (access tokens carry no name of their own).
  const name =
    claims.display_name ??
    claims.name ??
    claims.email ??
    claims.username ??
    claims['cognito:username'] ??
    subject;
  return {
    subject,
    name: String(name),
    operator: listClaim(claims['cognito:groups']).includes(OPERATORS_GROUP),
    roles: parseSitesClaim(claims[SITES_CLAIM] ?? claims[`custom:${SITES_CLAIM}`] ?? ''),
  };
}

export function callerIdentity(
  event: APIGatewayProxyEventV2,
  adminToken: string | undefined,
): Identity | undefined {
  const authorizer = (event.requestContext as { authorizer?: Authorizer }).authorizer;
  if (authorizer?.jwt?.claims) return fromClaims(authorizer.jwt.claims);
  // An IAM-authorized caller (a route with IAM authorization, none today) would operate every site.
  if (authorizer?.iam?.userArn)
    return {
      subject: authorizer.iam.userArn,
      name: authorizer.iam.userArn,
      operator: true,
      roles: new Map(),
    };
  const header = event.headers?.authorization ?? event.headers?.Authorization;
  if (header === undefined || header.trim() === '') return undefined;
  const bearer = /^Bearer +(\S+) *$/i.exec(header)?.[1];
  if (bearer === undefined) {
    throw new InvalidCredentialsError(
      'Authentication failed: the Authorization header is not a bearer token ("Authorization: Bearer <token>")',
    );
  }
  if (adminToken && equalSecret(bearer, adminToken))
    return { subject: 'local-operator', name: 'Local operator', operator: true, roles: new Map() };
  // A credential was sent and is wrong: say so, rather than asking for one (RFC 6750 invalid_token).
  throw new InvalidCredentialsError('Authentication failed: the bearer token is not valid');
}
