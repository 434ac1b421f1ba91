import type { SandboxClock } from '../contracts';
import type { MemoryStore } from '../store';
import type { QueryCursors } from './query';

/** What a REST handler needs: the org's data, the caller, the API version of the URL. */
export interface RestContext {
  store: MemoryStore;
  clock: SandboxClock;
  cursors: QueryCursors;
  apiVersion: string;
  userId: string;
  /** The org's base URL (absolute URLs in answers, such as the identity URL). */
  instanceUrl: string;
}

/** A REST call after routing, as a composite subrequest or a top-level request. */
export interface RestRequest {
  method: string;
  /** Path after `/services/data/vNN.N`, e.g. `/sobjects/Account/001...`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
}
