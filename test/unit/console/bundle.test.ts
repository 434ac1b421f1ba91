import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole, type ConsoleBuild } from '../../../console/build';

/** The console's build: small, free of server code, and nothing inline that a strict CSP blocks. */
let built: ConsoleBuild;
let outdir: string;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'console-build-'));
  built = await buildConsole(outdir);
}, 60_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

test('a first visit loads at most 150 KB of gzipped JavaScript', () => {
  expect(built.firstLoad.gzipBytes).toBeLessThanOrEqual(150 * 1000);
});

test('no server code goes into the bundles: no zod, no AWS SDK, no route table, no Node built-ins', () => {
  const forbidden = built.inputs.filter(
    (input) =>
      /node_modules\/(zod|@aws-sdk|jsforce|@middy|zod-openapi|@aws-lambda-powertools)\//.test(input) ||
      /^(shared\/(http|use-cases|adapters|ports|middleware|config)|lambdas|infra|local)\//.test(input) ||
      input.startsWith('node:'),
  );
  expect(forbidden).toEqual([]);
  // The live quote totals are the server's own code, shared rather than copied.
  expect(built.inputs).toContain('shared/domain/quote-totals.ts');
  expect(built.inputs).toContain('shared/domain/settings-vocabulary.ts');
});

test('index.html has no inline script or style, only files of the build', () => {
  const html = readFileSync(join(outdir, 'index.html'), 'utf8');
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  for (const [, file] of html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)) expect(built.files).toContain(file);
});
