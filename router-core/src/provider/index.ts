export * from './chat-provider.ts';
export * from './gateway.ts';
export * from './upstream-error.ts';
