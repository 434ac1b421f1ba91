import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface PdfText {
  /** The text items of each page, in content order. */
  pages: string[][];
  /** The same items with their baseline origin and width, in PDF points. */
  positions: Array<Array<{ text: string; x: number; y: number; width: number }>>;
  /** The document information dictionary (Title, Producer, CreationDate, …). */
  info: Record<string, unknown>;
}

/**
 * Extracts a PDF's text with pdfjs-dist in a child Node process (see pdf-text.mjs for why not
 * in-process).
 */
export async function extractPdfText(pdf: Uint8Array): Promise<PdfText> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-text-'));
  try {
    const file = join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'pdf-text.mjs'), file], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout) as PdfText;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
