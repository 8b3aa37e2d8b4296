// Contract for helpers: see router-core/CONTRACT.md (functions router-core delivers, edge→regional protocol).
export * from './config/index.ts';
export * from './errors/index.ts';
export * from './openai/index.ts';
export * from './provider/index.ts';
export type * from './routing/contracts.ts';
export * from './routing/reason-codes.ts';
export * from './routing/tiers.ts';
export * from './sse/index.ts';
