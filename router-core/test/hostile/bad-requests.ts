// Generators of bad chat requests for the hostile suites of edge and regional: each one is wrong
// in a way the router must answer with a 4xx in OpenAI's envelope, never a 5xx.
import fc from 'fast-check';

export type BadRequest = {
  /** Which family of mistakes it belongs to (for the printed tally). */
  kind: string;
  /** Headers on top of a valid `authorization` and `content-type: application/json`. */
  headers: Record<string, string>;
  /** Header names whose values must never be echoed back. */
  spoofed: string[];
  body: string | Uint8Array;
};

export type BadRequestOptions = {
  /** A model the tenant may use (so only the planted mistake is wrong). */
  model: string;
  /** A tool on the tenant's allowlist. */
  tool: string;
  maxBodyBytes: number;
  maxMessages: number;
};

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool'];
const FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'n',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'seed',
  'user',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'prompt_cache_key',
  'reasoning_effort',
  'metadata',
  'store',
  'service_tier',
]);

const ODD_CHARS = [
  '\u0000',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\u{1f600}',
  'é',
  '\u0301',
  '\n',
];
const oddString = fc
  .array(fc.oneof(fc.constantFrom(...ODD_CHARS), fc.string({ maxLength: 4 })), {
    minLength: 1,
    maxLength: 12,
  })
  .map((parts) => parts.join(''))
  .filter((s) => s.length > 0);

const ok = (o: BadRequestOptions) => ({
  model: o.model,
  messages: [{ role: 'user', content: 'hi' }],
});
const json = (kind: string, body: unknown, headers: Record<string, string> = {}): BadRequest => ({
  kind,
  headers,
  spoofed: [],
  body: JSON.stringify(body),
});

/** A value of any JSON type but the one expected. */
const notA = (type: 'string' | 'number' | 'boolean' | 'array' | 'object') =>
  fc.oneof(
    ...[
      type === 'string' ? null : fc.string(),
      // Finite: JSON.stringify writes ±Infinity as null, which every nullable field accepts.
      type === 'number' ? null : fc.double({ noNaN: true, noDefaultInfinity: true }),
      type === 'boolean' ? null : fc.boolean(),
      type === 'array' ? null : fc.array(fc.integer(), { maxLength: 3 }),
      type === 'object'
        ? null
        : fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
    ].filter((a) => a !== null),
  );

const invalidJson = (o: BadRequestOptions) =>
  fc
    .oneof(
      fc.string({ maxLength: 200 }).filter((s) => {
        try {
          JSON.parse(s);
          return false;
        } catch {
          return true;
        }
      }),
      fc.nat().map((cut) => {
        const text = JSON.stringify(ok(o));
        return text.slice(0, cut % (text.length - 1));
      }),
      fc.constantFrom('', 'null', '[]', '42', '"text"', 'true', "{'model': 1}"),
    )
    .map((body): BadRequest => ({ kind: 'invalid JSON', headers: {}, spoofed: [], body }));

const wrongTypes = (o: BadRequestOptions) =>
  fc
    .oneof(
      notA('string').map((model) => ({ ...ok(o), model })),
      fc.constantFrom('', 'x'.repeat(300)).map((model) => ({ ...ok(o), model })),
      notA('array').map((messages) => ({ ...ok(o), messages })),
      fc.constant({ ...ok(o), messages: [] }),
      fc
        .oneof(fc.integer(), fc.constant(null), fc.string())
        .map((m) => ({ ...ok(o), messages: [m] })),
      fc
        .oneof(
          notA('string').filter((c) => !Array.isArray(c)),
          fc.constant([{ type: 'nope' }]),
        )
        .map((content) => ({ ...ok(o), messages: [{ role: 'user', content }] })),
      notA('boolean').map((stream) => ({ ...ok(o), stream })),
      fc
        .oneof(
          fc.double({ min: 2.0001, max: 1e9, noNaN: true }),
          fc.double({ max: -0.0001, min: -1e9, noNaN: true }),
        )
        .map((temperature) => ({ ...ok(o), temperature })),
      fc
        .oneof(fc.integer({ max: 0 }), fc.constant(1.5), fc.constant('10'))
        .map((max_tokens) => ({ ...ok(o), max_tokens })),
      fc.integer({ min: 2, max: 100 }).map((n) => ({ ...ok(o), n })),
      fc.array(fc.string(), { minLength: 5, maxLength: 8 }).map((stop) => ({ ...ok(o), stop })),
      notA('array').map((tools) => ({ ...ok(o), tools })),
      fc
        .constantFrom(5, 'sometimes', { type: 'function' })
        .map((tool_choice) => ({ ...ok(o), tool_choice })),
      fc
        .constantFrom('x', 5, { type: 'yaml' })
        .map((response_format) => ({ ...ok(o), response_format })),
    )
    .map((body) => json('wrong types', body));

