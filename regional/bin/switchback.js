#!/usr/bin/env node
// The `switchback` CLI. It runs the TypeScript sources directly, which takes Node >= 22.18 (type
// stripping without a flag); the compile cache makes every run after the first start faster.
// An older Node (the machine's Node 20 running node_modules/.bin/switchback, say) cannot load
// them: the CLI then runs itself again on the Node 24 the repo brings as a devDependency, or,
// without one, says in one line which Node it needs and how to run it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NEEDS = '22.18';

/** `node_modules/node/bin/node` of the repo this file sits in, when it is installed. */
const repoNode = () => {
  try {
    const pkg = createRequire(import.meta.url).resolve('node/package.json');
    const bin = join(dirname(pkg), 'bin', 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
};

const rerun = (node) =>
  new Promise((resolve) => {
    const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, SWITCHBACK_RERUN_FROM: process.versions.node },
    });
    // Ctrl-C reaches the child from the terminal (same process group): passing SIGINT on as well
    // would deliver it twice, and serve stops cleanly on the first one only.
    process.on('SIGINT', () => {});
    for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
    child.once('error', (error) => {
      console.error(`switchback: cannot run ${node}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) =>
      resolve(code ?? 128 + (constants.signals[signal ?? 'SIGTERM'] ?? 15)),
    );
  });

let cli;
try {
  module.enableCompileCache?.();
  cli = await import('../src/cli/main.ts');
} catch (error) {
  if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
}

if (cli !== undefined) {
  process.exitCode = await cli.main(process.argv.slice(2));
} else {
  const node = repoNode();
  if (node !== undefined && process.env.SWITCHBACK_RERUN_FROM === undefined) {
    process.exitCode = await rerun(node);
  } else {
    console.error(
      `switchback needs Node >= ${NEEDS} (this is ${process.version}): run it as \`npx switchback …\` in the repo, which uses the Node 24 it installs, or with node_modules/.bin/node.`,
    );
    process.exitCode = 1;
  }
}
