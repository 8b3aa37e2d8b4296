export * from './sse.ts';
export * from './sse-writer.ts';
