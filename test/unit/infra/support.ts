import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildInfra, type Infra } from '../../../infra/build-infra';
import { parseStageConfig, type StageConfigInput, stages } from '../../../infra/config/stages';
import { HANDLER_TAG } from '../../../infra/constructs/house-function';
import { type HandlerName, handlerNames, triggerNames } from '../../../infra/handlers';

export const devInput = (): StageConfigInput => {
  const dev = stages.dev;
  if (dev === undefined) throw new Error('the dev stage is missing');
  return { ...dev };
};

/**
 * A throw-away repository root with the given handler files and a lock file, so the stacks can
 * be built with every handler present before all of them are written.
 */
export function fakeRepository(handlers: readonly string[] = [...handlerNames, ...triggerNames]): {
  root: string;
  remove: () => void;
} {
  const root = mkdtempSync(join(tmpdir(), 'quote-sync-infra-'));
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  for (const name of handlers) {
    mkdirSync(join(root, 'lambdas', name), { recursive: true });
    writeFileSync(join(root, 'lambdas', name, 'handler.ts'), 'export const handler = async () => ({});\n');
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface Synthesized {
  readonly app: App;
  readonly infra: Infra;
  readonly stateful: Template;
  readonly service: Template;
}

/** Builds the dev stage (or a variant of it) without bundling, which keeps unit tests fast. */
export function synthesize(
  options: { config?: Partial<StageConfigInput>; repositoryRoot?: string } = {},
): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const config = parseStageConfig('dev', { ...devInput(), ...options.config });
  const infra = buildInfra(app, {
    stageName: 'dev',
    config,
    ...(options.repositoryRoot === undefined ? {} : { repositoryRoot: options.repositoryRoot }),
  });
  return {
    app,
    infra,
    stateful: Template.fromStack(infra.stateful),
    service: Template.fromStack(infra.service),
  };
}

/** Synthesizes with every defined handler present. */
export function synthesizeAll(options: { config?: Partial<StageConfigInput> } = {}): Synthesized {
  const repository = fakeRepository();
  try {
    return synthesize({ ...options, repositoryRoot: repository.root });
  } finally {
    repository.remove();
  }
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** Our functions carry the handler tag; CDK helper functions (custom resources) do not. */
export function handlerFunctions(
  template: Template,
): Map<string, { logicalId: string; properties: Record<string, unknown> }> {
  const found = new Map<string, { logicalId: string; properties: Record<string, unknown> }>();
  for (const [logicalId, resource] of Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))) {
    const properties = resource.Properties ?? {};
    const tags = (properties.Tags ?? []) as { Key: string; Value: string }[];
    const tag = tags.find((candidate) => candidate.Key === HANDLER_TAG);
    if (tag !== undefined) found.set(tag.Value, { logicalId, properties });
  }
  return found;
}

export function handlerFunction(template: Template, name: HandlerName) {
  const fn = handlerFunctions(template).get(name);
  if (fn === undefined) throw new Error(`no function for ${name}`);
  return fn;
}
