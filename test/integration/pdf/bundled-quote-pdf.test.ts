import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { HouseFunction } from '../../../infra/constructs/house-function';
import { handlerDefinitions, handlerEntry, REPOSITORY_ROOT } from '../../../infra/handlers';
import { BUNDLED_FONT_DIR, QUOTE_FONT_FILES } from '../../../shared/adapters/pdf/quote-fonts';
import { httpApiEvent } from '../../support/api-gateway';
import { createTable } from '../../support/aws';
import { extractPdfText } from '../../support/extract-pdf-text';
import { storeDraftQuote } from '../../support/stored-quotes';

/**
 * The function that renders quote PDFs, bundled by CDK exactly as a deploy bundles it (local
 * esbuild, then the font files copied beside index.js), and run from a folder with no
 * node_modules anywhere above it: the PDF it answers must carry its Unicode text.
 */
const RENDERING_HANDLER = 'quote-actions';
const ADMIN_TOKEN = 'bundle-test-admin-token-0123456789';
const names = ['Wdrożenie w Łodzi', 'Поддержка', 'Ελλάδα'];

let outdir: string;
let bundle: string;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'bundle-'));
  const definition = handlerDefinitions[RENDERING_HANDLER];
  const app = new App({ outdir });
  const stack = new Stack(app, 'BundleTest');
  new HouseFunction(stack, 'Renderer', {
    handlerName: RENDERING_HANDLER,
    entry: handlerEntry(RENDERING_HANDLER),
    projectRoot: REPOSITORY_ROOT,
    description: definition.description,
    timeout: Duration.seconds(29),
    memorySize: definition.memorySize,
    logLevel: 'ERROR',
    ...(definition.bundledFiles ? { bundledFiles: definition.bundledFiles() } : {}),
  });
  const assembly = app.synth();
  const assets = readdirSync(assembly.directory).filter((name) =>
    existsSync(join(assembly.directory, name, 'index.js')),
  );
  expect(assets).toHaveLength(1);
  bundle = join(assembly.directory, assets[0] ?? '');
}, 120_000);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

test('the bundle carries its fonts and no node_modules', () => {
  const contents = readdirSync(bundle);
  expect(contents).toEqual(expect.arrayContaining(['index.js', BUNDLED_FONT_DIR]));
  expect(contents).not.toContain('node_modules');
  expect(readdirSync(join(bundle, BUNDLED_FONT_DIR)).sort()).toEqual(
    [...Object.values(QUOTE_FONT_FILES), 'LICENSE-DejaVu'].sort(),
  );
});

test('the bundled function answers a quote PDF whose text is the Unicode text of the quote', async () => {
  const table = await createTable();
  const bucket = `bundle-${randomUUID().slice(0, 8)}`;
  const s3 = new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();

  await storeDraftQuote(
    table,
    { siteId: 'bundle', quoteId: 'q-1', number: 7, title: 'Wdrożenie w Łodzi (Łódź)' },
    names.map((name) => ({ name, quantity: 1, unitPrice: 100 })),
  );

  const event = httpApiEvent({
    method: 'GET',
    path: '/sites/bundle/quotes/q-1/pdf',
    routeKey: 'GET /sites/{siteId}/quotes/{quoteId}/pdf',
    pathParameters: { siteId: 'bundle', quoteId: 'q-1' },
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const script = join(outdir, 'invoke.cjs');
  writeFileSync(
    script,
    `const { handler } = require(${JSON.stringify(join(bundle, 'index.js'))});
const context = { awsRequestId: 'bundle-test', functionName: 'bundle', getRemainingTimeInMillis: () => 29000 };
handler(${JSON.stringify(event)}, context).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error) => { console.error(error); process.exit(1); },
);`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, [script], {
    cwd: outdir,
    maxBuffer: 16 * 1024 * 1024,
    env: {
      ...process.env,
      TABLE_NAME: table,
      SYNC_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unused',
      SYNC_RUN_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unused',
      BUCKET_NAME: bucket,
      PUBLIC_BASE_URL: 'http://127.0.0.1:3999',
      ADMIN_TOKEN,
      LOCAL_KEY_FILE: join(outdir, 'master.key'),
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
      SALESFORCE_CLIENT_ID: 'unused',
      SALESFORCE_CLIENT_SECRET: 'unused',
      SALESFORCE_LOGIN_ENDPOINTS: JSON.stringify({
        production: 'http://127.0.0.1:9',
        sandbox: 'http://127.0.0.1:9',
        'my-domain': 'http://127.0.0.1:9',
      }),
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // Nothing may come from the repository's node_modules.
      NODE_PATH: '',
    },
  });
  const result = JSON.parse(stdout) as { statusCode: number; body: string; headers: Record<string, string> };
  expect(result.statusCode).toBe(200);
  expect(result.headers['content-type']).toBe('application/pdf');
  const text = (await extractPdfText(Buffer.from(result.body, 'base64'))).pages.flat();
  for (const name of names) expect(text).toContain(name);
  expect(text).toContain('Wdrożenie w Łodzi (Łódź)');
}, 60_000);
