import { passesLuhn } from './luhn.ts';

/** The kinds of personal data and secrets the audit log never keeps. */
export const BUILTIN_PII = ['email', 'card', 'phone', 'api_key', 'aws_key', 'bearer'] as const;
export type BuiltinPii = (typeof BUILTIN_PII)[number];

/** An operator's own pattern: every match is replaced by `[redacted:<name>]`. */
export type CustomPiiPattern = { name: string; pattern: string; flags?: string };

export type RedactionOptions = {
  /** Which built-in kinds to redact; all of them by default. */
  builtins?: readonly BuiltinPii[];
  custom?: readonly CustomPiiPattern[];
};

type Rule = {
  name: string;
  pattern: RegExp;
  accept?: (match: string) => boolean;
  /**
   * A cheap test that the text can hold a match at all: a rule whose pattern can start at every
   * letter (an e-mail's local part) costs a scan of each word otherwise, far more than this.
   */
  mayMatch?: (text: string) => boolean;
};

/** Every AWS key shape starts with one of these (either case, as the pattern matches). */
const AWS_HINT = /a(?:kia|sia|bia|cca|ws_secret_access_key)/i;
const BEARER_HINT = /bearer/i;

const digitsOf = (text: string): string => text.replace(/\D/g, '');

// Boundaries keep hex hashes and UUIDs whole: a digit run inside a longer word is never a number.
const BUILTIN_RULES: Record<BuiltinPii, Rule> = {
  email: {
    name: 'email',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    mayMatch: (text) => text.includes('@'),
  },
  api_key: {
    name: 'api_key',
    pattern: /(?<![\w-])(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g,
    mayMatch: (text) => text.includes('k-'),
  },
  aws_key: {
    name: 'aws_key',
    pattern:
      /(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])|aws_secret_access_key\s*[=:]\s*\S+/gi,
    mayMatch: (text) => AWS_HINT.test(text),
  },
  bearer: {
    name: 'bearer',
    pattern: /\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi,
    mayMatch: (text) => BEARER_HINT.test(text),
  },
  card: {
    name: 'card',
    pattern: /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g,
    accept: (match) => passesLuhn(digitsOf(match)),
  },
  phone: {
    name: 'phone',
    pattern:
      /(?<![\w+-])\+?(?:\(\d{1,4}\)|\d{1,4})(?:[ .-]?(?:\(\d{2,4}\)|\d{2,4})){2,5}(?![\w-])/g,
    accept: (match) => {
      const n = digitsOf(match).length;
      return n >= 10 && n <= 15;
    },
  },
};

/** Rewrites the PII in one text; each kind it replaced is added to `found` when one is given. */
export type TextRedactor = (text: string, found?: Set<string>) => string;

/**
 * The text redactor behind both the audit log and the prompts providers see: emails, Luhn-valid
 * card numbers, phone numbers, API-key and AWS-key shapes and bearer tokens replaced by
 * `[redacted:<kind>]`, plus the operator's own patterns. Cards go before phones so a card number
 * is named as one. Redacting twice changes nothing: a placeholder matches no rule.
 */
export const createTextRedactor = (options: RedactionOptions = {}): TextRedactor => {
  const rules: Rule[] = [];
  const builtins = new Set(options.builtins ?? BUILTIN_PII);
  for (const kind of ['api_key', 'aws_key', 'bearer', 'email', 'card', 'phone'] as const) {
    if (builtins.has(kind)) rules.push(BUILTIN_RULES[kind]);
  }
  for (const custom of options.custom ?? []) {
    const flags = custom.flags?.includes('g') ? custom.flags : `${custom.flags ?? ''}g`;
    rules.push({ name: custom.name, pattern: new RegExp(custom.pattern, flags) });
  }
  return (text, found) => {
    let out = text;
    for (const rule of rules) {
      if (rule.mayMatch !== undefined && !rule.mayMatch(out)) continue;
      out = out.replace(rule.pattern, (match) => {
        if (rule.accept !== undefined && !rule.accept(match)) return match;
        found?.add(rule.name);
        return `[redacted:${rule.name}]`;
      });
    }
    return out;
  };
};

/** A redactor for audit events: every string inside the value (object keys aside) redacted. */
export const createRedactor = (options: RedactionOptions = {}): (<T>(value: T) => T) => {
  const redactText = createTextRedactor(options);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = walk(child);
    return out;
  };
  return <T>(value: T): T => walk(value) as T;
};
