import {
  type BackgroundJob,
  createJobSigner,
  JOB_CALLER_HEADERS,
  MAX_CLOCK_SKEW_MS,
  parseResponsesBody,
  responseShell,
} from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../testing/harness.ts';

const SECRET = 'test-shared-secret';
const body = JSON.stringify({
  model: 'smart',
  messages: [{ role: 'user', content: 'a background run' }],
  max_completion_tokens: 8,
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ hmacSecret: SECRET });
});
afterAll(async () => {
  await h.close();
});

/** A job of the test tenant's key `keyId`, as its door queued it. */
const jobOf = (keyId: string): BackgroundJob => {
  const request = parseResponsesBody(
    JSON.stringify({ model: 'smart', input: 'a background run', background: true }),
    h.config.limits,
  );
  const shell = responseShell(request, 'resp_job_caller', Math.floor(Date.now() / 1000));
  return {
    tenantId: 'demo',
    keyId,
    request,
    history: [],
    queued: { ...shell, status: 'queued', store: true },
    chat: { url: `${h.server.url}/v1/chat/completions`, headers: [], body },
  };
};

const post = (caller: Headers, payload = body) => {
  const headers = new Headers(caller);
  headers.set('content-type', 'application/json');
  return fetch(`${h.server.url}/v1/chat/completions`, { method: 'POST', headers, body: payload });
};

const expect401 = async (response: Response, message: string) => {
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({
    error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
  });
};

const signer = createJobSigner(SECRET);

describe("a background run's caller at the regional door", () => {
  it('a validly signed caller is served as the key that queued it, once', async () => {
    const caller = await signer.present(jobOf('test-key'));
    const served = await post(caller);
    expect(served.status).toBe(200);
    expect(served.headers.get('x-router-tier')).toBe('regional');
    await served.json();
    await expect401(
      await post(caller),
      "The background run's caller was replayed (its nonce was seen before).",
    );
  });

  it('a forged, tampered, partial or stale caller is refused with the error envelope', async () => {
    const job = jobOf('test-key');
    const notSigned = (reason: string) =>
      `The background run's caller is not validly signed (${reason}).`;
    const forged = await createJobSigner('a guess').present(job);
    await expect401(await post(forged), notSigned('bad_signature'));
    const tampered = await signer.present(job);
    await expect401(await post(tampered, body.replace('8', '4000')), notSigned('bad_signature'));
    const otherTenant = await signer.present(job);
    otherTenant.set(
      JOB_CALLER_HEADERS.caller,
      btoa(JSON.stringify({ tenantId: 'acme', keyId: 'test-key', responseId: job.queued.id })),
    );
    await expect401(await post(otherTenant), notSigned('bad_signature'));
    const partial = new Headers({
      [JOB_CALLER_HEADERS.caller]: (await signer.present(job)).get(JOB_CALLER_HEADERS.caller) ?? '',
    });
    await expect401(await post(partial), notSigned('missing_headers'));
    const stale = await signer.present(job, { timestamp: Date.now() - MAX_CLOCK_SKEW_MS - 5_000 });
    await expect401(await post(stale), notSigned('stale_timestamp'));
  });

  it('a caller whose key was revoked, or removed, since it queued the run is refused', async () => {
    await expect401(
      await post(await signer.present(jobOf('revoked-key'))),
      'The API key that queued background response resp_job_caller (key id revoked-key) has been revoked; the run was not served.',
    );
    await expect401(
      await post(await signer.present(jobOf('gone-key'))),
      'The API key that queued background response resp_job_caller is no longer configured; the run was not served.',
    );
    const { requests } = (await (await fetch(`${h.sim.url}/_sim/requests?limit=10`)).json()) as {
      requests: unknown[];
    };
    expect(requests).toHaveLength(1);
  });
});
