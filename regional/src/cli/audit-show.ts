import {
  type AuditEvent,
  auditChainLabel,
  type RequestAuditEvent,
  requestChain,
  type SignedAuditEvent,
  verifyAuditChains,
} from '@switchback/router-core';
import type { CliIo } from './cli-io.ts';

export const AUDIT_SHOW_USAGE = 'switchback audit show <request id> <file> [--secret-env NAME]';

const short = (hash: string | undefined) => (hash === undefined ? '-' : `${hash.slice(0, 12)}…`);

const requestLines = (e: RequestAuditEvent): string[] => {
  const lines = [
    `  tenant ${e.tenant ?? '-'} · key ${e.key_id ?? '-'} · workflow ${e.workflow ?? 'default'}`,
  ];
  if (e.intent) {
    lines.push(
      `  intent     model ${e.intent.requested_model} · ask sha256 ${short(e.intent.ask_sha256)}`,
    );
  }
  if (e.decision) {
    lines.push(
      `  decision   tier ${e.decision.tier ?? '-'} · reasons ${e.decision.reasons.join(',') || '-'}`,
    );
  }
  for (const step of e.policy_trace ?? []) {
    lines.push(
      `  policy     ${step.check}: ${step.result}${step.detail ? ` (${step.detail})` : ''}`,
    );
  }
  for (const result of e.tool_results ?? []) {
    lines.push(
      `  tool result ${result.call_id} ${result.name ?? '?'}: ${result.outcome}, ${result.bytes} bytes`,
    );
  }
  if (e.provider || e.model) {
    lines.push(
      `  served     ${e.provider ?? '-'} / ${e.model ?? '-'} · version ${e.model_version ?? '-'}${e.attempts && e.attempts > 1 ? ` · ${e.attempts} attempts` : ''}`,
    );
  }
  for (const call of e.tool_calls ?? []) {
    lines.push(
      `  tool call  ${call.name} (${call.call_id ?? '-'}) args ${short(call.args_sha256)}: ${call.decision} by ${call.rule}`,
    );
  }
  if (e.response) {
    lines.push(
      `  response   finish ${e.response.finish_reason ?? '-'} · ${e.response.content_chars} chars · ${e.response.tool_calls} tool calls`,
    );
  }
  const timing = e.timings
    ? ` · ${e.timings.duration_ms} ms${e.timings.ttft_ms === undefined ? '' : ` (ttft ${e.timings.ttft_ms} ms)`}`
    : '';
  const cost = e.cost_usd === undefined ? '' : ` · $${e.cost_usd.toFixed(6)}`;
  lines.push(
    `  outcome    ${e.outcome}${e.status ? ` ${e.status}` : ''}${e.error ? ` ${e.error}` : ''}${timing}${cost}`,
  );
  return lines;
};

const eventLines = (event: AuditEvent): string[] => {
  switch (event.type) {
    case 'request':
      return requestLines(event);
    case 'approval':
      return [
        `  ${event.tool} (${event.call_id}) args ${short(event.args_sha256)} approved by operator ${event.operator} · tenant ${event.tenant} · held in ${event.request_id}`,
      ];
    case 'override':
      return [
        `  ${event.action} ${event.target} by operator ${event.operator}${event.reason ? `: ${event.reason}` : ''}`,
      ];
    default:
      return [];
  }
};

const title = (event: AuditEvent): string =>
  event.type === 'request' ? `request ${event.request_id}` : event.type;

/**
 * `switchback audit show <request id> <file>`: the chain of one request in an archived audit log
 * (its turns linked by tool calls, approvals, overrides), each event with its policy decisions,
 * tool calls and outcomes, model version and response (`#acme/12`: seq 12 of tenant acme's chain);
 * then whether every chain of the log verifies (when the secret is set). 0 shown; 1 no such request or a log that does not verify; 2 usage.
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
  const events: SignedAuditEvent[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as SignedAuditEvent);
    } catch {
      // A malformed line is verify's to name; the chain is read from the lines that parse.
    }
  }
  const chain = requestChain(events, requestId);
  if (chain.length === 0) {
    io.err(`${file}: no request ${requestId}`);
    return 1;
  }
  for (const { chain: name, seq, event } of chain) {
    io.out(`#${name === undefined ? '' : `${name}/`}${seq} ${event.ts} ${title(event)}`);
    for (const line of eventLines(event)) io.out(line);
  }
  const secret = env[secretEnv];
  if (!secret) {
    io.out(`(${secretEnv} is not set: the log's signatures were not checked)`);
    return 0;
  }
  const verified = await verifyAuditChains(lines, secret);
  if (!verified.ok) {
    io.err(`${file}: ${verified.problem}: ${verified.message}`);
    return 1;
  }
  const heads = verified.chains.map((c) =>
    c.chain === undefined
      ? `last seq ${c.lastSeq}`
      : `${auditChainLabel(c.chain)} last seq ${c.lastSeq}`,
  );
  io.out(`verified: ${verified.count} events intact (${heads.join('; ')})`);
  return 0;
};
