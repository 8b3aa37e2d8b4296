import type { ErrorEnvelope } from '../errors/router-error.ts';
import type { ChatCompletionChunk, FinishReason, Usage } from '../openai/chat-response.ts';
import {
  newId,
  type OutputFunctionCall,
  type OutputItem,
  type OutputLogprob,
  type OutputMessage,
  outputLogprobs,
  type ResponseObject,
  responseUsage,
  statusOf,
} from './response-object.ts';

/** One typed event of a streamed response, before its `sequence_number`. */
export type ResponseStreamEvent =
  | { type: 'response.created' | 'response.in_progress'; response: ResponseObject }
  | {
      type: 'response.completed' | 'response.incomplete' | 'response.failed';
      response: ResponseObject;
    }
  | {
      type: 'response.output_item.added' | 'response.output_item.done';
      output_index: number;
      item: OutputItem;
    }
  | {
      type: 'response.content_part.added' | 'response.content_part.done';
      item_id: string;
      output_index: number;
      content_index: number;
      part: OutputMessage['content'][number];
    }
  | {
      type: 'response.output_text.delta';
      item_id: string;
      output_index: number;
      content_index: number;
      delta: string;
      logprobs: OutputLogprob[];
    }
  | {
      type: 'response.output_text.done';
      item_id: string;
      output_index: number;
      content_index: number;
      text: string;
      logprobs: OutputLogprob[];
    }
  | {
      type: 'response.function_call_arguments.delta';
      item_id: string;
      output_index: number;
      delta: string;
    }
  | {
      type: 'response.function_call_arguments.done';
      item_id: string;
      output_index: number;
      arguments: string;
    }
  | { type: 'error'; code: string; message: string; param: string | null };

export type SequencedEvent = ResponseStreamEvent & { sequence_number: number };

type OpenText = { item: OutputMessage; index: number; text: string; logprobs: OutputLogprob[] };
type OpenCall = { item: OutputFunctionCall; index: number; chatIndex: number };

/**
 * The typed Responses events of a chat-completions stream, without I/O: fed chat chunks, it
 * returns the events each one makes (`response.created` and `response.in_progress` with the
 * first; a message item with one `output_text` part for text; a `function_call` item per tool
 * call, its arguments as deltas), and the closing events at `end` (every open item done, then
 * `response.completed`, or `response.incomplete` when the answer was cut by its length) or at
 * `fail` with the error envelope the chat stream ended with (`response.failed`, then `error`).
 */
