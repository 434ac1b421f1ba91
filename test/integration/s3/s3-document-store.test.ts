import { randomBytes, randomUUID } from 'node:crypto';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  quotePdfKey,
  S3DocumentStore,
  S3SiteLogoStore,
  siteLogoKey,
} from '../../../shared/adapters/s3/s3-document-store';

/**
 * The endpoint comes from AWS_ENDPOINT_URL_S3 (set by the global setup); the two options are the
 * ones any emulator needs, as documented on S3DocumentStore.
 */
const s3 = new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
const bucket = `quote-documents-${randomUUID().slice(0, 8)}`;

/** The headers of every PutObject request this client sends, as they go over the wire. */
const putHeaders: Array<Record<string, string>> = [];
s3.middlewareStack.add(
  (next, context) => async (args) => {
    const request = args.request as { headers?: Record<string, string> };
    if (context.commandName === 'PutObjectCommand' && request.headers)
      putHeaders.push({ ...request.headers });
    return next(args);
  },
  { step: 'finalizeRequest', name: 'capturePutHeaders' },
);

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(() => s3.destroy());

const pdfBytes = () => new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000)]));

describe('S3DocumentStore', () => {
  it('stores a quote PDF under its site, quote and version, and reads the same bytes back', async () => {
    const store = new S3DocumentStore(s3, { bucket });
    const body = pdfBytes();

    const { key } = await store.put({ siteId: 'acme', quoteId: 'q-123', version: 1, body });

    expect(key).toBe('sites/acme/quotes/q-123/v1.pdf');
    const read = await store.get(key);
    expect(read).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(read ?? []).equals(Buffer.from(body))).toBe(true);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ContentLength).toBe(body.byteLength);
  });

  it('keeps every version apart', async () => {
    const store = new S3DocumentStore(s3, { bucket });
    const [first, second] = [pdfBytes(), pdfBytes()];
    const one = await store.put({ siteId: 'acme', quoteId: 'q-200', version: 1, body: first });
    const two = await store.put({ siteId: 'acme', quoteId: 'q-200', version: 2, body: second });

    expect(two.key).toBe('sites/acme/quotes/q-200/v2.pdf');
    expect(Buffer.from((await store.get(one.key)) ?? []).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from((await store.get(two.key)) ?? []).equals(Buffer.from(second))).toBe(true);
  });

  it('answers undefined for a key with nothing stored', async () => {
    const store = new S3DocumentStore(s3, { bucket });
    await expect(store.get('sites/acme/quotes/q-404/v1.pdf')).resolves.toBeUndefined();
  });

  it('fails, rather than answering "not found", when the bucket is missing', async () => {
    const store = new S3DocumentStore(s3, { bucket: `${bucket}-missing` });
    await expect(store.get('sites/acme/quotes/q-123/v1.pdf')).rejects.toThrow();
  });

  it('asks for SSE-S3 without a KMS key, and SSE-KMS with the key when one is configured', async () => {
    putHeaders.length = 0;
    await new S3DocumentStore(s3, { bucket }).put({
      siteId: 'acme',
      quoteId: 'q-1',
      version: 1,
      body: pdfBytes(),
    });
    await new S3DocumentStore(s3, { bucket, kmsKeyId: 'alias/quote-documents' }).put({
      siteId: 'acme',
      quoteId: 'q-2',
      version: 1,
      body: pdfBytes(),
    });

    expect(putHeaders).toHaveLength(2);
    expect(putHeaders[0]).toMatchObject({
      'x-amz-server-side-encryption': 'AES256',
      'content-type': 'application/pdf',
    });
    expect(putHeaders[0]).not.toHaveProperty('x-amz-server-side-encryption-aws-kms-key-id');
    expect(putHeaders[1]).toMatchObject({
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': 'alias/quote-documents',
    });
  });

  it('refuses ids that would escape their place in the key', () => {
    const body = new Uint8Array();
    const store = new S3DocumentStore(s3, { bucket });
    expect(() => quotePdfKey({ siteId: 'acme', quoteId: '../other', version: 1 })).toThrow(RangeError);
    expect(() => quotePdfKey({ siteId: 'Other/Site', quoteId: 'q', version: 1 })).toThrow(RangeError);
    expect(() => quotePdfKey({ siteId: 'acme', quoteId: 'q', version: 0 })).toThrow(RangeError);
    expect(() => quotePdfKey({ siteId: 'acme', quoteId: 'q', version: 1.5 })).toThrow(RangeError);
    return expect(store.put({ siteId: 'acme', quoteId: 'a/b', version: 1, body })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('S3SiteLogoStore', () => {
  const logo = () =>
    new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBytes(5000)]));
  const sha256 = 'ab'.repeat(32);

  it('stores a logo under its site, named by its content, with its type and encryption, and deletes it', async () => {
    putHeaders.length = 0;
    const store = new S3SiteLogoStore(s3, { bucket, kmsKeyId: 'alias/quote-documents' });
    const body = logo();
    const { key } = await store.put({ siteId: 'acme', sha256, contentType: 'image/png', body });
    expect(key).toBe(`sites/acme/profile/logo-${sha256.slice(0, 16)}.png`);
    expect(Buffer.from((await store.get(key)) ?? []).equals(Buffer.from(body))).toBe(true);
    expect(putHeaders[0]).toMatchObject({
      'content-type': 'image/png',
      'x-amz-server-side-encryption': 'aws:kms',
    });

    await store.delete(key);
    await expect(store.get(key)).resolves.toBeUndefined();
    // Deleting what is not there is no error (S3 answers 204 either way).
    await expect(store.delete(key)).resolves.toBeUndefined();
  });

  it('names JPEGs .jpg and refuses ids and hashes that would escape the key', () => {
    expect(siteLogoKey({ siteId: 'acme', sha256, contentType: 'image/jpeg' })).toMatch(/\.jpg$/);
    expect(() => siteLogoKey({ siteId: '../x', sha256, contentType: 'image/png' })).toThrow(RangeError);
    expect(() => siteLogoKey({ siteId: 'acme', sha256: '../../x', contentType: 'image/png' })).toThrow(
      RangeError,
    );
  });
});
