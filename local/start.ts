import { resolve } from 'node:path';
import * as z from 'zod';
import { parseConfig } from '../shared/config/env';
import { startLocalStack } from './stack';

/**
 * `npm start`: the local stack with embedded defaults. Everything listens on 127.0.0.1 only.
 * Ctrl-C or SIGTERM stops every part and exits.
 */
const DEFAULT_ADMIN_TOKEN = 'local-admin-token-change-me';

const localConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').default(DEFAULT_ADMIN_TOKEN),
  /** Folder for persisted data; "memory" keeps nothing across restarts. */
  DATA_DIR: z.string().default('.local/data'),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
});

async function main() {
  const config = parseConfig(localConfigSchema);
  process.env.POWERTOOLS_LOG_LEVEL ??= config.LOG_LEVEL;
  const dataDir = config.DATA_DIR === 'memory' ? undefined : resolve(config.DATA_DIR);
  const stack = await startLocalStack({
    port: config.PORT,
    adminToken: config.ADMIN_TOKEN,
    ...(dataDir ? { dataDir } : {}),
    sandboxPort: config.SANDBOX_PORT,
    log: (line) => {
      if (config.LOG_LEVEL === 'DEBUG') console.log(JSON.stringify(line));
    },
  });

  const { sandbox, demo } = stack;
  // The built-in token is printed for convenience; a token of the user's own is a secret.
  const ownToken = config.ADMIN_TOKEN !== DEFAULT_ADMIN_TOKEN;
  const adminTokenShown = ownToken
    ? 'Authorization: Bearer $ADMIN_TOKEN (the one you set)'
    : `Authorization: Bearer ${config.ADMIN_TOKEN}`;
  const auth = ownToken
    ? `-H "Authorization: Bearer $ADMIN_TOKEN"`
    : `-H 'Authorization: Bearer ${config.ADMIN_TOKEN}'`;
  console.log(`salesforce-quote-sync local stack
  API            ${stack.url}
  health         ${stack.url}/health
  admin token    ${adminTokenShown}
  data           ${dataDir ?? 'in memory'}${dataDir ? ` (restored ${stack.restored.messages} queued message(s), ${stack.restored.objects} stored object(s))` : ''}
  table          ${stack.resources.tableName}
  sync queue     ${stack.resources.syncQueueUrl}
  dead letters   ${stack.resources.deadLetterQueueUrl}
  bucket         ${stack.resources.bucketName}

Salesforce sandbox (a local org)
  login URL      ${sandbox.loginUrl}
  organization   ${sandbox.organizationId}
  user           ${sandbox.username} / ${sandbox.password}
  connected app  client id ${sandbox.clientId}
                 client secret ${sandbox.clientSecret}
${
  demo
    ? `
Demo site "${demo.siteId}": connected to ${demo.organizationId} through OAuth; flow version ${demo.flowVersion ?? '-'} ${
        demo.lastAttempt?.ok ? 'deployed' : `NOT deployed (${demo.lastAttempt?.error ?? 'no attempt'})`
      }.
  Its first "Synchronize now" found ${demo.initialSync.counts.found} opportunity(ies) at "Proposal/Price Quote" (${demo.initialSync.status}).
  Status, settings and outbound-message URL:
    curl -s ${auth} ${stack.url}/sites/${demo.siteId}/salesforce
  Quotes (take a quoteId), then lines, the PDF, and Send to Salesforce:
    curl -s ${auth} ${stack.url}/sites/${demo.siteId}/quotes
    curl -s ${auth} -X PUT -H 'content-type: application/json' ${stack.url}/sites/${demo.siteId}/quotes/<quoteId>/lines \\
      -d '{"lines":[{"name":"Design","quantity":3,"unit":"h","unitPrice":"95.00","vatPercent":20}]}'
    curl -s ${auth} -o quote.pdf ${stack.url}/sites/${demo.siteId}/quotes/<quoteId>/pdf
    curl -s ${auth} -X POST ${stack.url}/sites/${demo.siteId}/quotes/<quoteId>/send-to-salesforce
  An opportunity that reaches "Proposal/Price Quote" in the sandbox becomes a quote within seconds.`
    : ''
}
Stop with Ctrl-C.`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
