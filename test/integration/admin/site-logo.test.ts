import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { SalesforceSandbox } from '@quote-sync/salesforce-sandbox';
import { startTestSandbox } from '@quote-sync/salesforce-sandbox/testing';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib';
import { LOGO_MAX_BYTES } from '../../../shared/domain/site-logo';
import { loadAdminApi } from '../../support/admin-api';
import { createTable } from '../../support/aws';
import { storeDraftQuote } from '../../support/stored-quotes';

/**
 * The site's logo through the admin API as API Gateway calls it: uploaded as the file itself
 * (what it is comes from its bytes), read back, replaced and removed by the site's admins only;
 * refused files leave nothing behind; every quote PDF rendered afterwards carries the logo, and
 * a changed logo is a new PDF version.
 */
const images = join(__dirname, '..', '..', 'fixtures', 'images');
const png = new Uint8Array(readFileSync(join(images, 'logo.png')));
const jpeg = new Uint8Array(readFileSync(join(images, 'logo.jpg')));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const s3 = new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
const bucket = `logos-${randomUUID().slice(0, 8)}`;
let sandbox: SalesforceSandbox;
let api: ReturnType<typeof loadAdminApi>;
let tableName: string;

const as = (sites: string) => ({ token: null, claims: { sub: 'person-1', name: 'Pat Person', sites } });
const upload = (bytes: Uint8Array, contentType = 'image/png', init: Record<string, unknown> = {}) =>
  api.request('PUT', '/sites/acme/profile/logo', {
    bytes,
    headers: { 'content-type': contentType },
    ...init,
  });

async function logoObjects(siteId = 'acme'): Promise<string[]> {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `sites/${siteId}/profile/` }),
  );
  return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
}

/** The pixel widths of the images the PDF's pages draw (an alpha channel's soft mask is no image of its own). */
async function pdfImages(pdf: Buffer): Promise<number[]> {
  const document = await PDFDocument.load(pdf);
  return document.getPages().flatMap((page) => {
    const xObjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
    return (xObjects?.keys() ?? []).map((name) => {
      const image = document.context.lookup(xObjects?.get(name));
      const width = image instanceof PDFRawStream ? image.dict.get(PDFName.of('Width')) : undefined;
      return width instanceof PDFNumber ? width.asNumber() : Number.NaN;
    });
  });
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  tableName = await createTable();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  api = loadAdminApi({ tableName, sandbox, bucketName: bucket });
  for (const siteId of ['acme', 'globex'])
    expect((await api.request('PUT', `/sites/${siteId}`, { body: { name: siteId } })).statusCode).toBe(201);
}, 30_000);

afterAll(async () => {
  s3.destroy();
  await sandbox.stop();
});

