export * from './chat-request.ts';
export type * from './chat-response.ts';
export * from './stream-summary.ts';
