import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Locator, type Page, chromium as playwright } from 'playwright-core';
import { CHROMIUM_ARGS_VARIABLE, CHROMIUM_PATH_VARIABLE } from './chromium';

/**
 * A real headless Chromium for the console's browser tests, from npm alone: @sparticuz/chromium
 * unpacks it (in the global setup, ./chromium.ts), playwright-core drives it. Debian's `chromium` is the fallback. Only 127.0.0.1 is
 * ever visited; the flags keep Chromium from calling home.
 */
const QUIET = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
];
/** Flags of @sparticuz/chromium's set that would hide what a real browser enforces (CSP, mixed content). */
const NOT_WANTED = new Set(['--disable-web-security', '--allow-running-insecure-content']);

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env[CHROMIUM_PATH_VARIABLE];
  try {
    if (!executablePath)
      throw new Error(
        `@sparticuz/chromium did not unpack: ${process.env[`${CHROMIUM_PATH_VARIABLE}_ERROR`]}`,
      );
    const args = JSON.parse(process.env[CHROMIUM_ARGS_VARIABLE] ?? '[]') as string[];
    return await playwright.launch({
      executablePath,
      args: [...args.filter((arg) => !NOT_WANTED.has(arg)), ...QUIET],
      headless: true,
    });
  } catch (error) {
    if (!existsSync('/usr/bin/chromium')) throw error;
    return playwright.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', ...QUIET],
      headless: true,
    });
  }
}

export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
  /** Answers with a status of 400 or more, as `403 GET /sites/other/salesforce`. */
  errorResponses: string[];
}

/** Records what a clean page must not have: console errors, page errors, failed requests. */
export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], failedRequests: [], errorResponses: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) {
      const url = new URL(response.url());
      problems.errorResponses.push(`${response.status()} ${response.request().method()} ${url.pathname}`);
    }
  });
  return problems;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core on the page as it is: the violations that are serious or critical. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // Runs in the page: its globals, not Node's.
    const { axe, document } = globalThis as unknown as {
      axe: { run: (context: unknown) => Promise<unknown> };
      document: unknown;
    };
    const result = (await axe.run(document)) as {
      violations: Array<{
        id: string;
        impact: string | null;
        help: string;
        nodes: Array<{ target: string[] }>;
      }>;
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-results', 'console');

/** A full-page screenshot under test-results/console/ (not committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** How wide the page's content is, in CSS pixels: wider than the viewport means it scrolls sideways. */
export function pageScrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => {
    // Runs in the page: its globals, not Node's.
    const { document } = globalThis as unknown as { document: { documentElement: { scrollWidth: number } } };
    return document.documentElement.scrollWidth;
  });
}

/** On how many lines the element's own text (its first text node) is laid out. */
export function textLines(locator: Locator): Promise<number> {
  return locator.evaluate((element) => {
    interface Rect {
      top: number;
    }
    const { document } = globalThis as unknown as {
      document: { createRange(): { selectNodeContents(node: unknown): void; getClientRects(): Rect[] } };
    };
    const text = [...(element as unknown as { childNodes: Array<{ nodeType: number }> }).childNodes].find(
      (node) => node.nodeType === 3, // Node.TEXT_NODE
    );
    if (!text) return 0;
    const range = document.createRange();
    range.selectNodeContents(text);
    return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
  });
}
