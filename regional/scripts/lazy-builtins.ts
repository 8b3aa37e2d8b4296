// An esbuild plugin for the serve bundle: Node's `http`, `https` and `http2` imported through
// `require` instead of `import`. An ES import of a Node builtin builds the module's namespace, and
// that reads every export, lazy ones included: `node:http`'s pull in Node's bundled undici (its
// WebSocket and fetch), and `node:http2` and `node:https` load their own stacks, which a server
// on plain HTTP/1.1 never uses. Through `require` a bundled module reads only the exports it
// calls, when it calls them. Measured with Hono's adapter imported lazily too
// (lazy-hono-listener.ts): idle RSS 2.4-2.8 MB lower (bench config, three starts each).
import type { Plugin } from 'esbuild';

const LAZY = /^(node:)?(http|https|http2)$/;
const NAMESPACE = 'lazy-builtin';

export const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: LAZY }, (args) =>
      // The stand-in's own `require` is the real module, left to Node.
      args.namespace === NAMESPACE
        ? { path: args.path, external: true }
        : { path: args.path.replace(/^node:/, ''), namespace: NAMESPACE },
    );
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(`node:${args.path}`)});`,
      loader: 'js',
    }));
  },
};
