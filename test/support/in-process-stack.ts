import { randomUUID } from 'node:crypto';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack';

/**
 * The local stack in this test process, as an e2e file starts it: on the emulators of the global
 * set-up, with free ports, resource names of its own (so files run side by side) and the
 * functions' logs silenced. `env` is set before the start: the functions read it when they load,
 * at their first call, as on a Lambda cold start.
 */
export function startInProcessStack(
  name: string,
  options: Omit<LocalStackOptions, 'port' | 'sandboxPort'> & { env?: Record<string, string> },
): Promise<LocalStack> {
  const { env = {}, ...stack } = options;
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'SILENT', ...env });
  return startLocalStack({
    externalEmulators: true,
    port: 0,
    sandboxPort: 0,
    prefix: `e2e-${name}-${randomUUID().slice(0, 8)}`,
    ...stack,
  });
}

/** The demo site's outbound message URL and org, from its status: what a test posts a message with. */
export async function demoOutbound(
  call: (method: 'GET', path: string) => Promise<unknown>,
): Promise<{ outboundUrl: string; organizationId: string }> {
  const status = (await call('GET', '/sites/demo/salesforce')) as {
    outboundMessageUrl: string;
    connection: { organizationId: string };
  };
  return { outboundUrl: status.outboundMessageUrl, organizationId: status.connection.organizationId };
}
