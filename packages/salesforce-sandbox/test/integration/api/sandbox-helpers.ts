import type { SalesforceSandbox } from '../../../src/server';

export { API_VERSION, loggedIn, newConnection, startTestSandbox } from '../../../src/testing';

/** Raw HTTP to the sandbox, for what jsforce does not expose (headers, control plane). */
export async function http(
  sandbox: SalesforceSandbox,
  path: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  }
  const response = await fetch(`${sandbox.url}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body,
    redirect: 'manual',
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** The error jsforce throws, with Salesforce's errorCode. */
export async function errorOf(
  promise: PromiseLike<unknown>,
): Promise<{ errorCode?: string; name: string; message: string; data?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error as Error & { errorCode?: string; data?: unknown };
    throw error;
  }
  throw new Error('expected the call to fail');
}
