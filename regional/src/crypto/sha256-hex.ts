import { createHash } from 'node:crypto';
import type { Sha256HexSync } from '@switchback/router-core';

/** Hex SHA-256 of a UTF-8 string on node:crypto: synchronous, and cheaper than WebCrypto's queue. */
export const sha256HexSync: Sha256HexSync = (text) =>
  createHash('sha256').update(text).digest('hex');
