export * from './tool-allowlist.ts';
