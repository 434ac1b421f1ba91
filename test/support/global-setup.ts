import { awsEnvironmentFor, startEmulators } from '../../local/emulators';

/**
 * One set of emulators for the whole run, in the runner's own process. The AWS endpoint
 * variables set here are inherited by every test worker, so tests build ordinary SDK clients.
 */
export default async function globalSetup(): Promise<void> {
  const emulators = await startEmulators();
  Object.assign(process.env, awsEnvironmentFor(emulators));
  (globalThis as { __emulators__?: typeof emulators }).__emulators__ = emulators;
}
