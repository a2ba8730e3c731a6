// Builds the bundle of a worker task module for src/core/pool.ts (run as a child process on a cache miss: esbuild's
// plugins need its asynchronous API, and createWorkerPool is synchronous).
//
//   node pool-bundle.mjs <task.ts> <outdir>
//
// Writes <outdir>/task.mjs (and the chunks of its dynamic imports) with esbuild, the one tsx runs on (resolved from
// tsx's own location; no other dependency): this package's TypeScript modules bundled into ES modules, every package
// left as an import (resolved from the bundle's place in this package's node_modules/.cache), and each module's
// `import.meta.url` replaced by its source file's URL, so that paths next to a source file (scenarios, task modules
// of nested pools, pool-worker.mjs) resolve as they do from the sources. Prints the files that went in, as JSON:
// { "inputs": [absolute paths] } (the sources, tsconfig.json, esbuild's package.json and this script).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) throw new Error('usage: node pool-bundle.mjs <task.ts> <outdir>');
const root = fileURLToPath(new URL('../../', import.meta.url));
const esbuildMain = createRequire(import.meta.resolve('tsx')).resolve('esbuild');
const esbuild = await import(pathToFileURL(esbuildMain).href);
const build = esbuild.build ?? esbuild.default.build;

/** Replaces `import.meta.url` (the expression, as a whole word) by the source file's URL. */
const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?ts$/ }, async (a) => ({
      contents: (await readFile(a.path, 'utf8')).replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(a.path).href)),
      loader: 'ts',
    }));
  },
};

const r = await build({
  absWorkingDir: root,
  entryPoints: { task: resolve(entry) },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  keepNames: true,
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'silent',
  plugins: [importMetaUrl],
});
let pkg = dirname(esbuildMain);
while (!(await readFile(join(pkg, 'package.json')).then(() => true, () => false))) pkg = dirname(pkg);
const inputs = [...Object.keys(r.metafile.inputs).map((p) => (isAbsolute(p) ? p : join(root, p))), join(root, 'tsconfig.json'), join(pkg, 'package.json'), fileURLToPath(import.meta.url)];
process.stdout.write(JSON.stringify({ inputs }));
