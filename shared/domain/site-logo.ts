import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { PayloadTooLargeError, UnsupportedImageError } from './errors';

/**
 * The site's logo, printed in the header of its quotes: a PNG or a JPEG of at most 1 MB. What a
 * file is comes from its bytes alone (its name and the request's Content-Type say nothing): the
 * signature, then a decode of the structure that gives its dimensions (PNG: every chunk with its
 * CRC, IHDR, the inflated pixel data; JPEG: the marker segments, SOF, the scan up to EOI), so a
 * truncated or disguised file is refused at upload and never breaks a quote's PDF later.
 *
 * Written here rather than taken from an image library: sniffing needs only the container
 * formats (no pixels are decoded into memory), and the PDF library embeds the file as it is.
 */
export const LOGO_MAX_BYTES = 1024 * 1024;
/** A logo needs no more; it also bounds what the PDF library decodes for every rendering. */
export const LOGO_MAX_SIDE = 4096;

export const LOGO_CONTENT_TYPES = ['image/png', 'image/jpeg'] as const;
export type LogoContentType = (typeof LOGO_CONTENT_TYPES)[number];

export interface SniffedImage {
  contentType: LogoContentType;
  /** In pixels, as the file's header declares and its data holds. */
  width: number;
  height: number;
}

/** What the profile keeps of an uploaded logo: where it is and what it is, never its bytes. */
export interface SiteLogo extends SniffedImage {
  /** The S3 object. */
  key: string;
  /** Bytes. */
  size: number;
  /** SHA-256 of the bytes (hex): the quote's document fingerprint carries it. */
  sha256: string;
  uploadedAt: string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The logo as uploaded: a 413 over the limit, a 400 for anything but an intact PNG or JPEG. */
export function sniffLogo(bytes: Uint8Array): SniffedImage {
  if (bytes.byteLength > LOGO_MAX_BYTES) {
    throw new PayloadTooLargeError(
      `The logo is ${bytes.byteLength.toLocaleString('en-US')} bytes; at most 1 MB (${LOGO_MAX_BYTES.toLocaleString('en-US')} bytes) is accepted`,
    );
  }
  const image = isPng(bytes) ? readPng(bytes) : isJpeg(bytes) ? readJpeg(bytes) : undefined;
  if (image === undefined) throw new UnsupportedImageError(describe(bytes));
  if (image.width > LOGO_MAX_SIDE || image.height > LOGO_MAX_SIDE) {
    throw new UnsupportedImageError(
      `a ${image.width} × ${image.height} pixel image; at most ${LOGO_MAX_SIDE} pixels on each side are accepted`,
    );
  }
  return image;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.byteLength >= at + prefix.length && prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.byteLength)));

const isPng = (bytes: Uint8Array) => startsWith(bytes, PNG_SIGNATURE);
const isJpeg = (bytes: Uint8Array) => startsWith(bytes, [0xff, 0xd8, 0xff]);

/** What a refused body is, for the message: a known format by its signature, else text or data. */
function describe(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return 'an empty body';
  const head = ascii(bytes, 0, 16);
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return 'a GIF image';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'a WebP image';
  if (head.slice(4, 8) === 'ftyp') {
    const brand = head.slice(8, 12);
    if (brand === 'avif' || brand === 'avis') return 'an AVIF image';
    if (/^(heic|heix|hevc|mif1|msf1)$/.test(brand)) return 'a HEIC/HEIF image';
    return 'an ISO media file (video or image)';
  }
  if (head.startsWith('BM')) return 'a BMP image';
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return 'a TIFF image';
  if (head.startsWith('%PDF-')) return 'a PDF document';
  if (startsWith(bytes, [0, 0, 1, 0])) return 'an ICO icon';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive';
  const text = utf8Text(bytes.subarray(0, 4096));
  if (text !== undefined) {
    if (/<svg[\s>]/i.test(text)) return 'an SVG image';
    if (/^\s*</.test(text)) return 'an XML or HTML document';
    return 'text';
  }
  const hex = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return `data of an unknown kind (it starts with ${hex})`;
}

