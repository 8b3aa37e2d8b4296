export * from './plain-text-event.ts';
export * from './sse.ts';
export * from './sse-source.ts';
export * from './sse-writer.ts';
export * from './wire-event.ts';
export * from './wire-scanner.ts';
