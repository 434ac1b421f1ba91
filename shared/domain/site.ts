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
  /**
   * After a rotation, the previous secret's hash stays valid until `previousSecretValidUntil`:
   * Salesforce keeps retrying messages queued for the old URL for up to 24 hours.
   */
  previousWebhookSecretHash?: string;
  previousSecretValidUntil?: string;
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

/** How long a rotated-out secret is still accepted: Salesforce's retry window. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 60 * 60 * 1000;

/** The presented secret is the site's current one, or its previous one within the grace period. */
export function siteAcceptsSecret(site: Site, presented: string, now: Date): boolean {
  if (webhookSecretMatches(presented, site.webhookSecretHash)) return true;
  return (
    site.previousWebhookSecretHash !== undefined &&
    site.previousSecretValidUntil !== undefined &&
    now.getTime() < Date.parse(site.previousSecretValidUntil) &&
    webhookSecretMatches(presented, site.previousWebhookSecretHash)
  );
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function webhookSecretMatches(presented: string, storedHash: string): boolean {
  const presentedHash = Buffer.from(hashWebhookSecret(presented), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return expected.length === presentedHash.length && timingSafeEqual(presentedHash, expected);
}
