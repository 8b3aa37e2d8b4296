import { showAuditChain } from '@switchback/router-core';
import type { CliIo } from './cli-io.ts';

export const AUDIT_SHOW_USAGE = 'switchback audit show <request id> <file> [--secret-env NAME]';

/**
 * `switchback audit show <request id> <file>`: router-core's `showAuditChain` over an archived
 * audit log (the chain of one request, then whether every chain verifies, when the secret is
 * set). 0 shown; 1 no such request or a log that does not verify; 2 usage.
 */
export const auditShowCommand = async (
  args: readonly string[],
  io: CliIo,
  env: Record<string, string | undefined>,
): Promise<number> => {
  const positional: string[] = [];
  let secretEnv = 'SWITCHBACK_AUDIT_SECRET';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--secret-env') secretEnv = args[++i] ?? '';
    else if (arg.startsWith('--secret-env=')) secretEnv = arg.slice('--secret-env='.length);
    else positional.push(arg);
  }
  const [requestId, file] = positional;
  if (requestId === undefined || file === undefined || positional.length > 2 || secretEnv === '') {
    io.err(`usage: ${AUDIT_SHOW_USAGE}`);
    return 2;
  }
  let lines: string[];
  try {
    lines = (await io.readFile(file)).split('\n');
  } catch (error) {
    io.err(`switchback audit show: cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  const shown = await showAuditChain({
    lines,
    requestId,
    file,
    secret: env[secretEnv] || undefined,
    secretEnv,
  });
  for (const line of shown.out) io.out(line);
  for (const line of shown.err) io.err(line);
  return shown.code;
};