export const createResponseStream = (shell: ResponseObject) => {
  let sequence = 0;
  let started = false;
  let response = shell;
  let finish: FinishReason | null = null;
  let usage: Usage | undefined;
  const output: OutputItem[] = [];
  let text: OpenText | undefined;
  let call: OpenCall | undefined;
  const out: SequencedEvent[] = [];
  const emit = (event: ResponseStreamEvent) => {
    out.push({ ...event, sequence_number: sequence++ } as SequencedEvent);
  };
  const snapshot = (): ResponseObject => ({ ...response, output: structuredClone(output) });

  const closeText = () => {
    if (text === undefined) return;
    const { item, index } = text;
    const part = { type: 'output_text' as const, text: text.text, annotations: [] as [] };
    const logprobs = text.logprobs;
    const id = item.id;
    emit({
      type: 'response.output_text.done',
      item_id: id,
      output_index: index,
      content_index: 0,
      text: text.text,
      logprobs,
    });
    emit({
      type: 'response.content_part.done',
      item_id: id,
      output_index: index,
      content_index: 0,
      part,
    });
    item.content = [logprobs.length > 0 ? { ...part, logprobs } : part];
    item.status = finish === 'length' ? 'incomplete' : 'completed';
    emit({ type: 'response.output_item.done', output_index: index, item: structuredClone(item) });
    text = undefined;
  };
  const closeCall = () => {
    if (call === undefined) return;
    const { item, index } = call;
    emit({
      type: 'response.function_call_arguments.done',
      item_id: item.id,
      output_index: index,
      arguments: item.arguments,
    });
    item.status = 'completed';
    emit({ type: 'response.output_item.done', output_index: index, item: structuredClone(item) });
    call = undefined;
  };

  const onText = (delta: string, logprobs: OutputLogprob[]) => {
    closeCall();
    if (text === undefined) {
      const item: OutputMessage = {
        id: newId('msg'),
        type: 'message',
        status: 'in_progress',
        role: 'assistant',
        content: [],
      };
      const index = output.push(item) - 1;
      emit({
        type: 'response.output_item.added',
        output_index: index,
        item: structuredClone(item),
      });
      emit({
        type: 'response.content_part.added',
        item_id: item.id,
        output_index: index,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      });
      text = { item, index, text: '', logprobs: [] };
    }
    text.text += delta;
    text.logprobs.push(...logprobs);
    emit({
      type: 'response.output_text.delta',
      item_id: text.item.id,
      output_index: text.index,
      content_index: 0,
      delta,
      logprobs,
    });
  };

  const onToolCall = (
    chatIndex: number,
    id: string | undefined,
    name: string | undefined,
    args: string,
  ) => {
    if (call === undefined || call.chatIndex !== chatIndex) {
      closeText();
      closeCall();
      const item: OutputFunctionCall = {
        id: newId('fc'),
        type: 'function_call',
        status: 'in_progress',
        call_id: id ?? '',
        name: name ?? '',
        arguments: '',
      };
      const index = output.push(item) - 1;
      emit({
        type: 'response.output_item.added',
        output_index: index,
        item: structuredClone(item),
      });
      call = { item, index, chatIndex };
    } else {
      if (id) call.item.call_id = id;
      if (name) call.item.name += name;
    }
    if (args === '') return;
    call.item.arguments += args;
    emit({
      type: 'response.function_call_arguments.delta',
      item_id: call.item.id,
      output_index: call.index,
      delta: args,
    });
  };

  const drain = (): SequencedEvent[] => out.splice(0, out.length);

  return {
    /** The events one chat chunk makes. */
    push(chunk: ChatCompletionChunk): SequencedEvent[] {
      if (!started) {
        started = true;
        response = { ...response, model: chunk.model || response.model };
        emit({ type: 'response.created', response: snapshot() });
        emit({ type: 'response.in_progress', response: snapshot() });
      }
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices.find((c) => c.index === 0);
      if (choice === undefined) return drain();
      const { delta } = choice;
      if (delta.content) onText(delta.content, outputLogprobs(choice.logprobs));
      for (const tool of delta.tool_calls ?? []) {
        onToolCall(tool.index, tool.id, tool.function?.name, tool.function?.arguments ?? '');
      }
      if (choice.finish_reason) finish = choice.finish_reason;
      return drain();
    },
    /** The closing events of a stream that ended whole. */
    end(): SequencedEvent[] {
      closeText();
      closeCall();
      const status = statusOf(finish);
      response = { ...response, ...status, usage: usage ? responseUsage(usage) : null };
      emit({
        type: status.status === 'completed' ? 'response.completed' : 'response.incomplete',
        response: snapshot(),
      });
      return drain();
    },
    /** The closing events of a stream cut short: `response.failed`, then the `error` event. */
    fail(error: ErrorEnvelope['error']): SequencedEvent[] {
      response = {
        ...response,
        status: 'failed',
        error: { code: error.code, message: error.message },
        usage: usage ? responseUsage(usage) : null,
      };
      emit({ type: 'response.failed', response: snapshot() });
      emit({ type: 'error', code: error.code, message: error.message, param: error.param });
      return drain();
    },
    /** The response as it stands (completed once `end` ran). */
    response: snapshot,
  };
};

export type ResponseStream = ReturnType<typeof createResponseStream>;
