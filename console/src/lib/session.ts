/**
 * Who is signed in. The token lives in this tab's session storage only: never in a cookie, so no
 * other origin can send it, and gone when the tab closes or the user signs out.
 */
export interface Session {
  token: string;
  /** How the user signed in, for the header ("Admin token", a user's name). */
  label: string;
}

const KEY = 'quote-sync.session';

export function loadSession(): Session | undefined {
  try {
    const stored = sessionStorage.getItem(KEY);
    if (!stored) return undefined;
    const parsed = JSON.parse(stored) as Partial<Session>;
    return typeof parsed.token === 'string' && typeof parsed.label === 'string'
      ? { token: parsed.token, label: parsed.label }
      : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}
