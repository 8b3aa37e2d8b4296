// The side-by-side benchmark (issue 8): the same chat request sent to the simulated provider
// directly, through a bare node:http proxy (the floor), through `switchback serve`, through the
// edge Worker in workerd and through Portkey, interleaved in short rounds. `node bench/run.ts
// --help` for the flags; bench/README.md for what each figure means.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, USAGE } from './src/args.ts';
import { runBench } from './src/run-bench.ts';
import { BENCH_DIR } from './src/start-targets.ts';

let options: ReturnType<typeof parseArgs>;
try {
  options = parseArgs(process.argv.slice(2), join(BENCH_DIR, 'results'));
} catch (error) {
  console.error(`bench: ${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (options === null) {
  console.log(USAGE);
  process.exit(0);
}

const outDir = resolve(options.outDir);
mkdirSync(outDir, { recursive: true });
try {
  const { markdown, files } = await runBench(options, (line) => console.error(line));
  process.stdout.write(markdown);
  console.error(`\nbench: wrote ${files.join(', ')}`);
} catch (error) {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`bench failed: ${message}`);
  writeFileSync(join(outDir, 'last-error.txt'), `${message}\n`);
  process.exitCode = 1;
}
