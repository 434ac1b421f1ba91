import { type App, Tags } from 'aws-cdk-lib';
import type { StageConfig } from './config/stages';
import { ServiceStack } from './stacks/service-stack';
import { StatefulStack } from './stacks/stateful-stack';

export interface BuildInfraOptions {
  readonly stageName: string;
  readonly config: StageConfig;
  /** Where lambdas/ lives. @default the repository root */
  readonly repositoryRoot?: string;
}

export interface Infra {
  readonly stateful: StatefulStack;
  readonly service: ServiceStack;
}

/** Adds the stage's two stacks to the app; shared by `infra/app.ts` and the tests. */
export function buildInfra(app: App, options: BuildInfraOptions): Infra {
  const { stageName, config } = options;
  const env = { account: config.account, region: config.region };
  const prefix = `QuoteSync-${stageName}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    exportPrefix: prefix,
    description: `salesforce-quote-sync ${stageName}: table, bucket, keys, queues and the console's user pool`,
    signInDomainPrefix: config.signIn?.domainPrefix ?? `quote-sync-${stageName}-${config.account}`,
    logLevel: config.logLevel,
    ...(options.repositoryRoot === undefined ? {} : { repositoryRoot: options.repositoryRoot }),
  });
  const service = new ServiceStack(app, `${prefix}-Service`, {
    env,
    description: `salesforce-quote-sync ${stageName}: functions, HTTP APIs and alarms`,
    config,
    dataExportPrefix: prefix,
    ...(options.repositoryRoot === undefined ? {} : { repositoryRoot: options.repositoryRoot }),
  });
  // The service imports the stateful stack's exports by name, so CDK cannot infer the order.
  service.addStackDependency(stateful, 'imports its table, bucket, keys and queues');
  for (const stack of [stateful, service]) {
    Tags.of(stack).add('project', 'salesforce-quote-sync');
    Tags.of(stack).add('stage', stageName);
  }
  return { stateful, service };
}
