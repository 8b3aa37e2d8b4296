// Generators of bad Responses requests (`POST /v1/responses`) for the hostile suites of edge and
// regional: each is wrong in a way the router must answer with a 4xx in OpenAI's envelope.
import fc from 'fast-check';
import type { BadRequest, BadRequestOptions } from './bad-requests.ts';

const ok = (o: BadRequestOptions) => ({ model: o.model, input: 'hi' });
const json = (kind: string, body: unknown): BadRequest => ({
  kind,
  headers: {},
  spoofed: [],
  body: JSON.stringify(body),
});
const anyJson = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

const FIELDS = [
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'text',
  'max_output_tokens',
  'temperature',
  'top_p',
  'top_logprobs',
  'reasoning',
  'metadata',
  'user',
  'prompt_cache_key',
  'service_tier',
  'truncation',
  'include',
  'stream',
  'store',
  'previous_response_id',
];

const invalidJson = (o: BadRequestOptions) =>
  fc
    .oneof(
      fc.nat().map((cut) => {
        const text = JSON.stringify(ok(o));
        return text.slice(0, cut % (text.length - 1));
      }),
      fc.constantFrom('', 'null', '[]', '42', '"text"', '{"input":', "{'model': 1}"),
    )
    .map((body): BadRequest => ({ kind: 'invalid JSON', headers: {}, spoofed: [], body }));

/** Items of `input` that are no item the router serves. */
const badItem = fc.oneof(
  anyJson.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
  fc.constantFrom<unknown>(
    { type: 'reasoning', id: 'rs_1', summary: [] },
    { type: 'web_search_call', id: 'ws_1' },
    { type: 'item_reference', id: 'msg_1' },
    { role: 'tool', content: 'x' },
    { role: 'user' },
    { role: 'user', content: [] },
    { role: 'user', content: [{ type: 'input_file', file_id: 'f' }] },
    { role: 'user', content: [{ type: 'input_image', file_id: 'f' }] },
    { role: 'system', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] },
    { role: 'assistant', content: [{ type: 'input_text', text: 'x' }] },
    { type: 'function_call', name: 'f', arguments: '{}' },
    { type: 'function_call', call_id: 'c', name: 'f', arguments: {} },
    { type: 'function_call_output', output: 'x' },
    { type: 'function_call_output', call_id: 'c', output: 5 },
    { type: 'message', role: 'user', content: 'hi', extra: 1 },
  ),
  anyJson
    .map((content) => ({ role: 'user', content: typeof content === 'string' ? 5 : content }))
    .filter((item) => !Array.isArray(item.content)),
);

