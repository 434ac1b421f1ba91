import type { IncomingMessage } from 'node:http';

export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

export function noContent(headers: Record<string, string> = {}): SandboxResponse {
  return { status: 204, headers, body: '' };
}

/** REST API JSON bodies are limited to 50 MB (multipart requests to 2 GB, which the sandbox does not take). */
const MAX_BODY = 50 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`The request body exceeds the limit of ${MAX_BODY} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** 413, as the REST API answers a body over its limit. */
export function bodyTooLarge(error: BodyTooLargeError): SandboxResponse {
  return json(413, [{ message: error.message, errorCode: 'REQUEST_ENTITY_TOO_LARGE' }]);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > MAX_BODY) throw new BodyTooLargeError();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
