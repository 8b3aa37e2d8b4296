export * from './chat-provider.ts';
export * from './upstream-error.ts';
export * from './gateway.ts';
