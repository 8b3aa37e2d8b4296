export * from './create-provider.ts';
export * from './upstream-failure.ts';
