export * from './base64url.ts';
export * from './fast-hash.ts';
export * from './hmac.ts';
export * from './sha256.ts';
