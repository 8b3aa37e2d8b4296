export * from './checkpoint-store.ts';
export * from './compact-conversation.ts';
export * from './compaction-audit.ts';
export * from './compaction-spec.ts';
export * from './memory-checkpoint-store.ts';
export * from './message-tokens.ts';
export * from './summary-request.ts';
export * from './turns.ts';
