import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/** Site ids appear in URLs and keys: lower-case letters, digits and dashes. */
export const siteIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'must be 1-64 lower-case letters, digits or dashes');

/** What we know of the Salesforce org a site is connected to. Grows with the connect issue. */
export interface SalesforceConnection {
  /** 18-character organization id; compare on the first 15 characters. */
  organizationId: string;
  instanceUrl?: string;
  connectedAt?: string;
}

/** A customer account of ours. Records for other entities hang off the site id. */
export interface Site {
  siteId: string;
  name: string;
  /** SHA-256 (hex) of the webhook secret; the secret itself is never stored. */
  webhookSecretHash: string;
  /** Which derivation of the secret is current; incremented to rotate it. */
  webhookSecretGeneration: number;
  salesforce?: SalesforceConnection;
  createdAt: string;
  updatedAt: string;
}

/** The path of a site's outbound-message endpoint, under the API's base URL. */
export function outboundMessagePath(siteId: string, secret: string): string {
  return `/salesforce/outbound/${encodeURIComponent(siteId)}/${encodeURIComponent(secret)}`;
}

export function hashWebhookSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function webhookSecretMatches(presented: string, storedHash: string): boolean {
  const presentedHash = Buffer.from(hashWebhookSecret(presented), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return expected.length === presentedHash.length && timingSafeEqual(presentedHash, expected);
}