const deepNesting = (o: BadRequestOptions) =>
  fc.tuple(fc.integer({ min: 65, max: 20_000 }), fc.nat(3)).map(([depth, where]): BadRequest => {
    const open = '['.repeat(depth);
    const close = ']'.repeat(depth);
    const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const bodies = [
      `${open}${close}`,
      `{"model":${JSON.stringify(o.model)},"messages":[{"role":"user","content":${open}"x"${close}}]}`,
      `{"model":${JSON.stringify(o.model)},"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":${JSON.stringify(o.tool)},"parameters":{"type":"object","default":${nested}}}}]}`,
      `{"model":${JSON.stringify(o.model)},"messages":[{"role":"user","content":"hi"}],"metadata":${nested}}`,
    ];
    return { kind: 'deep nesting', headers: {}, spoofed: [], body: bodies[where] ?? '' };
  });

const huge = (o: BadRequestOptions) =>
  fc
    .oneof(
      // Past the byte limit, as one string or as many messages.
      fc.nat(4096).map((extra) => ({
        ...ok(o),
        messages: [{ role: 'user', content: 'x'.repeat(o.maxBodyBytes + extra) }],
      })),
      fc.integer({ min: 1, max: 3 }).map((times) => ({
        ...ok(o),
        messages: Array.from({ length: o.maxMessages + times }, () => ({
          role: 'user',
          content: 'a',
        })),
      })),
      fc.integer({ min: 257, max: 20_000 }).map((n) => ({ ...ok(o), user: 'u'.repeat(n) })),
      fc.integer({ min: 129, max: 400 }).map((n) => ({
        ...ok(o),
        tools: Array.from({ length: n }, (_, i) => ({
          type: 'function',
          function: { name: `t${i}` },
        })),
      })),
    )
    .map((body) => json('huge strings and arrays', body));

const invalidUtf8 = (o: BadRequestOptions) =>
  fc
    .tuple(
      fc.constantFrom(
        [0xff],
        [0xc3, 0x28],
        [0xed, 0xa0, 0x80],
        [0xc0, 0xaf],
        [0xf8, 0x88, 0x80, 0x80, 0x80],
        [0xe2, 0x82],
      ),
      fc.boolean(),
    )
    .map(([bad, inContent]): BadRequest => {
      const [head, tail] = inContent
        ? [`{"model":${JSON.stringify(o.model)},"messages":[{"role":"user","content":"`, '"}]}']
        : ['{"model":"', `","messages":[{"role":"user","content":"hi"}]}`];
      const encoder = new TextEncoder();
      const body = new Uint8Array([...encoder.encode(head), ...bad, ...encoder.encode(tail)]);
      return { kind: 'invalid UTF-8', headers: {}, spoofed: [], body };
    });

const oddUnicode = (o: BadRequestOptions) =>
  fc
    .oneof(
      oddString.map((s) => ({ ...ok(o), model: `${o.model}${s}` })),
      oddString.map((s) => ({ ...ok(o), messages: [{ role: `user${s}`, content: 'hi' }] })),
      oddString.map((s) => ({ ...ok(o), [`model${s}`]: 1 })),
      oddString.map((s) => ({
        ...ok(o),
        tools: [
          {
            type: 'function',
            function: { name: `${o.tool}${ODD_CHARS[s.length % ODD_CHARS.length]}${s}` },
          },
        ],
      })),
    )
    .map((body) => json('odd Unicode', body));

const unknownRolesAndFields = (o: BadRequestOptions) =>
  fc
    .oneof(
      fc
        .string({ maxLength: 20 })
        .filter((r) => !ROLES.includes(r))
        .map((role) => ({
          ...ok(o),
          messages: [{ role, content: 'hi' }],
        })),
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((k) => !FIELDS.has(k) && k !== '__proto__')
        .map((key) => ({
          ...ok(o),
          [key]: true,
        })),
      fc
        .constantFrom('functions', 'function_call', 'prompt', 'best_of')
        .map((key) => ({ ...ok(o), [key]: [] })),
      fc.constant({ ...ok(o), messages: [{ role: 'user', content: 'hi', extra: 1 }] }),
    )
    .map((body) => json('unknown roles and fields', body));

