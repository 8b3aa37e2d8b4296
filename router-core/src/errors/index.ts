export * from './error-codes.ts';
export * from './router-error.ts';