/** The text of bytes that are UTF-8 without control characters (tabs and newlines aside). */
function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    // Tab, line feed, form feed and carriage return are the only control bytes text has.
    if (bytes.some((byte) => (byte < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d].includes(byte)) || byte === 0x7f))
      return undefined;
    // A cut at 4096 bytes may split the last character; the decoder is strict, so trim one.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (bytes.byteLength === 4096) return utf8Text(bytes.subarray(0, 4092));
    return undefined;
  }
}

const damaged = (format: string, what: string) => new UnsupportedImageError(`a damaged ${format} (${what})`);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG defines it (ISO 3309), over a chunk's type and data. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Channels per PNG colour type, and the bit depths each allows (PNG 1.2, 11.2.2). */
const PNG_COLOUR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** Adam7's passes: start and step in x and y. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Bytes of the filtered scanlines: one filter byte per row plus the row's packed pixels. */
function pngDataLength(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) =>
    w === 0 || h === 0 ? 0 : h * (1 + Math.ceil((w * bitsPerPixel) / 8));
  if (!interlaced) return rows(width, height);
  return ADAM7.reduce(
    (sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)),
    0,
  );
}

/**
 * PNG (ISO/IEC 15948): the signature, then chunks (length, type, data, CRC) from IHDR to IEND,
 * each inside the file and with a correct CRC; one palette for indexed colour; IDAT data that
 * inflates to exactly the scanlines IHDR announces. An animated PNG is refused: the PDF shows
 * one picture.
 */
function readPng(bytes: Uint8Array): SniffedImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = PNG_SIGNATURE.length;
  let header:
    | { width: number; height: number; depth: number; colour: number; interlaced: boolean }
    | undefined;
  let palette = false;
  const data: Uint8Array[] = [];
  let ended = false;
  while (!ended) {
    if (at + 12 > bytes.byteLength) throw damaged('PNG', `it ends at byte ${bytes.byteLength} without IEND`);
    const length = view.getUint32(at);
    const type = ascii(bytes, at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw damaged('PNG', `no chunk type at byte ${at + 4}`);
    const end = at + 12 + length;
    if (end > bytes.byteLength) throw damaged('PNG', `its ${type} chunk is cut off`);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length))
      throw damaged('PNG', `the CRC of its ${type} chunk is wrong`);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (header === undefined && type !== 'IHDR') throw damaged('PNG', 'IHDR is not its first chunk');
    switch (type) {
      case 'IHDR': {
        if (header !== undefined || length !== 13) throw damaged('PNG', 'a malformed IHDR');
        const ihdr = new DataView(body.buffer, body.byteOffset, 13);
        header = {
          width: ihdr.getUint32(0),
          height: ihdr.getUint32(4),
          depth: ihdr.getUint8(8),
          colour: ihdr.getUint8(9),
          interlaced: ihdr.getUint8(12) === 1,
        };
        const allowed = PNG_COLOUR_TYPES[header.colour];
        if (
          header.width === 0 ||
          header.height === 0 ||
          header.width > 0x7fffffff ||
          header.height > 0x7fffffff
        )
          throw damaged('PNG', `dimensions ${header.width} × ${header.height}`);
        if (!allowed?.depths.includes(header.depth))
          throw damaged('PNG', `colour type ${header.colour} with bit depth ${header.depth}`);
        if (ihdr.getUint8(10) !== 0 || ihdr.getUint8(11) !== 0 || ihdr.getUint8(12) > 1)
          throw damaged('PNG', 'an unknown compression, filter or interlace method');
        break;
      }
      case 'PLTE':
        palette = true;
        break;
      case 'acTL':
        throw new UnsupportedImageError('an animated PNG (APNG); save one frame as a PNG');
      case 'IDAT':
        data.push(body);
        break;
      case 'IEND':
        ended = true;
        break;
    }
    at = end;
  }
  if (header === undefined) throw damaged('PNG', 'no IHDR');
  if (header.colour === 3 && !palette) throw damaged('PNG', 'an indexed-colour image without a palette');
  if (data.length === 0) throw damaged('PNG', 'no image data (IDAT)');
  const { width, height, depth, colour, interlaced } = header;
  const bitsPerPixel = depth * (PNG_COLOUR_TYPES[colour]?.channels ?? 1);
  const expected = pngDataLength(width, height, bitsPerPixel, interlaced);
  // The side limit comes first, so a decompression bomb is refused before it is inflated.
  if (width <= LOGO_MAX_SIDE && height <= LOGO_MAX_SIDE) {
    let inflated: Buffer;
    try {
      inflated = inflateSync(Buffer.concat(data), { maxOutputLength: expected + 1 });
    } catch (error) {
      throw new UnsupportedImageError('a damaged PNG (its image data does not inflate)', { cause: error });
    }
    if (inflated.byteLength !== expected)
      throw damaged(
        'PNG',
        `its image data holds ${inflated.byteLength} bytes of the ${expected} its size needs`,
      );
  }
  return { contentType: 'image/png', width, height };
}

