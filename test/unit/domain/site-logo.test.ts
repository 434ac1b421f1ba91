import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PayloadTooLargeError, UnsupportedImageError } from '../../../shared/domain/errors';
import { LOGO_MAX_BYTES, sniffLogo } from '../../../shared/domain/site-logo';
import { chunk, makePng, PNG_VARIANTS } from '../../support/png';

/**
 * What an uploaded logo is comes from its bytes alone: intact PNGs and JPEGs are taken with
 * their dimensions; every other format, and a damaged or disguised file, is refused with a
 * message naming what it is.
 */
const images = join(__dirname, '..', '..', 'fixtures', 'images');
const png = new Uint8Array(readFileSync(join(images, 'logo.png')));
const jpeg = new Uint8Array(readFileSync(join(images, 'logo.jpg')));

const refusal = (bytes: Uint8Array) => {
  try {
    sniffLogo(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedImageError);
    return (error as Error).message;
  }
  throw new Error('the bytes were taken');
};

describe('sniffLogo', () => {
  it('takes the PNG and JPEG fixtures with their dimensions', () => {
    expect(sniffLogo(png)).toEqual({ contentType: 'image/png', width: 720, height: 200 });
    expect(sniffLogo(jpeg)).toEqual({ contentType: 'image/jpeg', width: 720, height: 200 });
  });

  it('takes every PNG colour type and bit depth the format allows, interlaced or not', () => {
    for (const [colour, depth, extra] of PNG_VARIANTS) {
      for (const interlaced of [false, true]) {
        expect(sniffLogo(makePng(13, 7, { colour, depth, interlaced, extra }))).toEqual({
          contentType: 'image/png',
          width: 13,
          height: 7,
        });
      }
    }
  });

  it('names other formats, text and unknown data in a 400', () => {
    const cases: Array<[Uint8Array, string]> = [
      [Buffer.from('GIF89a\x01\x00\x01\x00'), 'a GIF image'],
      [Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.alloc(20)]), 'a WebP image'],
      [Buffer.concat([Buffer.from('\0\0\0\x1cftypavif'), Buffer.alloc(20)]), 'an AVIF image'],
      [Buffer.concat([Buffer.from('\0\0\0\x18ftypheic'), Buffer.alloc(20)]), 'a HEIC/HEIF image'],
      [Buffer.from('BM\x36\0\0\0\0\0'), 'a BMP image'],
      [Buffer.from('II*\0\x08\0\0\0'), 'a TIFF image'],
      [Buffer.from('%PDF-1.7\n'), 'a PDF document'],
      [Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'an SVG image'],
      [Buffer.from('<html><body>logo</body></html>'), 'an XML or HTML document'],
      [Buffer.from('logo.png'), 'text'],
      [new Uint8Array(0), 'an empty body'],
      [
        new Uint8Array([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]),
        'data of an unknown kind (it starts with 00 01 02 03 04 05 06 07)',
      ],
    ];
    for (const [bytes, found] of cases) {
      expect(refusal(bytes)).toBe(`The logo must be a PNG or JPEG image; this is ${found}`);
    }
  });

  it('refuses a damaged or disguised PNG', () => {
    const wrongCrc = new Uint8Array(png);
    wrongCrc[29] = (wrongCrc[29] ?? 0) ^ 0xff; // the IHDR's CRC
    expect(refusal(wrongCrc)).toMatch(/a damaged PNG \(the CRC of its IHDR chunk is wrong\)/);
    expect(refusal(png.subarray(0, png.byteLength - 12))).toMatch(
      /a damaged PNG \(it ends at byte \d+ without IEND\)/,
    );
    expect(refusal(png.subarray(0, 8))).toMatch(/a damaged PNG/);
    // A header that promises more rows than the data holds.
    expect(refusal(makePng(10, 10, { rows: 5 }))).toMatch(
      /its image data holds 205 bytes of the 410 its size needs/,
    );
    expect(refusal(makePng(10, 10, { colour: 3, depth: 8 }))).toMatch(
      /an indexed-colour image without a palette/,
    );
    expect(refusal(makePng(10, 10, { colour: 2, depth: 4 }))).toMatch(/colour type 2 with bit depth 4/);
    const animated = makePng(4, 4, { extra: [chunk('acTL', Buffer.alloc(8))] });
    expect(refusal(animated)).toMatch(/an animated PNG \(APNG\)/);
  });

  it('refuses a picture larger than 4096 pixels a side without inflating its data', () => {
    // 20,000 × 20,000 RGBA would inflate to 1.6 GB; the header alone refuses it.
    expect(refusal(makePng(20_000, 1, {}))).toMatch(
      /a 20000 × 1 pixel image; at most 4096 pixels on each side/,
    );
  });

  it('refuses a damaged JPEG and the JPEG processes PDF viewers do not show', () => {
    expect(refusal(jpeg.subarray(0, 2000))).toMatch(/a damaged JPEG/);
    expect(refusal(jpeg.subarray(0, jpeg.byteLength - 2))).toMatch(
      /a damaged JPEG \(it ends at byte \d+ without EOI\)/,
    );
    const sof = jpeg.findIndex((byte, i) => byte === 0xff && jpeg[i + 1] === 0xc0);
    expect(sof).toBeGreaterThan(0);
    const arithmetic = new Uint8Array(jpeg);
    arithmetic[sof + 1] = 0xc9;
    expect(refusal(arithmetic)).toMatch(/arithmetic-coded JPEG; save it as a baseline or progressive JPEG/);
    const twelveBit = new Uint8Array(jpeg);
    twelveBit[sof + 4] = 12;
    expect(refusal(twelveBit)).toMatch(/a 12-bit JPEG/);
    // Progressive is one of the processes PDF's DCTDecode shows.
    const progressive = new Uint8Array(jpeg);
    progressive[sof + 1] = 0xc2;
    expect(sniffLogo(progressive)).toMatchObject({ contentType: 'image/jpeg' });
  });

  it('refuses more than 1 MB with a 413 before looking at the bytes', () => {
    const large = new Uint8Array(LOGO_MAX_BYTES + 1);
    large.set(png);
    expect(() => sniffLogo(large)).toThrow(PayloadTooLargeError);
    expect(() => sniffLogo(large)).toThrow(
      'The logo is 1,048,577 bytes; at most 1 MB (1,048,576 bytes) is accepted',
    );
  });
});
