import { statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_SETTINGS } from '../infra/constructs/house-function';
import {
  type HandlerDefinition,
  handlerDefinitions,
  handlerEntry,
  handlerNames,
  REPOSITORY_ROOT,
} from '../infra/handlers';
import { round } from './support';

/**
 * Every function's bundle as infra/ builds it (the same esbuild settings, the AWS SDK left out
 * only where the function uses the runtime's): its code, its source map, the code gzipped (about
 * what the deployed zip holds), the files copied beside it, the largest packages in it and how
 * much of it is jsforce, with or without its Metadata API.
 */
export async function benchBundles() {
  const kib = (bytes: number) => round(bytes / 1024, 1);
  const bundles: Record<string, unknown> = {};
  for (const name of handlerNames) {
    const definition: HandlerDefinition = handlerDefinitions[name];
    const result = await build({
      entryPoints: [handlerEntry(name)],
      absWorkingDir: REPOSITORY_ROOT,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: BUNDLE_SETTINGS.target,
      minify: BUNDLE_SETTINGS.minify,
      sourcemap: BUNDLE_SETTINGS.sourceMap,
      sourcesContent: BUNDLE_SETTINGS.sourcesContent,
      external: definition.runtimeAwsSdk ? ['@aws-sdk/*'] : [],
      ...(definition.esModules ? { mainFields: ['module', 'main'] } : {}),
      outfile: `${name}/index.js`,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles.find((file) => file.path.endsWith('.js'));
    const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'));
    if (!code) throw new Error(`esbuild wrote no code for ${name}`);
    const [output] = Object.values(result.metafile.outputs).filter((o) => o.entryPoint !== undefined);
    const byPackage = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? '(this repository)';
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + bytesInOutput);
    }
    const inputs = Object.keys(output?.inputs ?? {});
    const files = definition.bundledFiles?.() ?? [];
    bundles[name] = {
      codeKiB: kib(code.contents.byteLength),
      codeGzipKiB: kib(gzipSync(code.contents).byteLength),
      sourceMapKiB: kib(map?.contents.byteLength ?? 0),
      copiedFilesKiB: kib(files.reduce((sum, file) => sum + statSync(file.from).size, 0)),
      jsforceKiB: kib(byPackage.get('jsforce') ?? 0),
      jsforceMetadataApi: inputs.some((input) => input.includes('jsforce/lib/api/metadata')),
      awsSdk: definition.runtimeAwsSdk
        ? "the runtime's"
        : definition.esModules
          ? 'bundled, from its ES modules'
          : 'bundled',
      largestPackagesKiB: Object.fromEntries(
        [...byPackage]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 6)
          .map(([pkg, bytes]) => [pkg, kib(bytes)]),
      ),
    };
  }
  return bundles;
}
