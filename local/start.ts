import { resolve } from 'node:path';
import * as z from 'zod';
import { parseConfig } from '../shared/config/env';
import { describeConsoleBuild, ensureConsoleBuilt } from './console-build';
import type { DemoSite } from './demo';
import { LOG_FORMATS, writeLogsAsText } from './log-output';
import { type LocalStack, localStack, StartAbortedError } from './stack';

/**
 * `npm start`: the local stack with embedded defaults. Everything listens on 127.0.0.1 only.
 * SIGINT (Ctrl-C) or SIGTERM, during start-up too, stops every part, saves what persists and
 * exits within 5 s. `npm start` execs this process (package.json), so npm's signal reaches it:
 * npm forwards SIGINT and SIGTERM to its child only, and a `sh -c` between them (dash does not
 * exec the last command) would die of the signal and leave this process running.
 */
const DEFAULT_ADMIN_TOKEN = 'local-admin-token-change-me';

const localConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').default(DEFAULT_ADMIN_TOKEN),
  /** Folder for persisted data; "memory" keeps nothing across restarts. */
  DATA_DIR: z.string().default('.local/data'),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  /** `text`: one short line per event; `json`: the lines as the functions write them in AWS. */
  LOG_FORMAT: z.enum(LOG_FORMATS).default('text'),
});

/** The stack's parts stop within their budgets; this is the backstop if one does not. */
const STOP_DEADLINE_MS = 4_500;

