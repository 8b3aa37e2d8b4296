import { describe, expect, it } from 'vitest';
import { decodeEscalationContext, encodeEscalationContext } from './escalation-context.ts';
import {
  ESCALATION_HEADERS,
  MAX_CLOCK_SKEW_MS,
  signEscalation,
  verifyEscalation,
} from './escalation-headers.ts';

const context = {
  tenantId: 'acme',
  workflow: 'support',
  requestId: 'req_1',
  affinityKey: 'a'.repeat(64),
  prefix: { key: 'p'.repeat(64), messageCount: 2, tokens: 1500 },
  reasons: ['complex_prompt' as const, 'tools_requested' as const],
};
const body = '{"model":"auto","messages":[{"role":"user","content":"Grüße 👋"}]}';
const now = 1_780_000_000_000;

const signed = (overrides: { timestamp?: number } = {}) =>
  signEscalation('s3cret', {
    method: 'POST',
    path: '/v1/chat/completions',
    body,
    context,
    timestamp: overrides.timestamp ?? now,
    nonce: 'n-1',
  });

const verify = (headers: Record<string, string>, changes: { body?: string; now?: number } = {}) =>
  verifyEscalation('s3cret', {
    method: 'POST',
    path: '/v1/chat/completions',
    body: changes.body ?? body,
    headers: new Headers(headers),
    now: changes.now ?? now,
  });

describe('escalation context', () => {
  it('round-trips through the base64url header value, non-ASCII included', () => {
    const value = encodeEscalationContext({ ...context, workflow: 'süpport' });
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeEscalationContext(value)).toEqual({ ...context, workflow: 'süpport' });
  });

  it('rejects values that are not a valid context', () => {
    expect(decodeEscalationContext('not base64!')).toBeUndefined();
    expect(decodeEscalationContext(btoa('{"tenantId":"x"}'))).toBeUndefined();
    expect(
      decodeEscalationContext(encodeEscalationContext({ ...context, reasons: ['nope' as never] })),
    ).toBeUndefined();
  });
});

describe('signEscalation / verifyEscalation', () => {
  it('sets the four headers with a v1= signature and verifies them', async () => {
    const headers = await signed();
    expect(Object.keys(headers).sort()).toEqual(Object.values(ESCALATION_HEADERS).sort());
    expect(headers[ESCALATION_HEADERS.signature]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(await verify(headers)).toEqual({ ok: true, context, nonce: 'n-1', timestamp: now });
  });

  it('rejects a request without the headers', async () => {
    expect(await verify({})).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it('rejects a tampered body', async () => {
    expect(await verify(await signed(), { body: body.replace('auto', 'gpt') })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects timestamps more than a minute away, either way', async () => {
    const headers = await signed();
    expect(await verify(headers, { now: now + MAX_CLOCK_SKEW_MS })).toMatchObject({ ok: true });
    expect(await verify(headers, { now: now + MAX_CLOCK_SKEW_MS + 1 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(await verify(headers, { now: now - MAX_CLOCK_SKEW_MS - 1 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });
});
