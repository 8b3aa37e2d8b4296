export * from './affinity-key.ts';
export * from './prefix-hint.ts';
export * from './rendezvous.ts';
export * from './session-key.ts';
export * from './tenant-scoped-name.ts';
