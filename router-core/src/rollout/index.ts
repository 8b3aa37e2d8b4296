export * from './canary-split.ts';
export * from './gate-from-audit.ts';
export * from './rollout-gate.ts';
