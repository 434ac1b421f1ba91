import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DocumentStore, QuoteDocumentRef } from '../../ports/document-store';

export interface S3DocumentStoreOptions {
  bucket: string;
  /**
   * KMS key (id, ARN or alias) for SSE-KMS. Without one, objects are encrypted with S3-managed
   * keys (SSE-S3, AES256); either way the request names the encryption explicitly, so a bucket
   * policy that denies unencrypted puts accepts it.
   */
  kmsKeyId?: string;
}

/** Path segments of a key: no "/", no "..", nothing that needs URL escaping. */
const SITE_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const QUOTE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** `sites/{siteId}/quotes/{quoteId}/v{version}.pdf`: every key starts with its site. */
export function quotePdfKey({ siteId, quoteId, version }: QuoteDocumentRef): string {
  if (!SITE_ID.test(siteId)) throw new RangeError(`Not a site id: ${JSON.stringify(siteId)}`);
  if (!QUOTE_ID.test(quoteId))
    throw new RangeError(`Not a quote id usable in a key: ${JSON.stringify(quoteId)}`);
  if (!Number.isSafeInteger(version) || version < 1)
    throw new RangeError(`Not a document version: ${version}`);
  return `sites/${siteId}/quotes/${quoteId}/v${version}.pdf`;
}

/**
 * Quote PDFs in an S3 bucket. The S3Client comes from the composition root, which knows where it
 * runs. Against an emulator (fauxqs, s3rver, LocalStack) that client needs
 * `forcePathStyle: true` (no bucket-name subdomains on 127.0.0.1) and
 * `requestChecksumCalculation: 'WHEN_REQUIRED'` (s3rver corrupts uploads carrying the SDK's
 * default flexible checksums); in AWS the defaults are right.
 */
export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly s3: S3Client,
    private readonly options: S3DocumentStoreOptions,
  ) {}

  async put(document: QuoteDocumentRef & { body: Uint8Array }): Promise<{ key: string }> {
    const key = quotePdfKey(document);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: document.body,
        ContentType: 'application/pdf',
        ContentLength: document.body.byteLength,
        ...(this.options.kmsKeyId
          ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.options.kmsKeyId }
          : { ServerSideEncryption: 'AES256' }),
      }),
    );
    return { key };
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: key }));
      if (Body === undefined) return undefined;
      return await Body.transformToByteArray();
    } catch (error) {
      // Only a missing object is "not there"; a missing bucket or denied access is a failure.
      if (error instanceof NoSuchKey || (error as { name?: unknown } | null)?.name === 'NoSuchKey')
        return undefined;
      throw error;
    }
  }
}
