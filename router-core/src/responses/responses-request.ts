import * as z from 'zod';
import { jsonSchemaObject, toolSchema } from '../openai/chat-request.ts';

const ITEM_STATUS = z.enum(['in_progress', 'completed', 'incomplete']).nullable().optional();

const inputText = z.strictObject({ type: z.literal('input_text'), text: z.string() });
const inputImage = z.strictObject({
  type: z.literal('input_image'),
  image_url: z.string().min(1),
  detail: z.enum(['auto', 'low', 'high']).optional(),
});
const outputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).max(0, 'annotations cannot be sent back here').optional(),
  logprobs: z.array(z.unknown()).optional(),
});
const refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

const userParts = z.array(z.discriminatedUnion('type', [inputText, inputImage])).min(1);
const textParts = z.array(inputText).min(1);

// Messages as clients send them back, output messages of an earlier response (id, status)
// included: the role picks the parts each may hold.
const message = <R extends z.ZodType, C extends z.ZodType>(role: R, content: C) =>
  z.strictObject({
    type: z.literal('message'),
    role,
    content,
    id: z.string().optional(),
    status: ITEM_STATUS,
  });

const userMessage = message(z.literal('user'), z.union([z.string(), userParts]));
const systemMessage = message(z.enum(['system', 'developer']), z.union([z.string(), textParts]));
const assistantMessage = message(
  z.literal('assistant'),
  z.union([z.string(), z.array(z.discriminatedUnion('type', [outputText, refusal])).min(1)]),
).extend({ phase: z.enum(['commentary', 'final_answer']).nullable().optional() });

const functionCall = z.strictObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().optional(),
  status: ITEM_STATUS,
});

const functionCallOutput = z.strictObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), textParts]),
  id: z.string().nullable().optional(),
  status: ITEM_STATUS,
});

const messageItem = z.discriminatedUnion('role', [userMessage, systemMessage, assistantMessage]);

const withType = (item: unknown): unknown =>
  item !== null && typeof item === 'object' && !Array.isArray(item) && !('type' in item)
    ? { type: 'message', ...item }
    : item;

/**
 * One item of `input`: a message (any role; `type` may be left out), a function call, or a
 * function call's output; any other type is refused at `type`.
 */
export const responseInputItemSchema = z.preprocess(
  withType,
  z.discriminatedUnion('type', [messageItem, functionCall, functionCallOutput]),
);

/** A function tool in the Responses shape (flat: `name` beside `type`). */
const functionTool = z.strictObject({
  type: z.literal('function'),
  name: toolSchema.shape.function.shape.name,
  description: z.string().nullable().optional(),
  parameters: jsonSchemaObject.nullable().optional(),
  strict: z.boolean().nullable().optional(),
});

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.strictObject({ type: z.literal('function'), name: z.string().min(1) }),
]);

const textFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: z.string().min(1).max(64),
    schema: jsonSchemaObject,
    description: z.string().optional(),
    strict: z.boolean().nullable().optional(),
  }),
]);

/**
 * OpenAI's `POST /v1/responses` body, strict like the chat schema: what the router can honour
 * through chat completions, and nothing it would have to drop. Built-in tools, files, `include`
 * entries and `truncation: auto` are refused with their path; `background` is the door's to serve
 * or refuse.
 */
export const responsesRequestSchema = z.strictObject({
  model: z.string().min(1).max(256),
  input: z.union([z.string(), z.array(responseInputItemSchema).min(1)]),
  instructions: z.string().nullable().optional(),
  tools: z.array(functionTool).max(128).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().nullable().optional(),
  text: z
    .strictObject({ format: textFormat.optional(), verbosity: z.null().optional() })
    .optional(),
  max_output_tokens: z.number().int().min(16).nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  reasoning: z
    .strictObject({
      effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional(),
      summary: z.null().optional(),
    })
    .nullable()
    .optional(),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, 'at most 16 keys')
    .nullable()
    .optional(),
  user: z.string().max(256).optional(),
  prompt_cache_key: z.string().max(256).nullable().optional(),
  service_tier: z.string().nullable().optional(),
  truncation: z.literal('disabled').nullable().optional(),
  include: z.array(z.literal('message.output_text.logprobs')).nullable().optional(),
  stream: z.boolean().nullable().optional(),
  store: z.boolean().nullable().optional(),
  background: z.boolean().nullable().optional(),
  previous_response_id: z.string().min(1).max(128).nullable().optional(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type ResponseInputItem = z.infer<typeof responseInputItemSchema>;
export type ResponsesTool = NonNullable<ResponsesRequest['tools']>[number];