async function main() {
  const config = parseConfig(localConfigSchema);
  process.env.POWERTOOLS_LOG_LEVEL ??= config.LOG_LEVEL;
  if (config.LOG_FORMAT === 'text') writeLogsAsText(process.stdout);
  const dataDir = config.DATA_DIR === 'memory' ? undefined : resolve(config.DATA_DIR);
  const consoleBuild = ensureConsoleBuilt(resolve(__dirname, '..'), (line) => console.log(line));
  const control = localStack({
    port: config.PORT,
    adminToken: config.ADMIN_TOKEN,
    ...(dataDir ? { dataDir } : {}),
    sandboxPort: config.SANDBOX_PORT,
    onListening: (url) => console.log(`starting: API on ${url}; GET ${url}/health answers 200 once ready`),
    // The stack's own lines (the gateway's requests at DEBUG, the event sources' warnings) in
    // the functions' shape, so they read the same in either format.
    log: (line) => {
      if (config.LOG_LEVEL === 'DEBUG' || line.level === 'WARN' || line.level === 'ERROR')
        console.log(JSON.stringify({ timestamp: new Date().toISOString(), service: 'local', ...line }));
    },
  });

  // Installed before anything starts: a signal during start-up stops what has started.
  const stop = async (signal: string, exitCode: number) => {
    console.log(`\n${signal}: stopping…`);
    setTimeout(() => {
      console.error(`the local stack did not stop within ${STOP_DEADLINE_MS} ms; exiting anyway`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    await control.stop();
    process.exit(exitCode);
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // A terminal's Ctrl-C reaches this process twice: from the terminal and relayed by npm.
      if (stopping) return;
      stopping = true;
      void stop(signal, 0);
    });
  }

  let stack: Awaited<ReturnType<typeof control.start>>;
  try {
    stack = await control.start();
  } catch (error) {
    if (error instanceof StartAbortedError) return; // the signal's stop exits
    console.error(`the local stack did not start: ${error instanceof Error ? error.message : error}`);
    stopping = true;
    return stop('start-up failure', 1);
  }

  const { sandbox, demo } = stack;
  // The built-in token is printed for convenience; a token of the user's own is a secret.
  const ownToken = config.ADMIN_TOKEN !== DEFAULT_ADMIN_TOKEN;
  const adminTokenShown = ownToken
    ? 'Authorization: Bearer $ADMIN_TOKEN (the one you set)'
    : `Authorization: Bearer ${config.ADMIN_TOKEN}`;
  const auth = ownToken
    ? `-H "Authorization: Bearer $ADMIN_TOKEN"`
    : `-H 'Authorization: Bearer ${config.ADMIN_TOKEN}'`;
  const consoleState = describeConsoleBuild(consoleBuild);
  const people = stack.console.people
    .map(
      (person) =>
        `${person.email.padEnd(18)} ${
          person.password === config.ADMIN_TOKEN && ownToken ? '$ADMIN_TOKEN' : person.password
        }  ${person.role} of "${person.siteId}"${person.password === config.ADMIN_TOKEN ? ' (the admin token)' : ''}`,
    )
    .join('\n  ');
  console.log(`salesforce-quote-sync local stack
  runtime        Node.js ${process.version} (${process.execPath})
  console        ${stack.console.url} (${consoleState}; who signs in: below)
  API            ${stack.url}
  health         ${stack.url}/health
  admin token    ${adminTokenShown}
  data           ${dataDir ?? 'in memory'}${dataDir ? ` (restored ${stack.restored.messages} queued message(s), ${stack.restored.objects} stored object(s))` : ''}
  DynamoDB       ${stack.endpoints.dynamodb}, table ${stack.resources.tableName}
  SQS and S3     ${stack.endpoints.sqsAndS3}
  sync queue     ${stack.resources.syncQueueUrl}
  dead letters   ${stack.resources.deadLetterQueueUrl}
                 redrive: npm run redrive -- --queue ${stack.resources.deadLetterQueueUrl}
  bucket         ${stack.resources.bucketName}

Salesforce sandbox (a local org)
  login URL      ${sandbox.loginUrl}
  organization   ${sandbox.organizationId}
  user           ${sandbox.username} / ${sandbox.password}
  kept in        ${orgKept(sandbox.persistence)}
  connected app  client id ${sandbox.clientId}
                 client secret ${sandbox.clientSecret}
${demo ? demoBanner(demo, stack.url, auth) : ''}

Console ${stack.console.url}: sign in with an e-mail address and its password
  ${people}

Stop with Ctrl-C.`);
}

/** Where the sandbox org persists and whether this start continued it. */
function orgKept(persistence: LocalStack['sandbox']['persistence']): string {
  if (!persistence) return 'memory only (a new org on every start)';
  const continued = persistence.restored
    ? `continued the saved org: ${persistence.records} records`
    : 'a new org, saved from now on';
  const aside = persistence.setAside
    ? `; the unreadable ${persistence.setAside.file} was set aside (${persistence.setAside.reason})`
    : '';
  return `${persistence.file} (${continued}${aside})`;
}

/** What the demo site is, what this start did to it, and the first calls to try. */
function demoBanner(demo: DemoSite, url: string, auth: string): string {
  const { connection, settings, setup } = demo.status;
  const stage = settings.opportunityToQuote.stage;
  const flow = setup.flow
    ? `flow version ${setup.flow.version}${setup.lastAttempt?.ok === false ? ` (its last deploy failed: ${setup.lastAttempt.error})` : ''}`
    : `no flow deployed${setup.lastAttempt?.error ? ` (${setup.lastAttempt.error})` : ''}`;
  const site = `/sites/${demo.siteId}`;
  return [
    '',
    `Demo site "${demo.siteId}": ${connection.status === 'connected' ? `connected to ${connection.organizationId}` : connection.status}, stage "${stage ?? '-'}", ${flow}.`,
    `  This start ${demo.done.length > 0 ? `${demo.done.join(', ')}` : 'changed nothing: settings and connection are as they were'}.`,
    ...(demo.initialSync
      ? [
          `  "Synchronize now" found ${demo.initialSync.counts.found} opportunity(ies) at "${stage}" (${demo.initialSync.status}).`,
        ]
      : []),
    '  Status, settings and outbound-message URL:',
    `    curl -s ${auth} ${url}${site}/salesforce`,
    '  Quotes (take a quoteId), then lines, the PDF, and Send to Salesforce:',
    `    curl -s ${auth} ${url}${site}/quotes`,
    `    curl -s ${auth} -X PUT -H 'content-type: application/json' ${url}${site}/quotes/<quoteId>/lines \\`,
    `      -d '{"lines":[{"name":"Design","quantity":3,"unit":"h","unitPrice":"95.00","vatPercent":20}]}'`,
    `    curl -s ${auth} -o quote.pdf ${url}${site}/quotes/<quoteId>/pdf`,
    `    curl -s ${auth} -X POST ${url}${site}/quotes/<quoteId>/send-to-salesforce`,
    stage
      ? `  An opportunity that reaches "${stage}" in the sandbox becomes a quote within seconds.`
      : '  Choose a stage in the settings to sync opportunities.',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
