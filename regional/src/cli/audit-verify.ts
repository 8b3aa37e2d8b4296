import {
  type AuditChainSummary,
  auditChainLabel,
  verifyAuditChains,
} from '@switchback/router-core';
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
 * `switchback audit verify <file> [--secret-env NAME]` (and `audit show`): checks every signature and
 * every chain of an audit log (one per tenant, lines interleaved; a log from before chains per
 * tenant is one chain). 0 with the count, and what each tenant's chain holds, when intact; 1 naming the first bad line and what is
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
  const result = await verifyAuditChains(text.split('\n'), secret);
  if (!result.ok) {
    io.err(`${parsed.file}: ${result.problem}: ${result.message}`);
    return 1;
  }
  const [only, ...more] = result.chains;
  if (only !== undefined && only.chain === undefined && more.length === 0) {
    // A log of one chain whose lines name none (written before chains per tenant).
    io.out(
      `OK ${parsed.file}: ${result.count} events intact (last seq ${only.lastSeq}, hash ${only.lastHash})`,
    );
    return 0;
  }
  const chains = result.chains.length === 1 ? '1 chain' : `${result.chains.length} chains`;
  io.out(`OK ${parsed.file}: ${result.count} events intact in ${chains}`);
  for (const chain of result.chains) io.out(`  ${chainLine(chain)}`);
  return 0;
};

const chainName = (chain: string | undefined) =>
  chain === undefined
    ? 'lines naming no chain (one chain, before chains per tenant)'
    : auditChainLabel(chain);

/** `tenant acme: 60 events, seq 1-60, last hash …`: what `verify` found in one chain. */
export const chainLine = (chain: AuditChainSummary): string =>
  `${chainName(chain.chain)}: ${chain.count} event${chain.count === 1 ? '' : 's'}, seq ${chain.lastSeq - chain.count + 1}-${chain.lastSeq}, last hash ${chain.lastHash}`;