/** SOF markers of the JPEG processes PDF's DCTDecode displays: baseline, extended, progressive (Huffman). */
const SOF_SUPPORTED: Record<number, string> = { 192: 'baseline', 193: 'extended', 194: 'progressive' };
/** The other SOF markers: lossless, hierarchical and arithmetic-coded JPEGs, which PDF viewers do not show. */
const SOF_OTHER = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/**
 * JPEG (ITU-T T.81): SOI, then marker segments each inside the file, one SOF with the frame's
 * precision, dimensions and components, at least one scan (SOS) and EOI after the entropy-coded
 * data. Only 8-bit grey, YCbCr/RGB and CMYK frames of the Huffman processes are taken.
 */
function readJpeg(bytes: Uint8Array): SniffedImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  let frame: { width: number; height: number } | undefined;
  let scans = 0;
  for (;;) {
    if (at + 2 > bytes.byteLength) throw damaged('JPEG', `it ends at byte ${bytes.byteLength} without EOI`);
    if (bytes[at] !== 0xff) throw damaged('JPEG', `no marker at byte ${at}`);
    let marker = bytes[at + 1] ?? 0;
    // Fill bytes: any number of 0xFF before a marker.
    while (marker === 0xff && at + 2 < bytes.byteLength) {
      at++;
      marker = bytes[at + 1] ?? 0;
    }
    at += 2;
    if (marker === 0xd9) break;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (at + 2 > bytes.byteLength) throw damaged('JPEG', 'a marker segment is cut off');
    const length = view.getUint16(at);
    if (length < 2 || at + length > bytes.byteLength) throw damaged('JPEG', 'a marker segment is cut off');
    if (SOF_OTHER.has(marker))
      throw new UnsupportedImageError(
        'a lossless, hierarchical or arithmetic-coded JPEG; save it as a baseline or progressive JPEG',
      );
    if (SOF_SUPPORTED[marker] !== undefined) {
      if (frame !== undefined || length < 8) throw damaged('JPEG', 'a malformed SOF segment');
      const precision = view.getUint8(at + 2);
      const height = view.getUint16(at + 3);
      const width = view.getUint16(at + 5);
      const components = view.getUint8(at + 7);
      if (precision !== 8)
        throw new UnsupportedImageError(`a ${precision}-bit JPEG; save it with 8 bits per channel`);
      if (width === 0 || height === 0) throw damaged('JPEG', `dimensions ${width} × ${height}`);
      if (![1, 3, 4].includes(components) || length !== 8 + 3 * components)
        throw damaged('JPEG', `a frame of ${components} components`);
      frame = { width, height };
    }
    at += length;
    if (marker === 0xda) {
      if (frame === undefined) throw damaged('JPEG', 'a scan before its frame header (SOF)');
      scans++;
      // Entropy-coded data runs to the next marker that is neither a stuffed 0xFF00 nor a restart.
      while (at < bytes.byteLength) {
        if (bytes[at] === 0xff) {
          const next = bytes[at + 1];
          if (next === undefined) break;
          if (next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break;
        }
        at++;
      }
    }
  }
  if (frame === undefined) throw damaged('JPEG', 'no frame header (SOF)');
  if (scans === 0) throw damaged('JPEG', 'no image data (SOS)');
  return { contentType: 'image/jpeg', ...frame };
}
