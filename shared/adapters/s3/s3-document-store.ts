import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LogoContentType } from '../../domain/site-logo';
import type { DocumentStore, QuoteDocumentRef, SiteLogoStore } from '../../ports/document-store';

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

/** `sites/{siteId}/profile/logo-{first 16 hex of its SHA-256}.png|jpg`: under the site, named by content. */
export function siteLogoKey({
  siteId,
  sha256,
  contentType,
}: {
  siteId: string;
  sha256: string;
  contentType: LogoContentType;
}): string {
  if (!SITE_ID.test(siteId)) throw new RangeError(`Not a site id: ${JSON.stringify(siteId)}`);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new RangeError(`Not a SHA-256: ${JSON.stringify(sha256)}`);
  return `sites/${siteId}/profile/logo-${sha256.slice(0, 16)}.${contentType === 'image/png' ? 'png' : 'jpg'}`;
}

/** Objects of one bucket, every put encrypted as the options say. */
class S3Objects {
  constructor(
    private readonly s3: S3Client,
    private readonly options: S3DocumentStoreOptions,
  ) {}

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ContentLength: body.byteLength,
        ...(this.options.kmsKeyId
          ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.options.kmsKeyId }
          : { ServerSideEncryption: 'AES256' }),
      }),
    );
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

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key that is not there too.
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }
}

/**
 * Quote PDFs in an S3 bucket. The S3Client comes from the composition root, which knows where it
 * runs. Against an emulator (fauxqs, s3rver, LocalStack) that client needs
 * `forcePathStyle: true` (no bucket-name subdomains on 127.0.0.1) and
 * `requestChecksumCalculation: 'WHEN_REQUIRED'` (s3rver corrupts uploads carrying the SDK's
 * default flexible checksums); in AWS the defaults are right.
 */
export class S3DocumentStore implements DocumentStore {
  private readonly objects: S3Objects;

  constructor(s3: S3Client, options: S3DocumentStoreOptions) {
    this.objects = new S3Objects(s3, options);
  }

  async put(document: QuoteDocumentRef & { body: Uint8Array }): Promise<{ key: string }> {
    const key = quotePdfKey(document);
    await this.objects.put(key, document.body, 'application/pdf');
    return { key };
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key);
  }
}

/** Site logos in the same bucket as the PDFs, under each site's prefix and encrypted alike. */
export class S3SiteLogoStore implements SiteLogoStore {
  private readonly objects: S3Objects;

  constructor(s3: S3Client, options: S3DocumentStoreOptions) {
    this.objects = new S3Objects(s3, options);
  }

  async put(logo: { siteId: string; sha256: string; contentType: LogoContentType; body: Uint8Array }) {
    const key = siteLogoKey(logo);
    await this.objects.put(key, logo.body, logo.contentType);
    return { key };
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.objects.get(key);
  }

  delete(key: string): Promise<void> {
    return this.objects.delete(key);
  }
}
