import { awsEnvironmentFor, startEmulators } from '../../local/emulators';
import { prepareChromium } from './chromium';

/**
 * One set of emulators for the whole run, in the runner's own process. The AWS endpoint
 * variables set here are inherited by every test worker, so tests build ordinary SDK clients.
 * The browser tests' Chromium is unpacked here too: its package is ESM only, which the runner's
 * own process can import and the test workers cannot.
 */
export default async function globalSetup(): Promise<void> {
  const [emulators] = await Promise.all([startEmulators(), prepareChromium()]);
  Object.assign(process.env, awsEnvironmentFor(emulators));
  // Handlers under test write no EMF lines unless a test asks for them (test/unit/metrics).
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  (globalThis as { __emulators__?: typeof emulators }).__emulators__ = emulators;
}
