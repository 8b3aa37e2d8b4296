// Contract for helpers: see router-core/CONTRACT.md (functions router-core delivers, edge→regional protocol).
export * from './affinity/index.ts';
export * from './audit/index.ts';
export * from './budgets/index.ts';
export * from './classify/index.ts';
export * from './compaction/index.ts';
export * from './config/index.ts';
export * from './crypto/index.ts';
export * from './errors/index.ts';
export * from './explain/index.ts';
export * from './idempotency/index.ts';
export * from './openai/index.ts';
export * from './policy/index.ts';
export * from './provider/index.ts';
export * from './quota/index.ts';
export * from './routing/index.ts';
export * from './signing/index.ts';
export * from './sse/index.ts';
