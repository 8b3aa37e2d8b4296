import { describe, expect, it } from 'vitest';
import {
  CASE_CLASSIFICATION,
  caseBody,
  caseHeaders,
  checkQuotaAnswer,
  QUOTA_CASES,
} from '../../router-core/test/quota/quota-cases.ts';
import { appWith, configWith, sha256Hex } from './helpers.ts';

/** The quota window is the clock minute: start well inside one, so a case cannot straddle two. */
const awayFromMinuteBoundary = async () => {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
};

describe('the edge door answers the shared quota cases', () => {
  it.each(QUOTA_CASES)('$name', async (quotaCase) => {
    const id = `contract-${crypto.randomUUID().slice(0, 8)}`;
    const key = `sk-test-${id}`;
    const sha256 = await sha256Hex(key);
    const call = appWith(
      configWith((c) => {
        c.quotas = { ...c.quotas, [id]: quotaCase.quota };
        c.tenants.push({ id, class: id, keys: [{ id: `${id}-1`, sha256 }] });
        c.classification = { ...c.classification, ...CASE_CLASSIFICATION };
        if (quotaCase.unknownWorkflow !== undefined) {
          c.limits = { ...c.limits, unknownWorkflow: quotaCase.unknownWorkflow };
        }
      }),
    );
    await awayFromMinuteBoundary();
    const statuses: number[] = [];
    for (const send of quotaCase.sends) {
      const res = await call({ key, headers: caseHeaders(send), body: caseBody(send) });
      const text = await res.text();
      expect(checkQuotaAnswer(res.status, res.headers, text)).toBeUndefined();
      statuses.push(res.status);
    }
    expect(statuses).toEqual(quotaCase.statuses);
  });
});
