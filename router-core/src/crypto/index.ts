export * from './fast-hash.ts';
export * from './hmac.ts';
export * from './sha256.ts';
