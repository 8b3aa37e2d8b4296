export * from './body-reader.ts';
export * from './chat-request.ts';
export type * from './chat-response.ts';
export * from './parse-chat-body.ts';
export * from './stream-summary.ts';
