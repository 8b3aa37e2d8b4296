export * from './audit-chain.ts';
export * from './audit-event.ts';
export * from './audit-log.ts';
export * from './canonical-json.ts';
export * from './luhn.ts';
export * from './redact-pii.ts';
export * from './tool-audit.ts';
export * from './verify-audit-log.ts';
