export * from './from-chat-completion.ts';
export * from './parse-responses-body.ts';
export * from './response-event-stream.ts';
export * from './response-object.ts';
export * from './responses-request.ts';
export * from './serve-responses.ts';
export * from './stream-events.ts';
export * from './to-chat-request.ts';
