import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildInfra } from './build-infra';
import { resolveStage } from './config/stages';

// `cdk synth -c stage=dev [-c region=eu-central-1]`; `dev` when no stage is given.
const app = new App();
const { name, config } = resolveStage({
  stage: app.node.tryGetContext('stage'),
  region: app.node.tryGetContext('region'),
});
buildInfra(app, { stageName: name, config });
// Any unacknowledged AwsSolutions finding fails synthesis (and so the deploy workflow).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
