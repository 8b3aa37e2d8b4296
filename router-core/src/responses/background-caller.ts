import * as z from 'zod';
import { base64UrlToUtf8, utf8ToBase64Url } from '../crypto/base64url.ts';
import { hmacSha256Hex } from '../crypto/hmac.ts';
import { type SignedParts, signRequest, verifyRequest } from '../signing/sign-request.ts';
import {
  type ReceivedRequest,
  signHeaders,
  verifySignedHeaders,
} from '../signing/signed-headers.ts';
import type { BackgroundJob } from './background-queue.ts';

/**
 * The headers a background run presents its job's caller in, to its own door. Like an
 * escalation's, and `x-switchback-*` so that a client's copy never reaches a job's request.
 */
export const JOB_CALLER_HEADERS = {
  signature: 'x-switchback-job-signature',
  timestamp: 'x-switchback-job-timestamp',
  nonce: 'x-switchback-job-nonce',
  caller: 'x-switchback-job-caller',
} as const;

// The caller rides in the context header.
const JOB_CALLER_NAMES = { ...JOB_CALLER_HEADERS, context: JOB_CALLER_HEADERS.caller };

/** Who queued a background run, as the door had resolved them: never their key. */
export type JobCaller = { tenantId: string; keyId: string; responseId: string };

/** A job as kept at rest (a shared queue): with the HMAC its door sealed it under. */
export type SealedJob = BackgroundJob & { seal: string };

/** How old a sealed job may be when it runs: a shared queue keeps a job's data a day. */
export const MAX_JOB_AGE_MS = 24 * 60 * 60 * 1000;

export const JOB_CALLER_REJECTIONS = [
  'missing_headers',
  'bad_signature',
  'stale_timestamp',
  'bad_caller',
] as const;
export type JobCallerRejection = (typeof JOB_CALLER_REJECTIONS)[number];

export type JobCallerVerdict =
  | { ok: true; caller: JobCaller; nonce: string }
  | { ok: false; reason: JobCallerRejection };

/**
 * Seals, opens and presents background jobs under one door's secret. The seal proves a job at
 * rest was queued by a door holding the secret (a forged or edited job is not run); the
 * presentation, signed afresh each time a run starts (timestamp, nonce), is what the door trusts
 * in place of the client's key, so nothing kept at rest can be presented again.
 */
export type JobSigner = {
  seal(job: BackgroundJob): Promise<SealedJob>;
  /** Whether the job's seal holds (its data as queued, under this secret, within its age). */
  sealed(job: SealedJob, now?: number): Promise<boolean>;
  /** The caller headers for the run of `job` starting now. */
  present(job: BackgroundJob, at?: { timestamp?: number; nonce?: string }): Promise<Headers>;
  /**
   * Checks a presentation: signature, timestamp within a minute. Refusing a nonce seen before
   * (a replay) is the door's: it needs state.
   */
  verify(request: ReceivedRequest): Promise<JobCallerVerdict>;
};

const jobCallerSchema = z.object({
  tenantId: z.string().min(1).max(64),
  keyId: z.string().min(1).max(128),
  responseId: z.string().min(1).max(128),
});

const encodeCaller = (caller: JobCaller): string => utf8ToBase64Url(JSON.stringify(caller));

const decodeCaller = (value: string): JobCaller | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return undefined;
  try {
    const parsed = jobCallerSchema.safeParse(JSON.parse(base64UrlToUtf8(value)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const callerOf = (job: BackgroundJob): JobCaller => ({
  tenantId: job.tenantId,
  keyId: job.keyId,
  responseId: job.queued.id,
});

const targetOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

/** Whether a request carries any job-caller header (then it must be a valid one). */
export const isJobCaller = (headers: { get(name: string): string | null }): boolean =>
  Object.values(JOB_CALLER_HEADERS).some((name) => headers.get(name) !== null);

/**
 * A door's job signer under `secret` (regional's `SWITCHBACK_HMAC_SECRET`). Its two keys are
 * derived from the secret, one for seals and one for presentations, so neither signature can
 * pass for the other, nor for an escalation's under the secret itself.
 */
export const createJobSigner = (secret: string): JobSigner => {
  if (secret === '') throw new Error('createJobSigner: the secret is empty');
  const keys = Promise.all([
    hmacSha256Hex(secret, 'switchback background job seal v1'),
    hmacSha256Hex(secret, 'switchback background job caller v1'),
  ]).then(([seal, present]) => ({ seal, present }));
  // The whole job (request, history, response shell, chat request) as it is kept: JSON read
  // back from the store stringifies to the same text.
  const sealParts = (job: BackgroundJob): SignedParts => ({
    method: 'POST',
    path: job.chat.url,
    timestamp: job.queued.created_at,
    nonce: job.queued.id,
    body: JSON.stringify(job),
    context: encodeCaller(callerOf(job)),
  });
  return {
    async seal(job) {
      return { ...job, seal: await signRequest((await keys).seal, sealParts(job)) };
    },
    async sealed({ seal, ...job }, now = Date.now()) {
      if (now - job.queued.created_at * 1000 > MAX_JOB_AGE_MS) return false;
      return verifyRequest((await keys).seal, sealParts(job), seal);
    },
    async present(job, at = {}) {
      return new Headers(
        await signHeaders((await keys).present, JOB_CALLER_NAMES, {
          method: 'POST',
          path: targetOf(job.chat.url),
          body: job.chat.body,
          context: encodeCaller(callerOf(job)),
          ...at,
        }),
      );
    },
    async verify(request) {
      const verdict = await verifySignedHeaders((await keys).present, JOB_CALLER_NAMES, request);
      if (!verdict.ok) return verdict;
      const caller = decodeCaller(verdict.context);
      if (caller === undefined) return { ok: false, reason: 'bad_caller' };
      return { ok: true, caller, nonce: verdict.nonce };
    },
  };
};
