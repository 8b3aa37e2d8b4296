// What a client reads of a held side-effect call, the same at both doors' tests: a non-streamed
// answer's first tool call, and a streamed one's call (its deltas put together) with the
// approval its last chunk carries.

/** A tool call as an answer names it. */
export type AnswerToolCall = {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
};

/** The first tool call of a non-streamed answer (a test fails without one). */
export const firstToolCall = async (response: Response): Promise<AnswerToolCall> => {
  const body = (await response.json()) as {
    choices: { message: { tool_calls?: AnswerToolCall[] } }[];
  };
  const call = body.choices[0]?.message.tool_calls?.[0];
  if (call === undefined) throw new Error('no tool call in the answer');
  return call;
};

type StreamChunk = {
  choices: { delta: { tool_calls?: { id?: string; function?: { arguments?: string } }[] } }[];
};

/** The stream's last chunk's `switchback_approval` (router-core's `streamApprovalChunk`). */
export type StreamApproval = {
  required: boolean;
  calls: { call_id: string; tool: string; token: string }[];
};

/** A streamed answer's one tool call and what its last chunk says of it. */
export const heldCallOfStream = (chunks: readonly StreamChunk[]) => {
  const deltas = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []));
  const last = chunks.at(-1) as
    | (StreamChunk & { switchback_approval?: StreamApproval })
    | undefined;
  return {
    callId: deltas.find((d) => d.id)?.id ?? '',
    args: deltas.map((d) => d.function?.arguments ?? '').join(''),
    lastChoices: last?.choices,
    approval: last?.switchback_approval,
  };
};
