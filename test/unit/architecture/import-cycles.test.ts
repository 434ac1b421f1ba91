import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * No module of the product imports itself through others: a circle makes load order decide
 * what a module sees (an import that is still undefined at the time), and it is the first thing
 * that makes a folder hard to move or to read alone. Type-only imports count too, since they tie
 * the files together for a reader as much as any other import.
 */
const ROOT = join(__dirname, '..', '..', '..');
const FOLDERS = ['infra', 'shared', 'lambdas', 'local', 'bench', 'console/src'];

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry) && !entry.endsWith('.d.ts')) found.push(path);
    }
  };
  walk(join(ROOT, folder));
  return found;
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/** Every circle reachable from `files`, each as the path from a module back to itself. */
function importCycles(files: string[]): string[][] {
  const imports = new Map<string, string[]>();
  const importsOf = (file: string): string[] => {
    let found = imports.get(file);
    if (!found) {
      found = ts
        .preProcessFile(readFileSync(file, 'utf8'), true, true)
        .importedFiles.flatMap(({ fileName }) => resolveImport(file, fileName) ?? []);
      imports.set(file, found);
    }
    return found;
  };
  const cycles: string[][] = [];
  const visiting: string[] = [];
  const done = new Set<string>();
  const visit = (file: string) => {
    visiting.push(file);
    for (const next of importsOf(file)) {
      const at = visiting.indexOf(next);
      if (at >= 0) cycles.push([...visiting.slice(at), next].map((path) => relative(ROOT, path)));
      else if (!done.has(next)) visit(next);
    }
    visiting.pop();
    done.add(file);
  };
  for (const file of files) if (!done.has(file)) visit(file);
  return cycles;
}

test.each(FOLDERS)('%s/ has no import circle', (folder) => {
  expect(importCycles(sourceFiles(folder)).map((cycle) => cycle.join(' → '))).toEqual([]);
});

test('the check finds a circle when there is one', () => {
  const cycle = importCycles([join(ROOT, 'test/unit/architecture/fixtures/circle-a.ts')]);
  expect(cycle).toEqual([
    [
      'test/unit/architecture/fixtures/circle-a.ts',
      'test/unit/architecture/fixtures/circle-b.ts',
      'test/unit/architecture/fixtures/circle-a.ts',
    ],
  ]);
});
