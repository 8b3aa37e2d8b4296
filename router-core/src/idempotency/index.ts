export * from './idempotency-claim.ts';