describe('PUT, GET and DELETE /sites/{siteId}/profile/logo', () => {
  test('takes a PNG, answers what it is, and gives the same bytes back', async () => {
    const created = await upload(png);
    expect(created.statusCode).toBe(201);
    expect(created.headers?.location).toBe('/sites/acme/profile/logo');
    expect(created.json()).toEqual({
      siteId: 'acme',
      contentType: 'image/png',
      width: 720,
      height: 200,
      size: png.byteLength,
      sha256: sha256(png),
      uploadedAt: expect.any(String),
    });
    // Where it is stored is not the API's business.
    expect(created.json()).not.toHaveProperty('key');

    const read = await api.request('GET', '/sites/acme/profile/logo');
    expect(read.statusCode).toBe(200);
    expect(read.headers?.['content-type']).toBe('image/png');
    expect(read.headers?.etag).toBe(`"${sha256(png)}"`);
    expect(read.isBase64Encoded).toBe(true);
    expect(Buffer.from(read.body ?? '', 'base64').equals(Buffer.from(png))).toBe(true);

    const profile = (await api.request('GET', '/sites/acme/profile')).json();
    expect(profile.logo).toMatchObject({ contentType: 'image/png', sha256: sha256(png) });
    expect(await logoObjects()).toEqual([`sites/acme/profile/logo-${sha256(png).slice(0, 16)}.png`]);
  });

  test('goes by the bytes, not by the Content-Type: a JPEG sent as image/png is stored as a JPEG and replaces the PNG', async () => {
    const replaced = await upload(jpeg, 'image/png');
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ contentType: 'image/jpeg', width: 720, height: 200 });
    const read = await api.request('GET', '/sites/acme/profile/logo');
    expect(read.headers?.['content-type']).toBe('image/jpeg');
    // The replaced object is gone: one logo, one object.
    expect(await logoObjects()).toEqual([`sites/acme/profile/logo-${sha256(jpeg).slice(0, 16)}.jpg`]);
    // So does application/octet-stream, which any client can send.
    expect((await upload(png, 'application/octet-stream')).json()).toMatchObject({
      contentType: 'image/png',
    });
  });

  test('a PUT of the profile keeps the logo, and the logo upload keeps the profile', async () => {
    await upload(png);
    const saved = await api.request('PUT', '/sites/acme/profile', { body: { legalName: 'Acme Ltd' } });
    expect(saved.json()).toMatchObject({ profile: { legalName: 'Acme Ltd' }, logo: { sha256: sha256(png) } });
    await upload(jpeg, 'image/jpeg');
    expect((await api.request('GET', '/sites/acme/profile')).json()).toMatchObject({
      profile: { legalName: 'Acme Ltd' },
      logo: { sha256: sha256(jpeg) },
    });
  });

  test('refuses anything but an intact PNG or JPEG with a 400 naming what it is, and stores nothing', async () => {
    await api.request('DELETE', '/sites/acme/profile/logo');
    const gif = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(40)]);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    const cases: Array<[Uint8Array, string, RegExp]> = [
      [gif, 'image/png', /this is a GIF image/],
      [svg, 'image/svg+xml', /this is an SVG image/],
      [png.subarray(0, 5000), 'image/png', /a damaged PNG \(its IDAT chunk is cut off\)/],
      [jpeg.subarray(0, 3000), 'image/jpeg', /a damaged JPEG/],
      [new Uint8Array(0), 'image/png', /this is an empty body/],
    ];
    for (const [bytes, type, message] of cases) {
      const refused = await upload(bytes, type);
      expect(refused.statusCode).toBe(400);
      expect(refused.headers?.['content-type']).toBe('application/problem+json');
      expect(refused.json()).toMatchObject({ type: '/problems/unsupported-image', status: 400 });
      expect(String(refused.json().detail)).toMatch(message);
      expect(String(refused.json().detail)).toMatch(/^The logo must be a PNG or JPEG image/);
    }
    expect(await logoObjects()).toEqual([]);
    expect((await api.request('GET', '/sites/acme/profile')).json().logo).toBeNull();
    expect((await api.request('GET', '/sites/acme/profile/logo')).statusCode).toBe(404);
  });

  test('a file sent with a text Content-Type is refused with how to send it', async () => {
    const asText = await api.request('PUT', '/sites/acme/profile/logo', {
      body: 'not really',
      headers: { 'content-type': 'text/plain' },
    });
    expect(asText.statusCode).toBe(400);
    expect(String(asText.json().detail)).toMatch(/sent as text\/plain.*Content-Type image\/png, image\/jpeg/);
  });

  test('refuses more than 1 MB with a 413 and stores nothing; exactly 1 MB is taken', async () => {
    await api.request('DELETE', '/sites/acme/profile/logo');
    // Bytes after a JPEG's end-of-image marker are no part of the picture, but count.
    const padded = (size: number) => {
      const bytes = new Uint8Array(size);
      bytes.set(jpeg);
      return bytes;
    };
    const tooLarge = await upload(padded(LOGO_MAX_BYTES + 1), 'image/jpeg');
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
    expect(String(tooLarge.json().detail)).toBe(
      'The logo is 1,048,577 bytes; at most 1 MB (1,048,576 bytes) is accepted',
    );
    expect(await logoObjects()).toEqual([]);
    expect((await api.request('GET', '/sites/acme/profile')).json().logo).toBeNull();

    const atLimit = await upload(padded(LOGO_MAX_BYTES), 'image/jpeg');
    expect(atLimit.statusCode).toBe(201);
    expect(atLimit.json()).toMatchObject({ size: LOGO_MAX_BYTES, contentType: 'image/jpeg' });
  });

  test('DELETE removes the logo and its object; removing none is 204 too', async () => {
    await upload(png);
    const removed = await api.request('DELETE', '/sites/acme/profile/logo');
    expect(removed.statusCode).toBe(204);
    expect(removed.body ?? '').toBe('');
    expect(await logoObjects()).toEqual([]);
    expect((await api.request('GET', '/sites/acme/profile/logo')).statusCode).toBe(404);
    expect((await api.request('DELETE', '/sites/acme/profile/logo')).statusCode).toBe(204);
  });

  test("only the site's admins may upload, read or remove it; other methods are 405", async () => {
    await upload(png);
    for (const [method, init] of [
      ['PUT', { bytes: png, headers: { 'content-type': 'image/png' } }],
      ['GET', {}],
      ['DELETE', {}],
    ] as const) {
      const asUser = await api.request(method, '/sites/acme/profile/logo', { ...init, ...as('acme:user') });
      expect(asUser.statusCode).toBe(403);
      expect(asUser.json()).toMatchObject({ reason: 'admin-role-required' });
      const otherSite = await api.request(method, '/sites/acme/profile/logo', {
        ...init,
        ...as('globex:admin'),
      });
      expect(otherSite.statusCode).toBe(403);
      expect(otherSite.json()).toMatchObject({ reason: 'not-a-member' });
      const nobody = await api.request(method, '/sites/acme/profile/logo', { ...init, token: null });
      expect(nobody.statusCode).toBe(401);
    }
    const asAdmin = await api.request('GET', '/sites/acme/profile/logo', as('acme:admin'));
    expect(asAdmin.statusCode).toBe(200);
    // The refusals changed nothing.
    expect(await logoObjects()).toHaveLength(1);

    const post = await api.request('POST', '/sites/acme/profile/logo');
    expect(post.statusCode).toBe(405);
    expect(post.headers?.allow).toBe('GET, PUT, DELETE');
    expect((await api.request('PUT', '/sites/no-such-site/profile/logo', { bytes: png })).statusCode).toBe(
      404,
    );
  });
});

