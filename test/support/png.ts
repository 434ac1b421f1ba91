import { crc32, deflateSync } from 'node:zlib';

// PNG files made byte by byte, for the upload's sniffing and the PDF's embedding.

/** A PNG chunk: length, type, data and its CRC. */
export function chunk(type: string, data: Uint8Array | Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of the given header whose pixel data is all zero (filter 0), as long as IHDR asks. */
export function makePng(
  width: number,
  height: number,
  options: { depth?: number; colour?: number; interlaced?: boolean; extra?: Buffer[]; rows?: number } = {},
) {
  const { depth = 8, colour = 6, interlaced = false } = options;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(depth, 8);
  ihdr.writeUInt8(colour, 9);
  ihdr.writeUInt8(interlaced ? 1 : 0, 12);
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colour] ?? 1;
  const rowBytes = 1 + Math.ceil((width * depth * channels) / 8);
  // Written out here again rather than taken from site-logo.ts, so the files test its reading.
  const passes = interlaced
    ? [
        [0, 0, 8, 8],
        [4, 0, 8, 8],
        [0, 4, 4, 8],
        [2, 0, 4, 4],
        [0, 2, 2, 4],
        [1, 0, 2, 2],
        [0, 1, 1, 2],
      ].reduce((sum, [x0 = 0, y0 = 0, dx = 1, dy = 1]) => {
        const w = Math.ceil((width - x0) / dx);
        const h = Math.ceil((height - y0) / dy);
        return sum + (w > 0 && h > 0 ? h * (1 + Math.ceil((w * depth * channels) / 8)) : 0);
      }, 0)
    : (options.rows ?? height) * rowBytes;
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      ...(options.extra ?? []),
      chunk('IDAT', deflateSync(Buffer.alloc(passes))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** Every colour type with a bit depth it allows (PNG 1.2, 11.2.2): [colour type, depth, extra chunks]. */
export const PNG_VARIANTS: Array<[number, number, Buffer[]]> = [
  [0, 1, []],
  [0, 16, []],
  [2, 8, []],
  [2, 16, []],
  [3, 4, [chunk('PLTE', Buffer.from([0, 0, 0, 255, 255, 255]))]],
  [4, 8, []],
  [6, 16, []],
];
