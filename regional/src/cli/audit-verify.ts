import { verifyAuditLog } from '@switchback/router-core';
import { AUDIT_SHOW_USAGE, auditShowCommand } from './audit-show.ts';
import type { CliIo } from './cli-io.ts';

export const AUDIT_VERIFY_USAGE = 'switchback audit verify <file> [--secret-env NAME]';

type Parsed = { file: string; secretEnv: string };

const parseArgs = (args: readonly string[]): Parsed | undefined => {
  const [verb, ...rest] = args;
  if (verb !== 'verify') return undefined;
  let file: string | undefined;
  let secretEnv = 'SWITCHBACK_AUDIT_SECRET';
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--secret-env' || arg.startsWith('--secret-env=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
      if (!value) return undefined;
      secretEnv = value;
    } else if (arg.startsWith('-') || file !== undefined) return undefined;
    else file = arg;
  }
  return file === undefined ? undefined : { file, secretEnv };
};

/**
 * `switchback audit verify <file> [--secret-env NAME]` (and `audit show`): checks every signature and the hash
 * chain of an audit log. 0 with the count when intact; 1 naming the first bad line and what is
 * wrong with it (edited, deleted, inserted, reordered, malformed); 2 for a usage error.
 */
export const auditCommand = async (
  args: readonly string[],
  io: CliIo,
  env: Record<string, string | undefined> = process.env,
): Promise<number> => {
  if (args[0] === 'show') return auditShowCommand(args.slice(1), io, env);
  const parsed = parseArgs(args);
  if (parsed === undefined) {
    io.err(`usage: ${AUDIT_VERIFY_USAGE}\n       ${AUDIT_SHOW_USAGE}`);
    return 2;
  }
  const secret = env[parsed.secretEnv];
  if (!secret) {
    io.err(
      `switchback audit verify: ${parsed.secretEnv} is not set; it must hold the audit secret.`,
    );
    return 2;
  }
  let text: string;
  try {
    text = await io.readFile(parsed.file);
  } catch (error) {
    io.err(`switchback audit verify: cannot read ${parsed.file}: ${(error as Error).message}`);
    return 2;
  }
  const result = await verifyAuditLog(text.split('\n'), secret);
  if (!result.ok) {
    io.err(`${parsed.file}: ${result.problem}: ${result.message}`);
    return 1;
  }
  io.out(
    `OK ${parsed.file}: ${result.count} events intact (last seq ${result.lastSeq}, hash ${result.lastHash})`,
  );
  return 0;
};
