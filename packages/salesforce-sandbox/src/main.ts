import { startSalesforceSandbox } from './server';

/** `npm run sandbox`: the local Salesforce org on its own. */
async function main(): Promise<void> {
  const dataDir = process.env.SANDBOX_DATA_DIR;
  const sandbox = await startSalesforceSandbox(dataDir ? { dataDir } : {});
  const lines = [
    `Salesforce sandbox listening on ${sandbox.url}`,
    `  login URL      ${sandbox.loginUrl}`,
    `  organization   ${sandbox.organizationId}`,
    `  username       ${sandbox.username}`,
    `  password       ${sandbox.password}`,
    `  client id      ${sandbox.clientId}`,
    `  client secret  ${sandbox.clientSecret}`,
    `  control plane  ${sandbox.url}/_sandbox`,
    `  kept in        ${sandbox.persistence ? `${sandbox.persistence.file}${sandbox.persistence.restored ? ' (continued)' : ' (a new org)'}` : 'memory only (SANDBOX_DATA_DIR keeps it in a folder)'}`,
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox`);
    sandbox.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
