export * from './redact-request.ts';
export * from './tool-allowlist.ts';
