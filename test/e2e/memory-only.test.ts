import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { adminClient } from '../support/admin-client';
import { startInProcessStack } from '../support/in-process-stack';

/**
 * DATA_DIR=memory keeps nothing anywhere: the sandbox org is not written down, and the folder
 * of the local key file (which the functions need while the stack runs) goes at stop.
 */
test('a stack without a data folder leaves no file behind: no org on disk, the key folder removed at stop', async () => {
  const adminToken = 'memory-e2e-admin-token-0123456789';
  const stack = await startInProcessStack('memory', {
    adminToken,
    demo: false,
  });
  let keyFolder = '';
  try {
    expect(stack.sandbox.persistence).toBeUndefined();
    // A site's webhook secret is derived from the key: its creation writes the key file.
    await adminClient(() => stack.url, adminToken).api('PUT', '/sites/memory-only', { name: 'Memory only' });
    const keyFile = String(process.env.LOCAL_KEY_FILE);
    expect(existsSync(keyFile)).toBe(true);
    keyFolder = dirname(dirname(keyFile));
  } finally {
    await stack.stop();
  }
  expect(existsSync(keyFolder)).toBe(false);
}, 60_000);
