import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The project brings its own Node.js (the `node` devDependency, first on every npm script's
 * PATH), so tests, `npm start`, benchmarks and synth run on the Lambda's runtime, whatever the
 * machine's own `node` is.
 */
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

test('the tests run on the Node.js the project installs', () => {
  expect(process.version).toBe(`v${manifest.devDependencies.node}`);
  expect(process.execPath).toBe(join(__dirname, '..', '..', '..', 'node_modules', 'node', 'bin', 'node'));
});

test('that runtime is the major the functions deploy on, and the one engines asks for', () => {
  expect(process.versions.node.split('.')[0]).toBe('24');
  expect(manifest.engines.node).toBe('>=24');
});
