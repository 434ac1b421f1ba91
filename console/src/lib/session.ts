/**
 * Who is signed in. The tokens live in this tab's session storage only: never in a cookie, so
 * no other origin can send them, and gone when the tab closes or the user signs out.
 */
export interface Session {
  /** The bearer token: an OAuth access token, or locally the operator's admin token. */
  token: string;
  /** Who signed in, for the header. */
  label: string;
  kind: 'oauth' | 'admin-token';
  refreshToken?: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt?: number;
}

const KEY = 'quote-sync.session';

export function loadSession(): Session | undefined {
  try {
    const stored = sessionStorage.getItem(KEY);
    if (!stored) return undefined;
    const parsed = JSON.parse(stored) as Partial<Session>;
    if (typeof parsed.token !== 'string' || typeof parsed.label !== 'string') return undefined;
    return {
      token: parsed.token,
      label: parsed.label,
      kind: parsed.kind === 'oauth' ? 'oauth' : 'admin-token',
      ...(typeof parsed.refreshToken === 'string' ? { refreshToken: parsed.refreshToken } : {}),
      ...(typeof parsed.expiresAt === 'number' ? { expiresAt: parsed.expiresAt } : {}),
    };
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}
