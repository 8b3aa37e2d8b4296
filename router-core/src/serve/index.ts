export * from './first-chunk.ts';
export * from './give-up.ts';
export * from './linked-signal.ts';
export * from './request-id.ts';
export * from './until-aborted.ts';
