export * from './canary-split.ts';
export * from './rollout-gate.ts';
