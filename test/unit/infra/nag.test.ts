import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildInfra } from '../../../infra/build-infra';
import { parseStageConfig } from '../../../infra/config/stages';
import { devInput, fakeRepository, type Synthesized, synthesize, synthesizeAll } from './support';

const withDomains = {
  domain: {
    name: 'hooks.example.com',
    certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012',
    truststoreUri: 's3://example-truststores/client-ca.pem',
  },
  console: {
    domainName: 'console.example.com',
    certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012',
    webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/quote-sync/0f1e2d3c',
  },
};

const variants: [string, () => Synthesized][] = [
  ['the handlers in this repository', () => synthesize()],
  ['every defined handler', () => synthesizeAll()],
  ['every handler, custom domains and a web ACL', () => synthesizeAll({ config: withDomains })],
  [
    'no handler yet',
    () => {
      const empty = fakeRepository([]);
      try {
        return synthesize({ repositoryRoot: empty.root });
      } finally {
        empty.remove();
      }
    },
  ],
];

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          found.push({ path: node.node.path, id, reason });
        }
      }
    }
    for (const child of node.node.children) visit(child);
  };
  visit(root);
  return found;
}

describe.each(variants)('cdk-nag AwsSolutions with %s', (_name, build) => {
  const { app } = build();

  it('reports no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    const findings = report.violations.map(
      (violation) =>
        `${violation.severity} ${violation.ruleName} at ${violation.violatingResources
          .map((resource) => resource.constructPath)
          .join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a specific reason', () => {
    // CDK acknowledges CloudFormation-Validate warnings of its own constructs itself (W3045 on a
    // bucket with ACLs, which CloudFront's log delivery needs); the cdk-nag ones are ours.
    const all = acknowledgements(app).filter(({ id }) => !id.startsWith('CloudFormation-Validate::'));
    expect(all.length).toBeGreaterThan(0);
    for (const { path, id, reason } of all) {
      expect({ path, id, rule: /AwsSolutions-[A-Z]+\d+/.test(id) }).toEqual({ path, id, rule: true });
      expect({ path, id, long: reason.length >= 60 }).toEqual({ path, id, long: true });
      expect(reason).not.toMatch(/^(todo|n\/a|ok|suppress|ignore|not needed)\b/i);
    }
  });
});

describe('the app with cdk-nag registered, as infra/app.ts builds it', () => {
  it('synthesizes without a validation failure', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'quote-sync-cdk-out-'));
    const repository = fakeRepository();
    try {
      const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
      buildInfra(app, {
        stageName: 'dev',
        config: parseStageConfig('dev', devInput()),
        repositoryRoot: repository.root,
      });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const assembly = app.synth();
      expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual([
        'QuoteSync-dev-Service',
        'QuoteSync-dev-Stateful',
      ]);
    } finally {
      repository.remove();
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
