import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { buildConsole } from '../../console/build';
import { type LocalStack, startLocalStack } from '../../local/stack';
import {
  launchBrowser,
  type PageProblems,
  screenshot,
  seriousAxeViolations,
  watchPage,
} from '../support/browser';
import { serveConsole } from '../support/console-server';

/**
 * The admin console in a real headless Chromium against the local stack: the story of issue 14
 * through the UI only. Each page is screenshotted into test-results/console/, checked with
 * axe-core, and the browser's console must stay clean.
 */
const ADMIN_TOKEN = 'console-e2e-admin-token-0123456789';
/** Conditions may take a while on a loaded 2-core machine; waits are on conditions, never fixed sleeps. */
const WAIT = 30_000;

let stack: LocalStack;
let site: Awaited<ReturnType<typeof serveConsole>>;
let browser: Browser;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const [started, built, launched] = await Promise.all([
    startLocalStack({
      externalEmulators: true,
      port: 0,
      sandboxPort: 0,
      prefix: `e2e-console-${randomUUID().slice(0, 8)}`,
      adminToken: ADMIN_TOKEN,
      workerBatchingWindowMs: 200,
    }),
    buildConsole(),
    launchBrowser(),
  ]);
  stack = started;
  browser = launched;
  site = await serveConsole(built.outdir, stack.url);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(WAIT);
  problems = watchPage(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
  await stack?.stop();
});

async function checkPage(name: string) {
  await screenshot(page, name);
  expect(await seriousAxeViolations(page)).toEqual([]);
}

test('sign in with the admin token and open the demo site', async () => {
  await page.goto(site.url);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await checkPage('01-sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Choose a site' }).waitFor();
  await checkPage('02-sites');
  await page.getByRole('button', { name: 'Open site' }).click();
  await page.getByRole('heading', { name: 'Salesforce' }).waitFor();
  await checkPage('03-salesforce');
}, 120_000);

test('the browser console stayed clean', () => {
  expect(problems.consoleErrors).toEqual([]);
  expect(problems.failedRequests).toEqual([]);
  expect(problems.errorResponses).toEqual([]);
});
