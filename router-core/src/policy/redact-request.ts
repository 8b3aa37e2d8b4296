import { createTextRedactor, type RedactionOptions } from '../audit/redact-pii.ts';
import type { PiiConfig } from '../config/schema.ts';
import type { ChatCompletionRequest, ChatMessage } from '../openai/chat-request.ts';

/** A request as providers may see it, and the kinds of PII taken out of it (sorted). */
export type RedactedRequest = { request: ChatCompletionRequest; kinds: string[] };

/** Rewrites the PII out of a chat request before any provider sees it. */
export type RequestRedactor = (request: ChatCompletionRequest) => RedactedRequest;

type TextPart = { type: 'text'; text: string };

/**
 * The PII redaction both front doors apply to what they send upstream: every message's text
 * (string content and text parts, any role) and the string values inside tool-call arguments,
 * with the rules of `createTextRedactor` (the audit log's). Images, tool definitions, names and
 * ids are left alone. Arguments are redacted value by value and written back as JSON, so a
 * number that looks like a phone stays a valid document; arguments that are not JSON are
 * redacted as text. A clean request comes back as the same object, and redacting twice is a
 * no-op: a `[redacted:<kind>]` placeholder matches no rule.
 */
export const createRequestRedactor = (options: RedactionOptions = {}): RequestRedactor => {
  const redactText = createTextRedactor(options);

  return (request) => {
    const found = new Set<string>();
    const text = (value: string): string => redactText(value, found);
    const walkJson = (value: unknown, into: Set<string>): unknown => {
      if (typeof value === 'string') return redactText(value, into);
      if (Array.isArray(value)) return value.map((item) => walkJson(item, into));
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) out[key] = walkJson(child, into);
      return out;
    };
    const args = (raw: string): string => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return text(raw);
      }
      const here = new Set<string>();
      const redacted = walkJson(parsed, here);
      for (const kind of here) found.add(kind);
      // Untouched arguments keep their exact bytes (spacing, key order).
      return here.size === 0 ? raw : JSON.stringify(redacted);
    };
    const parts = <P extends { type: string }>(list: readonly P[]): P[] =>
      list.map((part) => (isTextPart(part) ? { ...part, text: text(part.text) } : part));

    const messages = request.messages.map((message): ChatMessage => {
      switch (message.role) {
        case 'user':
          return {
            ...message,
            content:
              typeof message.content === 'string' ? text(message.content) : parts(message.content),
          };
        case 'assistant': {
          const out = { ...message };
          if (typeof message.content === 'string') out.content = text(message.content);
          else if (Array.isArray(message.content)) out.content = parts(message.content);
          if (message.tool_calls !== undefined) {
            out.tool_calls = message.tool_calls.map((call) => ({
              ...call,
              function: { ...call.function, arguments: args(call.function.arguments) },
            }));
          }
          return out;
        }
        default:
          return {
            ...message,
            content:
              typeof message.content === 'string' ? text(message.content) : parts(message.content),
          };
      }
    });
    if (found.size === 0) return { request, kinds: [] };
    return { request: { ...request, messages }, kinds: [...found].sort() };
  };
};

const isTextPart = (part: { type: string }): part is TextPart =>
  part.type === 'text' && typeof (part as { text?: unknown }).text === 'string';

/** The config's prompt redaction (`pii`), or none when the operator turned it off. */
export const promptRedactor = (pii: PiiConfig): RequestRedactor | undefined =>
  pii.redactPrompts
    ? createRequestRedactor({ builtins: pii.kinds, custom: pii.custom })
    : undefined;
