import { createHash, randomBytes } from 'node:crypto';

/**
 * Signs in through the local sign-in as the console does: authorize (the form a person fills
 * in), the redirect back with a code, and the PKCE code exchange. Answers the tokens.
 */
export async function signInLocally(
  baseUrl: string,
  person: { email: string; password: string },
): Promise<{ access_token: string; id_token: string; refresh_token: string }> {
  const config = (await (await fetch(`${baseUrl}/auth/config`)).json()) as {
    authorizeUrl: string;
    tokenUrl: string;
    clientId: string;
    redirectUri: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const form = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    scope: 'openid email profile',
    username: person.email,
    password: person.password,
  });
  const signedIn = await fetch(config.authorizeUrl, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(signedIn.headers.get('location') ?? 'http://invalid/').searchParams.get('code');
  if (signedIn.status !== 302 || !code)
    throw new Error(`sign-in as ${person.email} answered ${signedIn.status}`);
  const tokens = await fetch(config.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: verifier,
    }),
  });
  if (tokens.status !== 200) throw new Error(`the code exchange answered ${tokens.status}`);
  return (await tokens.json()) as { access_token: string; id_token: string; refresh_token: string };
}
