#!/usr/bin/env node
// The `switchback` CLI. Node >= 22.18 runs the TypeScript sources directly (type stripping);
// the compile cache makes every run after the first start faster.
import module from 'node:module';

module.enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
