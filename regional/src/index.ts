export * from './create-regional-app.ts';
export type { LogEntry, LogSink } from './http/finish-request.ts';
export type { Env } from './providers/create-provider.ts';
export * from './start-regional-server.ts';
