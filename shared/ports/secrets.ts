import type { EncryptedSecret } from '../domain/salesforce-connection';

/** Encrypts secrets bound to a site (the site id is authenticated with the ciphertext). */
export interface SecretCipher {
  encrypt(plaintext: string, siteId: string): Promise<EncryptedSecret>;
  decrypt(secret: EncryptedSecret, siteId: string): Promise<string>;
}

/**
 * Derives a site's webhook secret from a key the service holds (an HMAC), so the secret itself
 * is never stored: only its hash is, for the ack path, and deploys derive it again.
 */
export interface WebhookSecrets {
  derive(siteId: string, generation: number): Promise<string>;
}
