import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole } from '../console/build';
import { round } from './support';

/**
 * The admin console's build: what a first visit downloads (gzipped JavaScript, the 150 KB
 * budget), what loads only on demand (the PDF preview: pdf.js and its worker), the stylesheet,
 * and how long esbuild takes.
 */
export async function benchConsoleBundle() {
  const outdir = mkdtempSync(join(tmpdir(), 'console-bench-'));
  try {
    const start = process.hrtime.bigint();
    const built = await buildConsole(outdir);
    const buildMs = Number(process.hrtime.bigint() - start) / 1e6;
    const kb = (bytes: number) => round(bytes / 1000, 1);
    return {
      firstLoadJsKb: kb(built.firstLoad.bytes),
      firstLoadJsGzipKb: kb(built.firstLoad.gzipBytes),
      firstLoadTargetGzipKb: 150,
      onDemandGzipKb: kb(built.onDemandGzipBytes),
      cssGzipKb: kb(built.cssGzipBytes),
      buildMs: round(buildMs, 0),
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
