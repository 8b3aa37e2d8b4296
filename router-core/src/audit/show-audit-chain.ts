import {
  type AuditEvent,
  auditChainLabel,
  type RequestAuditEvent,
  type SignedAuditEvent,
} from './audit-event.ts';
import { requestChain } from './request-chain.ts';
import { verifyAuditChains } from './verify-audit-log.ts';

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
        `  ${event.action} ${event.target} by operator ${event.operator}${event.expires_at ? ` until ${event.expires_at}` : ''}${event.reason ? `: ${event.reason}` : ''}`,
      ];
    default:
      return [];
  }
};

const title = (event: AuditEvent): string =>
  event.type === 'request' ? `request ${event.request_id}` : event.type;

/** What `audit show` prints of a log: its lines (`out`), its complaints (`err`), its exit code. */
export type AuditShow = { code: 0 | 1; out: string[]; err: string[] };

/**
 * `switchback audit show`, without the file system: the chain of one request in an audit log's
 * lines (its turns linked by tool calls, approvals, overrides), each event with its policy
 * decisions, tool calls and outcomes, model version and response (`#acme/12`: seq 12 of tenant
 * acme's chain); then whether every chain verifies with `secret` (unchecked, and said so,
 * without it). Any door's log: regional's file, or an edge tenant's archive objects joined in key
 * order. `file` and `secretEnv` only name things in what it prints.
 */
export const showAuditChain = async (input: {
  lines: readonly string[];
  requestId: string;
  file: string;
  secret: string | undefined;
  secretEnv: string;
}): Promise<AuditShow> => {
  const { lines, requestId, file, secret, secretEnv } = input;
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
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
    return { code: 1, out, err };
  }
  for (const { chain: name, seq, event } of chain) {
    io.out(`#${name === undefined ? '' : `${name}/`}${seq} ${event.ts} ${title(event)}`);
    for (const line of eventLines(event)) io.out(line);
  }
  if (!secret) {
    io.out(`(${secretEnv} is not set: the log's signatures were not checked)`);
    return { code: 0, out, err };
  }
  const verified = await verifyAuditChains([...lines], secret);
  if (!verified.ok) {
    io.err(`${file}: ${verified.problem}: ${verified.message}`);
    return { code: 1, out, err };
  }
  const heads = verified.chains.map((c) =>
    c.chain === undefined
      ? `last seq ${c.lastSeq}`
      : `${auditChainLabel(c.chain)} last seq ${c.lastSeq}`,
  );
  io.out(`verified: ${verified.count} events intact (${heads.join('; ')})`);
  return { code: 0, out, err };
};
