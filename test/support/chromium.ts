/**
 * Unpacks the headless Chromium of @sparticuz/chromium (about 2 s the first time, then reused
 * from the temp folder) and hands its path and flags to the test workers through the
 * environment. An ESM-only package: loaded with a native import(), which only the runner's own
 * process has.
 */
export const CHROMIUM_PATH_VARIABLE = 'QUOTE_SYNC_TEST_CHROMIUM';
export const CHROMIUM_ARGS_VARIABLE = 'QUOTE_SYNC_TEST_CHROMIUM_ARGS';

export async function prepareChromium(): Promise<void> {
  try {
    const { default: chromium } = (await import(
      '@sparticuz/chromium'
    )) as typeof import('@sparticuz/chromium');
    process.env[CHROMIUM_PATH_VARIABLE] = await chromium.executablePath();
    process.env[CHROMIUM_ARGS_VARIABLE] = JSON.stringify(chromium.args);
  } catch (error) {
    // The browser tests then try Debian's chromium, and say why neither worked.
    process.env[`${CHROMIUM_PATH_VARIABLE}_ERROR`] = error instanceof Error ? error.message : String(error);
  }
}
