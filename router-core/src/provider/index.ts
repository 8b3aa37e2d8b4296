export * from './chat-provider.ts';
export * from './failure-action.ts';
export * from './gateway.ts';
export * from './gateway-cache.ts';
export * from './upstream-error.ts';
export * from './upstream-failure.ts';
