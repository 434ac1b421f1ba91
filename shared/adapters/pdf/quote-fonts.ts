import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The fonts quote PDFs are set in: DejaVu Sans, regular and bold. One family covers Latin with
 * Extended-A and -B (Polish, Latvian, Lithuanian, Estonian, Czech, Romanian, Vietnamese …),
 * Greek, Cyrillic, the currency signs and U+FFFD, so a line never changes font mid-word and
 * text extracted from the PDF is the text that was printed. CJK is not covered: such characters
 * print as U+FFFD and are reported by the renderer.
 */
export const QUOTE_FONT_PACKAGE = 'dejavu-fonts-ttf';
export const QUOTE_FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
/** The font licence travels with the font files (the Bitstream Vera terms ask for that). */
export const QUOTE_FONT_LICENCE = 'LICENSE';

/**
 * A Lambda bundle is one index.js without node_modules: infra copies the font files into this
 * folder beside it (see `quoteFontBundleFiles`), and the renderer looks there first.
 */
export const BUNDLED_FONT_DIR = 'fonts';

export interface QuoteFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

/** The package's folder of TrueType files, as installed in node_modules. */
export function installedFontDirectory(): string {
  return join(dirname(require.resolve(`${QUOTE_FONT_PACKAGE}/package.json`)), 'ttf');
}

/** Absolute source paths of what a bundle must carry, and their names inside BUNDLED_FONT_DIR. */
export function quoteFontBundleFiles(): Array<{ from: string; to: string }> {
  const fonts = installedFontDirectory();
  return [
    ...Object.values(QUOTE_FONT_FILES).map((file) => ({
      from: join(fonts, file),
      to: join(BUNDLED_FONT_DIR, file),
    })),
    {
      from: join(dirname(fonts), QUOTE_FONT_LICENCE),
      to: join(BUNDLED_FONT_DIR, `${QUOTE_FONT_LICENCE}-DejaVu`),
    },
  ];
}

/**
 * Where the fonts are read from: beside the bundle when running as a Lambda (`__dirname` is the
 * bundle's folder there), else from node_modules (tests, the local stack).
 */
export function fontDirectory(moduleDirectory: string = __dirname): string {
  const bundled = join(moduleDirectory, BUNDLED_FONT_DIR);
  if (existsSync(join(bundled, QUOTE_FONT_FILES.regular))) return bundled;
  return installedFontDirectory();
}

let cached: Promise<QuoteFonts> | undefined;

/** Reads the font files once per process (about 1.4 MB); a failed read is retried next time. */
export function loadQuoteFonts(): Promise<QuoteFonts> {
  if (!cached) {
    const directory = fontDirectory();
    cached = Promise.all([
      readFile(join(directory, QUOTE_FONT_FILES.regular)),
      readFile(join(directory, QUOTE_FONT_FILES.bold)),
    ]).then(
      ([regular, bold]) => ({ regular, bold }),
      (error: unknown) => {
        cached = undefined;
        throw new Error(`The quote fonts cannot be read from ${directory}`, { cause: error });
      },
    );
  }
  return cached;
}
