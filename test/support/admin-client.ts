import type { Quote, SyncLogEntry } from '../../shared/domain/synced-records';

/** The admin API over HTTP, as an admin with the bearer token calls it. */
export function adminClient(baseUrl: () => string, token: string) {
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  /** The parsed JSON of a successful answer; any 4xx or 5xx throws with the body. */
  const api = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await call(method, path, body);
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  return { call, api };
}

/** A site's quotes and sync log entries of one opportunity, through the admin API. */
export function opportunityReads(api: ReturnType<typeof adminClient>['api'], siteId: string) {
  return {
    quotesOf: async (opportunityId: string) =>
      (await api<{ quotes: Quote[] }>('GET', `/sites/${siteId}/quotes?opportunityId=${opportunityId}`))
        .quotes,
    logOf: async (opportunityId: string) =>
      (
        await api<{ entries: SyncLogEntry[] }>(
          'GET',
          `/sites/${siteId}/salesforce/log?opportunityId=${opportunityId}`,
        )
      ).entries,
  };
}
