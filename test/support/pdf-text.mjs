// Prints the text of a PDF as JSON:
// {"pages": [["item", ...], ...], "positions": [[{"text", "x", "y", "width"}, ...], ...], "info": {...}}.
// Usage: node test/support/pdf-text.mjs <file.pdf>
// pdfjs-dist ships ESM only, and Jest runs the tests as CommonJS without native import(), so the
// tests run this script in a child process instead of loading pdfjs themselves.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node pdf-text.mjs <file.pdf>\n');
  process.exit(2);
}

const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const data = new Uint8Array(await readFile(file));
const loading = getDocument({
  data,
  // Errors only: pdfjs prints warnings on stdout, which must carry nothing but the JSON.
  verbosity: 0,
  isEvalSupported: false,
  disableFontFace: true,
  standardFontDataUrl: `${join(root, 'standard_fonts')}/`,
});
const pdf = await loading.promise;

const pages = [];
const positions = [];
for (let number = 1; number <= pdf.numPages; number++) {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  const items = content.items.filter((item) => 'str' in item && item.str.trim() !== '');
  pages.push(items.map((item) => item.str));
  // transform is [a, b, c, d, e, f]: e and f are the baseline origin in PDF points.
  positions.push(
    items.map((item) => ({ text: item.str, x: item.transform[4], y: item.transform[5], width: item.width })),
  );
}
const { info } = await pdf.getMetadata();
// The loading task owns the document and its worker (pdfjs 5 dropped the document's destroy()).
await loading.destroy();
process.stdout.write(JSON.stringify({ pages, positions, info }));
