import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The GitHub workflows, read as GitHub reads them: pull requests are tested and synthesized
 * without credentials, only main deploys, the privileged job installs without a cache, every
 * action runs on Node 24, and both run the very script CI runs (.ci/run).
 */
const ROOT = join(__dirname, '..', '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const read = (name: string) => parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as Workflow;
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const setupNode = (job: Job) => job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));

/**
 * The first major of each action that runs on Node 24 (GitHub forces Node 20 actions onto 24 and
 * then removes 20 from its runners). An action not listed fails the test until it is looked up.
 * https://github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners/
 */
const NODE_24_MAJOR: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'aws-actions/configure-aws-credentials': 6,
};

const ci = read('ci.yml');
const deploy = read('deploy.yml');

test('every action of every workflow is at a major that runs on Node 24', () => {
  const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));
  expect(files.sort()).toEqual(['ci.yml', 'deploy.yml']);
  const uses = files.flatMap((name) => steps(read(name)).flatMap((step) => (step.uses ? [step.uses] : [])));
  expect(uses.length).toBeGreaterThan(0);
  for (const use of uses) {
    const [action = '', ref = ''] = use.split('@');
    const major = Number(/^v(\d+)$/.exec(ref)?.[1]);
    expect({ use, major: major >= (NODE_24_MAJOR[action] ?? Number.POSITIVE_INFINITY) }).toEqual({
      use,
      major: true,
    });
  }
});

test('pull requests run the tests and the synth, with read-only permissions and no credentials', () => {
  expect(Object.keys(ci.on)).toContain('pull_request');
  expect(ci.permissions).toEqual({ contents: 'read' });
  const runs = steps(ci).flatMap((step) => (step.run ? [step.run.trim()] : []));
  expect(runs).toContain('.ci/run');
  expect(runs.some((run) => /npm run synth|cdk synth/.test(run))).toBe(true);
  expect(steps(ci).some((step) => step.uses?.startsWith('aws-actions/'))).toBe(false);
});

test('only main deploys, and the deploy job installs without a dependency cache', () => {
  expect(Object.keys(deploy.on).sort()).toEqual(['push', 'workflow_dispatch']);
  expect(deploy.on.push).toEqual({ branches: ['main'] });
  const [job] = Object.values(deploy.jobs);
  if (!job) throw new Error('deploy.yml has no job');
  expect(job.if).toBe("github.ref == 'refs/heads/main'");
  const node = setupNode(job);
  expect(node?.with?.['package-manager-cache']).toBe(false);
  expect(node?.with?.cache).toBeUndefined();
  expect(job.steps.some((step) => step.uses?.startsWith('actions/cache@'))).toBe(false);
  // The checkout's token is not left in the git config for later steps of a privileged job.
  expect(
    job.steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with?.['persist-credentials'],
  ).toBe(false);
});

test('both workflows install and test through .ci/run, which runs the strict install and the README test command', () => {
  for (const workflow of [ci, deploy]) {
    const runs = steps(workflow).flatMap((step) => (step.run ? [step.run.trim()] : []));
    expect(runs).toContain('.ci/run');
    expect(runs.filter((run) => /\bnpm (ci|install|test)\b/.test(run))).toEqual([
      'npm install --global npm@11.19.1',
    ]);
    for (const job of Object.values(workflow.jobs)) expect(setupNode(job)?.with?.['node-version']).toBe(24);
  }
  const script = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
  expect(script).toMatch(/^npm ci --strict-allow-scripts$/m);
  expect(script).toMatch(/^npm test$/m);
});

test('Dependabot groups the AWS SDK clients and the Powertools packages, each into one pull request', () => {
  const config = parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as {
    updates: { 'package-ecosystem': string; groups?: Record<string, { patterns: string[] }> }[];
  };
  const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm');
  const groups = Object.entries(npm?.groups ?? {});
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  const matches = (pattern: string, name: string) =>
    new RegExp(`^${pattern.replaceAll(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`).test(name);
  const groupOf = (name: string) =>
    groups
      .filter(([, group]) => group.patterns.some((pattern) => matches(pattern, name)))
      .map(([key]) => key);
  for (const prefix of ['@aws-sdk/', '@aws-lambda-powertools/']) {
    const family = names.filter((name) => name.startsWith(prefix));
    expect(family.length).toBeGreaterThan(1);
    const owners = new Set(family.flatMap(groupOf));
    expect({ prefix, groups: owners.size, each: family.every((name) => groupOf(name).length === 1) }).toEqual(
      {
        prefix,
        groups: 1,
        each: true,
      },
    );
  }
  expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual([
    'github-actions',
    'npm',
  ]);
});
