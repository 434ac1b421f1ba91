import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

/**
 * Builds the admin console into `console/dist`: one ES-module entry (plus chunks loaded on
 * demand, such as the PDF preview), one stylesheet, and index.html naming them. File names carry
 * a content hash, so everything but index.html may be cached for good. Nothing is inline: the
 * page runs under a Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval'.
 */
export const CONSOLE_DIR = __dirname;
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

/** pdf.js renders the quote's PDF in a worker of its own, a file served beside the app. */
const PDF_WORKER = require.resolve('pdfjs-dist/build/pdf.worker.min.mjs');

export interface ConsoleBuild {
  outdir: string;
  /** Files written, relative to outdir. */
  files: string[];
  /** JavaScript a first visit loads (the entry and the chunks it imports statically). */
  firstLoad: { files: string[]; bytes: number; gzipBytes: number };
  /** JavaScript loaded only when needed (the PDF preview), gzipped. */
  onDemandGzipBytes: number;
  cssGzipBytes: number;
  /** Every source file in the bundles, relative to the repository: what a test keeps server code out of. */
  inputs: string[];
}

const hashOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 10).toUpperCase();

export async function buildConsole(outdir = CONSOLE_DIST): Promise<ConsoleBuild> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });

  const worker = readFileSync(PDF_WORKER);
  const workerFile = `pdf.worker-${hashOf(worker)}.mjs`;
  copyFileSync(PDF_WORKER, join(outdir, workerFile));

  const result = await build({
    absWorkingDir: CONSOLE_DIR,
    entryPoints: { app: 'src/main.tsx', styles: 'src/styles.css' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: ['chrome120', 'firefox121', 'safari17'],
    platform: 'browser',
    minify: true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    metafile: true,
    legalComments: 'linked',
    define: { __PDF_WORKER_URL__: JSON.stringify(`./${workerFile}`) },
    logLevel: 'warning',
  });

  const outputs = result.metafile.outputs;
  const entry = outputFor(outputs, 'src/main.tsx');
  const css = outputFor(outputs, 'src/styles.css');
  const firstLoadFiles = staticClosure(outputs, entry);
  const size = (files: string[]) => {
    let bytes = 0;
    let gzipBytes = 0;
    for (const file of files) {
      const content = readFileSync(join(CONSOLE_DIR, file));
      bytes += content.length;
      gzipBytes += gzipSync(content).length;
    }
    return { bytes, gzipBytes };
  };
  const allJs = Object.keys(outputs).filter((file) => file.endsWith('.js'));
  const onDemand = allJs.filter((file) => !firstLoadFiles.includes(file));

  const rel = (file: string) => relative(outdir, join(CONSOLE_DIR, file));
  writeFileSync(join(outdir, 'index.html'), indexHtml(rel(entry), rel(css)));

  return {
    outdir,
    files: [...Object.keys(outputs).map(rel), workerFile, 'index.html'].sort(),
    firstLoad: { files: firstLoadFiles.map(rel), ...size(firstLoadFiles) },
    onDemandGzipBytes: size(onDemand).gzipBytes + gzipSync(worker).length,
    cssGzipBytes: size([css]).gzipBytes,
    inputs: Object.keys(result.metafile.inputs).map((input) =>
      relative(join(CONSOLE_DIR, '..'), join(CONSOLE_DIR, input)),
    ),
  };
}

function outputFor(outputs: Metafile['outputs'], entryPoint: string): string {
  const found = Object.entries(outputs).find(([, output]) => output.entryPoint === entryPoint);
  if (!found) throw new Error(`the console build has no output for ${entryPoint}`);
  return found[0];
}

/** The entry and every chunk reachable from it through static imports. */
function staticClosure(outputs: Metafile['outputs'], entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs[file]?.imports ?? [])
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  visit(entry);
  return [...seen];
}

function indexHtml(script: string, stylesheet: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Quote Sync console</title>
<link rel="stylesheet" href="./${stylesheet}">
<script type="module" src="./${script}"></script>
</head>
<body>
<noscript>The console needs JavaScript.</noscript>
<div id="app"></div>
</body>
</html>
`;
}

if (require.main === module) {
  buildConsole().then(
    (built) => {
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
      console.log(
        `console built into ${built.outdir}: first load ${kib(built.firstLoad.bytes)} of JavaScript, ${kib(built.firstLoad.gzipBytes)} gzipped (${built.firstLoad.files.join(', ')}); ${kib(built.onDemandGzipBytes)} gzipped on demand (PDF preview); CSS ${kib(built.cssGzipBytes)} gzipped`,
      );
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
