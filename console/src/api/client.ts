import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openapi';
import type { Problem } from './types';

/**
 * The admin API, typed from its OpenAPI document (openapi.d.ts is generated from the server's
 * route table and zod schemas), on the console's own origin: no CORS, no base URL to configure.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: Problem,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Each invalid field of a 400, by its path in the request body (`fieldMappings.opportunity.0.condition.value`). */
  get issues(): ReadonlyArray<{ path: string; message: string }> {
    return this.problem?.issues ?? [];
  }
}

let currentToken: () => Promise<string | undefined> = async () => undefined;
let onUnauthorized: (() => void) | undefined;

/**
 * Where every call gets its bearer token (refreshed when due), and what a 401 does (ends the
 * session): set by the app as the session changes.
 */
export function configureAuth(token: () => Promise<string | undefined>, unauthorized?: () => void): void {
  currentToken = token;
  onUnauthorized = unauthorized;
}

const auth: Middleware = {
  async onRequest({ request }) {
    const token = await currentToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized?.();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });

/** A call the typed client cannot describe yet, with the same credentials. */
export async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = await currentToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(url, { ...init, headers }).then((response) => {
    if (response.status === 401) onUnauthorized?.();
    return response;
  });
}
api.use(auth);

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'detail' in body && 'status' in body;
}

/** The error of an answer that is not a success, as the user should read it. */
export function apiError(status: number, body: unknown): ApiError {
  if (isProblem(body)) return new ApiError(status, body.detail, body);
  if (typeof body === 'object' && body !== null && 'message' in body)
    return new ApiError(status, String((body as { message: unknown }).message));
  return new ApiError(status, `The API answered ${status}`);
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer; any other answer, or no answer at all, throws an ApiError. */
export async function call<T>(request: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    throw new ApiError(0, `The API could not be reached (${error instanceof Error ? error.message : error})`);
  }
  if (answer.response.ok && answer.data !== undefined) return answer.data;
  if (answer.response.ok) return undefined as T;
  throw apiError(answer.response.status, answer.error);
}
