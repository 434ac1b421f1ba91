import { DEMO_OWNER, DEMO_SITE_ID, type ProvisionOptions } from './demo';
import { localPassword } from './sign-in';

/**
 * The people of the local console and the second demo site. The demo site has its admin (its
 * owner user, who signs in with the admin token) and a user who is not an admin; the second
 * site has an admin of its own. So both refusals can be seen: a user asking for what only
 * admins may do, and a person of one site opening the other.
 */
export const SECOND_SITE = { siteId: 'second', name: 'Second site' };

export interface DemoPerson {
  siteId: string;
  userId: string;
  name: string;
  email: string;
  role: 'admin' | 'user';
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { siteId: DEMO_SITE_ID, ...DEMO_OWNER },
  { siteId: DEMO_SITE_ID, userId: 'demo-user', name: 'Uma User', email: 'uma@example.com', role: 'user' },
  {
    siteId: SECOND_SITE.siteId,
    userId: 'second-admin',
    name: 'Olga Other',
    email: 'olga@example.com',
    role: 'admin',
  },
];

/** The demo site's admin signs in with the admin token itself; the others with a password derived from it. */
export function passwordOf(person: Pick<DemoPerson, 'email'>, adminToken: string): string {
  const first = DEMO_PEOPLE[0];
  return first && person.email === first.email ? adminToken : localPassword(adminToken, person.email);
}

/** A person of the local sign-in, found by e-mail address. */
export function localPerson(email: string, adminToken: string) {
  const person = DEMO_PEOPLE.find((candidate) => candidate.email === email.trim().toLowerCase());
  return person
    ? { email: person.email, name: person.name, password: passwordOf(person, adminToken) }
    : undefined;
}

/**
 * Creates what is missing, as an operator would through the admin API, and leaves the rest
 * alone: the second site, and each person as a user of their site with their role. A person
 * who exists keeps what an admin made of them; only the demo site's owner user, created before
 * users had roles, gets its admin role once.
 */
export async function provisionDemoPeople(
  baseUrl: string,
  adminToken: string,
  options: ProvisionOptions = {},
): Promise<{ done: string[] }> {
  const call = async (what: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (response.status >= 400 && response.status !== 404)
      throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
    return {
      status: response.status,
      json: (await response.json().catch(() => ({}))) as Record<string, unknown>,
    };
  };
  const done: string[] = [];
  if ((await call('read the second site', 'GET', `/sites/${SECOND_SITE.siteId}`)).status === 404) {
    await call('create the second site', 'PUT', `/sites/${SECOND_SITE.siteId}`, { name: SECOND_SITE.name });
    done.push(`created the site ${SECOND_SITE.siteId}`);
  }
  for (const { siteId, role, ...user } of DEMO_PEOPLE) {
    const existing = await call('read a user', 'GET', `/sites/${siteId}/users/${user.userId}`);
    const legacyOwner =
      existing.status !== 404 && existing.json.role === undefined && user.userId === DEMO_OWNER.userId;
    if (existing.status === 404 || legacyOwner) {
      const body = legacyOwner ? { ...existing.json, role } : { ...user, role };
      const { siteId: _site, createdAt: _created, ...fields } = body as Record<string, unknown>;
      await call('add a user', 'POST', `/sites/${siteId}/users`, fields);
      done.push(`made ${user.email} ${role === 'admin' ? 'an admin' : 'a user'} of ${siteId}`);
    }
  }
  return { done };
}
