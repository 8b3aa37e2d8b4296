import { DurableObject } from 'cloudflare:workers';
import {
  adjustWindows,
  type QuotaAdjust,
  type QuotaTake,
  type QuotaVerdict,
  type QuotaWindows,
  takeFromWindows,
} from '@switchback/router-core';

const WINDOWS_KEY = 'windows';

/**
 * One tenant's quota windows, every request class of it in one object: router-core's arithmetic
 * over this object's storage. Every method is synchronous over synchronous storage, so each call
 * runs alone: a burst of concurrent requests is admitted exactly up to the limit, and a take from
 * two classes (workflow and `regional`, say) is all or nothing. Bucket names come from the config,
 * so the stored record never grows with what clients send.
 */
export class QuotaObject extends DurableObject<Env> {
  #windows(): QuotaWindows {
    return this.ctx.storage.kv.get<QuotaWindows>(WINDOWS_KEY) ?? {};
  }

  /** One request and `tokens` from every bucket of `take`, or none, and what is left. */
  take(take: QuotaTake): QuotaVerdict {
    const { verdict, windows } = takeFromWindows(this.#windows(), take, take.now ?? Date.now());
    if (windows !== undefined) this.ctx.storage.kv.put(WINDOWS_KEY, windows);
    return verdict;
  }

  /** Adds to (or gives back from) the windows of an earlier take. */
  adjust(adjust: QuotaAdjust): void {
    const windows = adjustWindows(this.#windows(), adjust);
    if (windows !== undefined) this.ctx.storage.kv.put(WINDOWS_KEY, windows);
  }
}
