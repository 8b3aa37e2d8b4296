import { newId, type OutputItem } from './response-object.ts';
import type { ResponseInputItem, ResponsesRequest } from './responses-request.ts';

type InputMessage = Extract<ResponseInputItem, { role: string }>;
type Part = Exclude<InputMessage['content'], string>[number];

/** An input item as `GET /v1/responses/{id}/input_items` lists it: with an id and a status. */
export type ListedInputItem =
  | {
      id: string;
      type: 'message';
      role: InputMessage['role'];
      status: 'completed';
      content: Part[];
    }
  | {
      id: string;
      type: 'function_call';
      status: 'completed';
      call_id: string;
      name: string;
      arguments: string;
    }
  | {
      id: string;
      type: 'function_call_output';
      status: 'completed';
      call_id: string;
      output: Extract<ResponseInputItem, { type: 'function_call_output' }>['output'];
    };

const partsOf = (message: InputMessage): Part[] => {
  if (typeof message.content !== 'string') return message.content;
  return message.role === 'assistant'
    ? [{ type: 'output_text', text: message.content, annotations: [] }]
    : [{ type: 'input_text', text: message.content }];
};

/** A request's input as listed items: a string becomes one user message, ids kept or minted. */
export const listedInputItems = (input: ResponsesRequest['input']): ListedInputItem[] => {
  if (typeof input === 'string') {
    return [
      {
        id: newId('msg'),
        type: 'message',
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: input }],
      },
    ];
  }
  return input.map((item): ListedInputItem => {
    if ('role' in item) {
      const { role } = item;
      const id = item.id ?? newId('msg');
      return { id, type: 'message', role, status: 'completed', content: partsOf(item) };
    }
    if (item.type === 'function_call') {
      const { call_id, name } = item;
      const id = item.id ?? newId('fc');
      return {
        id,
        type: 'function_call',
        status: 'completed',
        call_id,
        name,
        arguments: item.arguments,
      };
    }
    const { call_id, output } = item;
    const id = item.id ?? newId('fco');
    return { id, type: 'function_call_output', status: 'completed', call_id, output };
  });
};

/** A response's output as the input items a continuation of it starts from. */
export const outputAsInput = (output: readonly OutputItem[]): ResponseInputItem[] =>
  output.map((item): ResponseInputItem => {
    if (item.type === 'function_call') {
      const { call_id, name } = item;
      return { type: 'function_call', call_id, name, arguments: item.arguments };
    }
    const content = item.content.map((part) =>
      part.type === 'output_text'
        ? { type: 'output_text' as const, text: part.text, annotations: [] }
        : part,
    );
    return { type: 'message', role: 'assistant', content };
  });

/** `?limit=&order=&after=` of an items list, OpenAI's defaults: 20, newest first. */
export const listPage = <T extends { id: string }>(
  items: readonly T[],
  query: URLSearchParams,
): {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
} => {
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 20) || 20));
  const ordered = query.get('order') === 'asc' ? [...items] : [...items].reverse();
  const after = query.get('after');
  const start = after === null ? 0 : ordered.findIndex((item) => item.id === after) + 1;
  const data = ordered.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < ordered.length,
  };
};
