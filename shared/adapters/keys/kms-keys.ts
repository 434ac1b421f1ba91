import { createCipheriv, randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { EncryptedSecret } from '../../domain/salesforce-connection';
import type { SecretCipher, WebhookSecrets } from '../../ports/secrets';
import { decryptAesGcm } from './local-keys';

/**
 * Envelope encryption with KMS: a fresh data key per secret, the plaintext key used once in
 * memory and dropped; the site id is both the KMS encryption context and the AES-GCM AAD, so a
 * ciphertext cannot be replayed for another site.
 * https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#enveloping
 */
export class KmsEnvelopeCipher implements SecretCipher {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async encrypt(plaintext: string, siteId: string): Promise<EncryptedSecret> {
    const dataKey = await this.kms.send(
      new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: { siteId } }),
    );
    if (!dataKey.Plaintext || !dataKey.CiphertextBlob) throw new Error('KMS returned no data key');
    const key = Buffer.from(dataKey.Plaintext);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(siteId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    key.fill(0);
    return {
      v: 1,
      keyId: dataKey.KeyId ?? this.keyId,
      encryptedKey: Buffer.from(dataKey.CiphertextBlob).toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
  }

  async decrypt(secret: EncryptedSecret, siteId: string): Promise<string> {
    if (!secret.encryptedKey) throw new Error('The secret was not encrypted with KMS');
    const { Plaintext } = await this.kms.send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(secret.encryptedKey, 'base64'),
        EncryptionContext: { siteId },
        KeyId: this.keyId,
      }),
    );
    if (!Plaintext) throw new Error('KMS returned no plaintext key');
    const key = Buffer.from(Plaintext);
    try {
      return decryptAesGcm(key, secret, siteId);
    } finally {
      key.fill(0);
    }
  }
}

/** Webhook secrets as HMACs computed inside KMS (an HMAC_256 key): the key never leaves KMS. */
export class KmsWebhookSecrets implements WebhookSecrets {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async derive(siteId: string, generation: number): Promise<string> {
    const { Mac } = await this.kms.send(
      new GenerateMacCommand({
        KeyId: this.keyId,
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from(`webhook:${siteId}:${generation}`),
      }),
    );
    if (!Mac) throw new Error('KMS returned no MAC');
    return Buffer.from(Mac).toString('base64url');
  }
}
