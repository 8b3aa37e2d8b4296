export * from './approval-token.ts';
export * from './redact-request.ts';
export * from './side-effect-stage.ts';
export * from './tool-allowlist.ts';
export * from './tool-governance.ts';
