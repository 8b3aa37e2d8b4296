export * from './create-provider.ts';
