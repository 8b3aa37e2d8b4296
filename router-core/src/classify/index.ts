export * from './classify.ts';
export * from './context-tier.ts';
export * from './estimate-tokens.ts';
export * from './feature-names.ts';
export * from './glob.ts';
export * from './request-features.ts';
export * from './risk.ts';
