import { auditCommand } from './audit-verify.ts';
import { calibrateCommand } from './calibrate.ts';
import { type CliIo, processIo } from './cli-io.ts';
import { diffCommand } from './diff.ts';
import { explainCommand } from './explain.ts';
import { HELP, helpCommand } from './help.ts';
import { reportCommand } from './report.ts';
import { rolloutCommand } from './rollout-watch.ts';
import { simulateCommand } from './simulate.ts';
import { validateCommand } from './validate.ts';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

// Loaded on demand: the server pulls in the provider SDKs, which validate and explain never need.
const serve: Command = async (args) => {
  const { serveCommand } = await import('./serve.ts');
  return serveCommand([...args]);
};

const COMMANDS: Record<string, Command> = {
  serve,
  validate: validateCommand,
  explain: explainCommand,
  audit: (args, io) => auditCommand(args, io),
  simulate: simulateCommand,
  calibrate: calibrateCommand,
  diff: diffCommand,
  report: (args, io) => reportCommand(args, io),
  rollout: (args, io) => rolloutCommand(args, io),
  help: helpCommand,
  '--help': helpCommand,
  '-h': helpCommand,
};

/** Runs `switchback <command> …` and resolves with the exit code. */
export const main = async (argv: readonly string[], io: CliIo = processIo()): Promise<number> => {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.out(HELP);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  return command(args, io);
};
