import { randomBytes } from 'node:crypto';

// A per-process random stem plus a counter: unique ids without per-request randomness.
const stem = randomBytes(6).toString('hex');
let counter = 0;

/** A unique id such as `chatcmpl-3f9a…-12`. */
export const newId = (prefix: string): string => `${prefix}${stem}${(++counter).toString(36)}`;
