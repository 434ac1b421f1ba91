import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EncryptedSecret } from '../../domain/salesforce-connection';
import type { SecretCipher, WebhookSecrets } from '../../ports/secrets';

/**
 * Local mode's stand-in for KMS: one 32-byte master key in a file (created on first use,
 * readable by its owner only), from which separate keys are derived for token encryption and
 * webhook-secret derivation (HKDF), so one key is never used for two purposes.
 */
export function loadOrCreateMasterKey(file: string): Buffer {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const key = readFileSync(file);
  if (key.length !== 32) throw new Error(`The local key file ${file} must hold exactly 32 bytes`);
  return key;
}

function subkey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `salesforce-quote-sync:${purpose}`, 32));
}

export class LocalKeyCipher implements SecretCipher {
  private readonly key: Buffer;
  constructor(master: Buffer) {
    this.key = subkey(master, 'token-encryption');
  }

  async encrypt(plaintext: string, siteId: string): Promise<EncryptedSecret> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(siteId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return {
      v: 1,
      keyId: 'local',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  async decrypt(secret: EncryptedSecret, siteId: string): Promise<string> {
    return decryptAesGcm(this.key, secret, siteId);
  }
}

export function decryptAesGcm(key: Buffer, secret: EncryptedSecret, siteId: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(secret.iv, 'base64'));
  decipher.setAAD(Buffer.from(siteId));
  decipher.setAuthTag(Buffer.from(secret.tag, 'base64'));
  return Buffer.concat([
    decipher.update(Buffer.from(secret.ciphertext, 'base64')),
    decipher.final(),
  ]).toString('utf8');
}

export class LocalKeyWebhookSecrets implements WebhookSecrets {
  private readonly key: Buffer;
  constructor(master: Buffer) {
    this.key = subkey(master, 'webhook-secrets');
  }

  async derive(siteId: string, generation: number): Promise<string> {
    return createHmac('sha256', this.key).update(`webhook:${siteId}:${generation}`).digest('base64url');
  }
}
