// `npm run loadtest -- <scenario> [--duration …] [--rate …]`
import { readFileSync } from 'node:fs';
import { parseRunnerArgs } from './args.ts';
import { runScenario } from './run-scenario.ts';

try {
  const args = parseRunnerArgs(process.argv.slice(2));
  const outcome = await runScenario(args);
  console.log(`\n${readFileSync(outcome.reportPath, 'utf8')}`);
  console.log(`report: ${outcome.reportPath}`);
  process.exit(outcome.ok ? 0 : 1);
} catch (error) {
  console.error(`loadtest: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
