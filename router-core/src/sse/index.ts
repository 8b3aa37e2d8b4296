export * from './sse.ts';
export * from './sse-writer.ts';
export * from './wire-event.ts';
