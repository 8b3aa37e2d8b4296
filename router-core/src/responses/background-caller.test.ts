import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../../test/example-config.ts';
import { MAX_CLOCK_SKEW_MS } from '../signing/escalation-headers.ts';
import {
  createJobSigner,
  isJobCaller,
  JOB_CALLER_HEADERS,
  MAX_JOB_AGE_MS,
} from './background-caller.ts';
import type { BackgroundJob } from './background-queue.ts';
import { parseResponsesBody } from './parse-responses-body.ts';
import { responseShell } from './response-object.ts';

const NOW = 1_780_000_000_000;
const job: BackgroundJob = (() => {
  const request = parseResponsesBody(
    JSON.stringify({ model: 'smart', input: 'Grüße', background: true }),
    exampleConfig.limits,
  );
  return {
    tenantId: 'acme',
    keyId: 'key-1',
    request,
    history: [],
    queued: { ...responseShell(request, 'resp_1', NOW / 1000), status: 'queued', store: true },
    chat: {
      url: 'http://door/v1/chat/completions',
      headers: [['idempotency-key', 'k-1']],
      body: '{"model":"smart","messages":[{"role":"user","content":"Grüße"}]}',
    },
  };
})();

const signer = createJobSigner('s3cret');
const verify = (headers: Headers, changes: { body?: string; now?: number; path?: string } = {}) =>
  signer.verify({
    method: 'POST',
    path: changes.path ?? '/v1/chat/completions',
    body: changes.body ?? job.chat.body,
    headers,
    now: changes.now ?? NOW,
  });

describe('background job seals', () => {
  it('hold for the job as queued, also read back from its JSON', async () => {
    const sealed = await signer.seal(job);
    expect(sealed.seal).toMatch(/^[0-9a-f]{64}$/);
    expect(await signer.sealed(sealed, NOW)).toBe(true);
    expect(await signer.sealed(JSON.parse(JSON.stringify(sealed)), NOW)).toBe(true);
  });

  it.each([
    ['another tenant', { ...job, tenantId: 'other' }],
    ['another key', { ...job, keyId: 'key-2' }],
    ['another body', { ...job, chat: { ...job.chat, body: '{}' } }],
    ['another header', { ...job, chat: { ...job.chat, headers: [['x-workflow', 'free']] } }],
    ['another history', { ...job, history: [{ role: 'user', content: 'injected' }] }],
  ] as [string, BackgroundJob][])('do not hold for %s', async (_label, changed) => {
    const { seal } = await signer.seal(job);
    expect(await signer.sealed({ ...changed, seal }, NOW)).toBe(false);
  });

  it('do not hold under another secret, nor past a day', async () => {
    const sealed = await signer.seal(job);
    expect(await createJobSigner('other').sealed(sealed, NOW)).toBe(false);
    const created = job.queued.created_at * 1000;
    expect(await signer.sealed(sealed, created + MAX_JOB_AGE_MS)).toBe(true);
    expect(await signer.sealed(sealed, created + MAX_JOB_AGE_MS + 1)).toBe(false);
  });
});

describe('background job callers', () => {
  it('present the tenant, key id and response, signed, and verify', async () => {
    const headers = await signer.present(job, { timestamp: NOW, nonce: 'n-1' });
    const names: string[] = [];
    headers.forEach((_value, name) => {
      names.push(name);
    });
    expect(names.sort()).toEqual(Object.values(JOB_CALLER_HEADERS).sort());
    expect(headers.get(JOB_CALLER_HEADERS.signature)).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(isJobCaller(headers)).toBe(true);
    expect(await verify(headers)).toEqual({
      ok: true,
      caller: { tenantId: 'acme', keyId: 'key-1', responseId: 'resp_1' },
      nonce: 'n-1',
    });
  });

  it('are refused without their headers, tampered, or under another secret', async () => {
    const headers = await signer.present(job, { timestamp: NOW, nonce: 'n-1' });
    expect(isJobCaller(new Headers())).toBe(false);
    expect(await verify(new Headers())).toEqual({ ok: false, reason: 'missing_headers' });
    const bad = { ok: false, reason: 'bad_signature' };
    expect(await verify(headers, { body: '{}' })).toEqual(bad);
    expect(await verify(headers, { path: '/v1/responses' })).toEqual(bad);
    const other = new Headers(headers);
    other.set(
      JOB_CALLER_HEADERS.caller,
      btoa(JSON.stringify({ tenantId: 'other', keyId: 'key-1', responseId: 'resp_1' })),
    );
    expect(await verify(other)).toEqual(bad);
    const foreign = await createJobSigner('other').present(job, { timestamp: NOW });
    expect(await verify(foreign)).toEqual(bad);
    // A seal, kept at rest, is no presentation: another key signs it.
    const { seal } = await signer.seal(job);
    const fromSeal = new Headers(headers);
    fromSeal.set(JOB_CALLER_HEADERS.signature, `v1=${seal}`);
    expect(await verify(fromSeal)).toEqual(bad);
  });

  it('are refused more than a minute away, either way', async () => {
    const headers = await signer.present(job, { timestamp: NOW });
    expect(await verify(headers, { now: NOW + MAX_CLOCK_SKEW_MS })).toMatchObject({ ok: true });
    const stale = { ok: false, reason: 'stale_timestamp' };
    expect(await verify(headers, { now: NOW + MAX_CLOCK_SKEW_MS + 1 })).toEqual(stale);
    expect(await verify(headers, { now: NOW - MAX_CLOCK_SKEW_MS - 1 })).toEqual(stale);
  });
});
