import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  handlerDefinitions,
  handlerNames,
  presentHandlers,
  presentTriggers,
  REPOSITORY_ROOT,
  triggerDefinitions,
  triggerNames,
} from '../../../infra/handlers';
import { fakeRepository, handlerFunctions, resourcesOf, synthesize } from './support';

/** lambdas/*\/handler.ts, as the handler authors lay them out. */
function handlersInRepository(): string[] {
  const lambdas = join(REPOSITORY_ROOT, 'lambdas');
  if (!existsSync(lambdas)) return [];
  return readdirSync(lambdas, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(lambdas, entry.name, 'handler.ts')))
    .map((entry) => entry.name)
    .sort();
}

describe('one function per handler in lambdas/', () => {
  const handlers = handlersInRepository();

  it('has an infrastructure definition for every handler', () => {
    const undefinedHandlers = handlers.filter(
      (name) => !Object.hasOwn(handlerDefinitions, name) && !Object.hasOwn(triggerDefinitions, name),
    );
    expect(undefinedHandlers).toEqual([]);
  });

  it('synthesizes exactly one function for each handler file: the service stack its own, the stateful stack the user pool trigger', () => {
    const { service, stateful } = synthesize();
    const ours = handlerFunctions(service);
    expect([...ours.keys()].sort()).toEqual(handlers.filter((name) => !triggerNames.includes(name as never)));
    expect([...handlerFunctions(stateful).keys()]).toEqual(
      handlers.filter((name) => triggerNames.includes(name as never)),
    );
    expect(presentTriggers()).toEqual(triggerNames.filter((name) => handlers.includes(name)));
    // Anything else would be a CDK helper (custom-resource providers), which carries no handler tag.
    const all = Object.keys(resourcesOf(service, 'AWS::Lambda::Function'));
    expect(all.length - ours.size).toBeGreaterThanOrEqual(0);
    expect(presentHandlers()).toEqual(handlerNames.filter((name) => handlers.includes(name)));
  });

  it('skips a defined handler whose file does not exist yet', () => {
    const partial = fakeRepository(['ack-outbound-message']);
    try {
      const { service, stateful } = synthesize({ repositoryRoot: partial.root });
      expect([...handlerFunctions(service).keys()]).toEqual(['ack-outbound-message']);
      service.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
      // Without its trigger the user pool still synthesizes; tokens then carry no sites claim.
      stateful.resourceCountIs('AWS::Cognito::UserPool', 1);
      expect(handlerFunctions(stateful).size).toBe(0);
    } finally {
      partial.remove();
    }
  });

  it('synthesizes with no handler at all', () => {
    const empty = fakeRepository([]);
    try {
      const { service } = synthesize({ repositoryRoot: empty.root });
      expect(handlerFunctions(service).size).toBe(0);
    } finally {
      empty.remove();
    }
  });
});
