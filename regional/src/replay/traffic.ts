import {
  type ChatCompletionRequest,
  chatCompletionRequestSchema,
  formatIssuePath,
} from '@switchback/router-core';

export const LABELS = ['easy', 'hard'] as const;
export type Label = (typeof LABELS)[number];

/** One recorded request: an OpenAI body with who sent it and, optionally, how hard it really was. */
export type TrafficRecord = {
  /** 1-based line number in the traffic file. */
  line: number;
  request: ChatCompletionRequest;
  tenant?: string;
  workflow?: string;
  label?: Label;
};

export type ParsedTraffic = {
  records: TrafficRecord[];
  /** Lines that are not a valid record, with why (the replay skips them). */
  rejected: { line: number; message: string }[];
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

type Issue = { path: PropertyKey[]; message: string };

const issueMessage = (prefix: string, issue: Issue | undefined): string =>
  `${prefix}${issue === undefined ? 'invalid' : `${formatIssuePath(issue.path)}: ${issue.message}`}`;

const parseLine = (text: string, line: number): TrafficRecord | string => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!isObject(raw)) return 'not a JSON object';
  // Recorded traffic is most often the bodies alone: one with `messages` and no `request` is one.
  if (!('request' in raw) && 'messages' in raw) {
    const bare = chatCompletionRequestSchema.safeParse(raw);
    return bare.success ? { line, request: bare.data } : issueMessage('', bare.error.issues[0]);
  }
  if (!('request' in raw)) {
    return 'neither an OpenAI request body (no "messages") nor a {request, tenant?, workflow?, label?} record';
  }
  const parsed = chatCompletionRequestSchema.safeParse(raw.request);
  if (!parsed.success) return issueMessage('request: ', parsed.error.issues[0]);
  const record: TrafficRecord = { line, request: parsed.data };
  if (typeof raw.tenant === 'string') record.tenant = raw.tenant;
  if (typeof raw.workflow === 'string') record.workflow = raw.workflow;
  if (raw.label === 'easy' || raw.label === 'hard') record.label = raw.label;
  else if (raw.label !== undefined) return 'label must be "easy" or "hard"';
  return record;
};

/**
 * Parses recorded traffic: JSON Lines of `{request, tenant?, workflow?, label?}` or of bare
 * OpenAI request bodies (tenant and workflow then default), mixed freely; blank lines are skipped. `onProgress` is called every few thousand lines with (done, total).
 */
export const parseTraffic = (
  text: string,
  onProgress?: (done: number, total: number) => void,
): ParsedTraffic => {
  const lines = text.split('\n');
  const records: TrafficRecord[] = [];
  const rejected: ParsedTraffic['rejected'] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.trim() ?? '';
    if (onProgress !== undefined && i % 2_000 === 0) onProgress(i, lines.length);
    if (line === '') continue;
    const parsed = parseLine(line, i + 1);
    if (typeof parsed === 'string') rejected.push({ line: i + 1, message: parsed });
    else records.push(parsed);
  }
  onProgress?.(lines.length, lines.length);
  return { records, rejected };
};