const notJsonSchema = (o: BadRequestOptions) =>
  fc
    .constantFrom<unknown>(
      5,
      'object',
      [],
      null,
      { type: 'nonsense' },
      { type: 5 },
      { type: [] },
      { type: 'object', properties: [] },
      { type: 'object', properties: { a: 'string' } },
      { type: 'object', required: 'a' },
      { anyOf: {} },
      { type: 'array', items: 3 },
      { enum: 'a' },
    )
    .map((parameters) =>
      json('tool schemas that are not JSON Schema', {
        ...ok(o),
        tools: [{ type: 'function', function: { name: o.tool, parameters } }],
      }),
    );

/** Internal headers a client must not be able to set, each with an otherwise bad body. */
const SPOOFABLE = [
  'x-router-tier',
  'x-router-provider',
  'x-router-model',
  'x-router-reasons',
  'x-router-degraded',
  'x-switchback-tenant',
  'x-switchback-signature',
  'x-switchback-timestamp',
  'x-switchback-nonce',
  'x-switchback-context',
  'x-switchback-workflow',
];
const headerValue = fc.stringMatching(/^[\x21-\x7e]{1,40}$/);

const spoofedHeaders = (o: BadRequestOptions) =>
  fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...SPOOFABLE), { minLength: 1, maxLength: 4 }),
      headerValue,
      fc.constantFrom<unknown>({ ...ok(o), messages: [] }, { ...ok(o), model: 5 }),
    )
    .map(([names, value, body]): BadRequest => {
      const headers = Object.fromEntries(names.map((n) => [n, `spoof-${value}`]));
      return {
        kind: 'spoofed internal headers',
        headers,
        spoofed: names,
        body: JSON.stringify(body),
      };
    });

/** Header values that try to smuggle a header, a request id or a key shape the router repeats. */
const headerInjection = (o: BadRequestOptions) =>
  fc
    .tuple(
      fc.constantFrom(
        'x-request-id',
        'x-session-affinity',
        'x-workflow',
        'idempotency-key',
        'authorization',
        'content-type',
      ),
      fc.oneof(
        headerValue.map((v) => `${v} x-router-tier: edge`),
        headerValue.map((v) => `${v}\tset-cookie: a=b`),
        fc.integer({ min: 300, max: 9000 }).map((n) => 'v'.repeat(n)),
        fc.constantFrom(
          '',
          ' ',
          'Bearer',
          'Bearer  ',
          'Basic dXNlcjpwYXNz',
          'text/plain',
          'application/x-www-form-urlencoded',
        ),
      ),
    )
    .map(([name, value]): BadRequest => {
      // The body is bad too: only the header decides nothing, the answer is a 4xx whatever it does.
      return {
        kind: 'header injection',
        headers: { [name]: value },
        spoofed: [],
        body: JSON.stringify({ ...ok(o), messages: [{ role: 'nobody', content: 'hi' }] }),
      };
    });

/** Every family of bad request, weighted evenly. */
export const badRequest = (o: BadRequestOptions): fc.Arbitrary<BadRequest> =>
  fc.oneof(
    invalidJson(o),
    wrongTypes(o),
    deepNesting(o),
    huge(o),
    invalidUtf8(o),
    oddUnicode(o),
    unknownRolesAndFields(o),
    notJsonSchema(o),
    spoofedHeaders(o),
    headerInjection(o),
  );

/** `HOSTILE_RUNS` of this process, when there is one (router-core's own types know no `process`). */
export const hostileRunsEnv = (): string | undefined =>
  (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env
    .HOSTILE_RUNS;

/** Runs from `HOSTILE_RUNS` (the long mode sets 10,000), else `fallback`. */
export const hostileRuns = (value: string | undefined, fallback = 1000): number => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

export type EnvelopeCheck = { ok: true } | { ok: false; why: string };

/** What every answer to a bad request must be: a 4xx in OpenAI's envelope saying what to fix. */
export const checkRefusal = (
  request: BadRequest,
  status: number,
  headers: Headers,
  text: string,
): EnvelopeCheck => {
  if (status < 400 || status > 499)
    return { ok: false, why: `status ${status}: ${text.slice(0, 300)}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, why: `status ${status} without a JSON body: ${text.slice(0, 200)}` };
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (
    error === undefined ||
    typeof error.message !== 'string' ||
    typeof error.type !== 'string' ||
    !('code' in error) ||
    !('param' in error)
  ) {
    return { ok: false, why: `not OpenAI's envelope: ${text.slice(0, 200)}` };
  }
  if (
    error.message.length < 15 ||
    /internal error|unexpected failure|something went wrong/i.test(error.message)
  ) {
    return { ok: false, why: `the message does not say what to fix: ${error.message}` };
  }
  for (const name of request.spoofed) {
    const echoed = headers.get(name);
    if (echoed !== null && echoed === request.headers[name]) {
      return { ok: false, why: `the spoofed ${name} was echoed back` };
    }
  }
  return { ok: true };
};
