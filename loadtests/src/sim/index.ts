// The simulated providers, one HTTP/1.1 + h2c port (see DESIGN.md, "Simulated providers"):
//   POST /openai/v1/chat/completions, POST /openai/v1/responses,
//   GET /openai/v1/models                                                    OpenAI
//   POST /compat/v1/chat/completions, GET /compat/v1/models                  vLLM-like
//   POST /workers-ai/client/v4/accounts/:account/ai/run/<model>              Workers AI REST
//   POST /workers-ai/client/v4/accounts/:account/ai/v1/chat/completions, GET …/ai/v1/models
//   POST /bedrock/model/:modelId/converse | converse-stream                  Bedrock runtime
//   /_sim/faults (POST, GET, DELETE, DELETE /:id), GET /_sim/stats,
//   GET /_sim/requests?target=T&limit=N, DELETE /_sim/requests,
//   POST /_sim/reset, GET /healthz                                           control
export { jsonReplyText, replyText, replyWords, textTokens } from './chat/reply-words.ts';
export { isSummaryRequest, summaryWords } from './chat/summary-reply.ts';
export { type SimTokenLogprob, simLogprobs } from './openai/logprobs.ts';
export { type Simulator, startSimulator } from './server.ts';
export type { SimOptions } from './sim-options.ts';
export { FAULT_KINDS, type FaultKind, type FaultSpec } from './state/fault-spec.ts';
export type { Fault } from './state/fault-store.ts';
export { CACHE_BLOCK_TOKENS, CACHE_MIN_TOKENS } from './state/prefix-cache.ts';
export type { LoggedRequest } from './state/request-log.ts';
export type { ModelStats, StatsSnapshot } from './state/stats.ts';
export { TARGETS, type Target } from './targets.ts';
export { CHAT_COMPLETION_MODELS, REASONING_TOKENS } from './workers-ai/workers-ai-models.ts';
