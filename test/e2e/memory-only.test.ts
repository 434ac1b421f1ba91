import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { startLocalStack } from '../../local/stack';
import { adminClient } from '../support/admin-client';

/**
 * DATA_DIR=memory keeps nothing anywhere: the sandbox org is not written down, and the folder
 * of the local key file (which the functions need while the stack runs) goes at stop.
 */
test('a stack without a data folder leaves no file behind: no org on disk, the key folder removed at stop', async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const adminToken = 'memory-e2e-admin-token-0123456789';
  const stack = await startLocalStack({
    externalEmulators: true,
    port: 0,
    sandboxPort: 0,
    prefix: `e2e-memory-${randomUUID().slice(0, 8)}`,
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