describe('the logo on the quote PDF', () => {
  beforeAll(() =>
    storeDraftQuote(tableName, { siteId: 'globex', quoteId: 'q-1', number: 7, title: 'Website relaunch' }, [
      { name: 'Design', quantity: 1, unitPrice: 100 },
    ]),
  );

  async function pdf() {
    const response = await api.request('GET', '/sites/globex/quotes/q-1/pdf');
    expect(response.statusCode).toBe(200);
    const version = /-v(\d+)\.pdf/.exec(String(response.headers?.['content-disposition']))?.[1];
    return { version: Number(version), body: Buffer.from(response.body ?? '', 'base64') };
  }

  const globexUpload = (bytes: Uint8Array) =>
    api.request('PUT', '/sites/globex/profile/logo', { bytes, headers: { 'content-type': 'image/png' } });

  test('is drawn once a logo is uploaded, and each change of logo is a new PDF version', async () => {
    const before = await pdf();
    expect(await pdfImages(before.body)).toEqual([]);

    expect((await globexUpload(png)).statusCode).toBe(201);
    const withPng = await pdf();
    expect(withPng.version).toBe(before.version + 1);
    expect(await pdfImages(withPng.body)).toEqual([720]);

    // Unchanged: the stored version again.
    expect((await pdf()).version).toBe(withPng.version);
    // The same bytes uploaded again are the same logo: no new version.
    expect((await globexUpload(png)).statusCode).toBe(200);
    expect((await pdf()).version).toBe(withPng.version);

    await globexUpload(jpeg);
    const withJpeg = await pdf();
    expect(withJpeg.version).toBe(withPng.version + 1);
    expect(await pdfImages(withJpeg.body)).toEqual([720]);
    expect(withJpeg.body.toString('latin1')).toContain('/DCTDecode');

    expect((await api.request('DELETE', '/sites/globex/profile/logo')).statusCode).toBe(204);
    const without = await pdf();
    expect(without.version).toBe(withJpeg.version + 1);
    expect(await pdfImages(without.body)).toEqual([]);
  });

  test('a logo object deleted from the bucket by hand prints no logo rather than failing the PDF', async () => {
    await api.request('DELETE', '/sites/globex/profile/logo');
    expect(await pdfImages((await pdf()).body)).toEqual([]);
    await globexUpload(png);
    const [key] = await logoObjects('globex');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    const rendered = await pdf();
    expect(await pdfImages(rendered.body)).toEqual([]);
  });
});
