export type * from './contracts.ts';
export * from './decide.ts';
export * from './model-list.ts';
export * from './parameter-support.ts';
export * from './reason-codes.ts';
export * from './resolve-model.ts';
export * from './route-targets.ts';
export * from './session.ts';
export * from './tiers.ts';