const wrongFields = (o: BadRequestOptions) =>
  fc
    .oneof(
      fc
        .constantFrom<unknown>(5, '', 'x'.repeat(300), null, [])
        .map((model) => ({ ...ok(o), model })),
      fc.constantFrom<unknown>(5, null, true, [], {}).map((input) => ({ ...ok(o), input })),
      fc.array(badItem, { minLength: 1, maxLength: 3 }).chain((bad) =>
        fc.nat(2).map((at) => {
          const input: unknown[] = [{ role: 'user', content: 'hi' }];
          input.splice(at % 2, 0, ...bad);
          return { ...ok(o), input };
        }),
      ),
      fc
        .constantFrom<unknown>(
          5,
          {},
          [{ type: 'web_search' }],
          [{ type: 'function', name: 'bad name!' }],
          [{ type: 'function', function: { name: o.tool } }],
          [{ type: 'function', name: o.tool, parameters: { type: 'nonsense' } }],
          [{ type: 'function', name: o.tool, parameters: 'object' }],
          [{ type: 'custom', name: o.tool }],
        )
        .map((tools) => ({ ...ok(o), tools })),
      fc
        .constantFrom<unknown>(5, 'sometimes', { type: 'function' }, { type: 'web_search_preview' })
        .map((tool_choice) => ({ ...ok(o), tool_choice })),
      fc
        .constantFrom<unknown>(
          'json',
          { format: 'json' },
          { format: { type: 'yaml' } },
          { format: { type: 'json_schema', name: 'x' } },
          { format: { type: 'json_schema', name: 'x', schema: { type: 5 } } },
          { verbosity: 'low' },
        )
        .map((text) => ({ ...ok(o), text })),
      fc
        .constantFrom<unknown>(0, 15, 1.5, '10', -1)
        .map((max_output_tokens) => ({ ...ok(o), max_output_tokens })),
      fc
        .oneof(fc.double({ min: 2.0001, max: 1e9, noNaN: true }), fc.constant(-1))
        .map((temperature) => ({ ...ok(o), temperature })),
      fc
        .constantFrom<unknown>(
          'x',
          { a: 1 },
          Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])),
          { k: 'v'.repeat(513) },
        )
        .map((metadata) => ({ ...ok(o), metadata })),
      fc
        .constantFrom<[string, unknown]>(
          ['truncation', 'auto'],
          ['include', ['reasoning.encrypted_content']],
          ['include', 'x'],
          ['reasoning', { summary: 'auto' }],
          ['reasoning', { effort: 'extreme' }],
          ['stream', 'yes'],
          ['store', 'no'],
          ['previous_response_id', 5],
          ['previous_response_id', ''],
          ['background', 'yes'],
          ['conversation', 'conv_1'],
          ['prompt', { id: 'p' }],
          ['instructions', 5],
          ['top_logprobs', 21],
        )
        .map(([key, value]) => ({ ...ok(o), [key]: value })),
      fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((k) => !FIELDS.includes(k) && k !== '__proto__')
        .map((key) => ({ ...ok(o), [key]: true })),
    )
    .map((body) => json('wrong fields', body));

const huge = (o: BadRequestOptions) =>
  fc
    .oneof(
      fc.nat(4096).map((extra) => ({ ...ok(o), input: 'x'.repeat(o.maxBodyBytes + extra) })),
      fc.integer({ min: 1, max: 3 }).map((times) => ({
        ...ok(o),
        input: Array.from({ length: o.maxMessages + times }, () => ({
          role: 'user',
          content: 'a',
        })),
      })),
      fc.integer({ min: 129, max: 300 }).map((n) => ({
        ...ok(o),
        tools: Array.from({ length: n }, (_, i) => ({ type: 'function', name: `t${i}` })),
      })),
    )
    .map((body) => json('huge strings and arrays', body));

const deepNesting = (o: BadRequestOptions) =>
  fc.tuple(fc.integer({ min: 65, max: 20_000 }), fc.nat(2)).map(([depth, where]): BadRequest => {
    const nested = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const model = JSON.stringify(o.model);
    const bodies = [
      `{"model":${model},"input":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      `{"model":${model},"input":"hi","tools":[{"type":"function","name":${JSON.stringify(o.tool)},"parameters":{"type":"object","default":${nested}}}]}`,
      `{"model":${model},"input":"hi","metadata":${nested}}`,
    ];
    return { kind: 'deep nesting', headers: {}, spoofed: [], body: bodies[where] ?? '' };
  });

const invalidUtf8 = (o: BadRequestOptions) =>
  fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82]).map((bad): BadRequest => {
    const encoder = new TextEncoder();
    const body = new Uint8Array([
      ...encoder.encode(`{"model":${JSON.stringify(o.model)},"input":"`),
      ...bad,
      ...encoder.encode('"}'),
    ]);
    return { kind: 'invalid UTF-8', headers: {}, spoofed: [], body };
  });

/** Every family of bad Responses request, weighted evenly. */
export const badResponsesRequest = (o: BadRequestOptions): fc.Arbitrary<BadRequest> =>
  fc.oneof(invalidJson(o), wrongFields(o), huge(o), deepNesting(o), invalidUtf8(o));
