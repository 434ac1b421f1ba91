import type { Emulators } from '../../local/emulators';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __emulators__?: Emulators }).__emulators__?.stop();
}
