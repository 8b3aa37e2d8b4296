// `node regional/scripts/build.ts [--outfile <path>]`: bundles the `switchback` CLI (serve
// included) into one JavaScript file, `regional/dist/switchback.mjs` by default, for production
// and the benchmark: `node --max-semi-space-size=2 regional/dist/switchback.mjs serve …`.
//
// Why a bundle when Node runs the TypeScript sources directly: type stripping loads Node's
// TypeScript parser into every process (~17 MB of resident memory measured on Node 24, see
// bench/README.md), and one file starts faster than ~300 modules. Development (`npm start`, the
// tests) keeps running the sources. The provider SDKs stay outside the bundle and are imported
// from node_modules on first use (providers/sdk/sdks.ts), so a service that never calls OpenAI or
// Bedrock never loads them.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { lazyBuiltins } from './lazy-builtins.ts';

const root = new URL('..', import.meta.url);
const { values } = parseArgs({ options: { outfile: { type: 'string' } } });
const outfile =
  values.outfile === undefined
    ? new URL('dist/switchback.mjs', root).pathname
    : resolve(values.outfile);

await build({
  entryPoints: [new URL('bin/switchback.js', root).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  external: ['openai', 'openai/*', '@aws-sdk/*'],
  // CommonJS dependencies (prom-client, opossum) call `require` for Node's modules.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  legalComments: 'none',
  // No comments or indentation: the source is one string in the heap for the process's life
  // (1.4 MB instead of 2.1, and one byte a character: the comments' dashes and ellipses made it
  // two). Stack traces keep their line numbers through the map beside the bundle:
  // `node --enable-source-maps dist/switchback.mjs …`.
  minifyWhitespace: true,
  sourcemap: 'linked',
  plugins: [lazyBuiltins],
  logLevel: 'warning',
});
console.log(`built ${outfile}`);
