import { base64UrlToUtf8, utf8ToBase64Url } from '../crypto/base64url.ts';
import { hmacSha256Hex } from '../crypto/hmac.ts';
import { constantTimeEqual } from '../signing/constant-time-equal.ts';

/** A side-effect tool call the router held until an operator approves it. */
export type HeldCall = {
  tenant: string;
  call_id: string;
  name: string;
  args_sha256: string;
  /** The request whose answer carried the call. */
  request_id: string;
};

/** An operator's approval of one held call. */
export type Approval = HeldCall & { operator: string };

type Payload<K extends 'hold' | 'approve', T> = T & { kind: K; exp: number };

/** How long a token (and an approval) stays valid. */
export const APPROVAL_TTL_MS = 24 * 60 * 60 * 1000;

const seal = async (secret: string, payload: object): Promise<string> => {
  const body = utf8ToBase64Url(JSON.stringify(payload));
  return `${body}.${await hmacSha256Hex(secret, `switchback-approval.${body}`)}`;
};

const unseal = async (
  secret: string,
  value: string,
  kind: 'hold' | 'approve',
  now: number,
): Promise<Record<string, unknown> | undefined> => {
  const [body, sig, extra] = value.trim().split('.');
  if (!body || !sig || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
  if (!constantTimeEqual(sig, await hmacSha256Hex(secret, `switchback-approval.${body}`))) {
    return undefined;
  }
  try {
    const payload = JSON.parse(base64UrlToUtf8(body)) as Record<string, unknown>;
    return payload.kind === kind && typeof payload.exp === 'number' && payload.exp > now
      ? payload
      : undefined;
  } catch {
    return undefined;
  }
};

const heldCall = (p: Record<string, unknown>): HeldCall | undefined => {
  const { tenant, call_id, name, args_sha256, request_id } = p;
  return typeof tenant === 'string' &&
    typeof call_id === 'string' &&
    typeof name === 'string' &&
    typeof args_sha256 === 'string' &&
    typeof request_id === 'string'
    ? { tenant, call_id, name, args_sha256, request_id }
    : undefined;
};

/** The approval token the client gets for a held call (`x-switchback-approval-token`). */
export const issueApprovalToken = (secret: string, call: HeldCall, now: number): Promise<string> =>
  seal(secret, { ...call, kind: 'hold', exp: now + APPROVAL_TTL_MS } satisfies Payload<
    'hold',
    HeldCall
  >);

/** The held call a token names, or undefined when it is forged, altered or expired. */
export const readApprovalToken = async (
  secret: string,
  token: string,
  now: number,
): Promise<HeldCall | undefined> => {
  const payload = await unseal(secret, token, 'hold', now);
  return payload && heldCall(payload);
};

/** An operator's approval of the call a valid token names (undefined for a bad token). */
export const approveHeldCall = async (
  secret: string,
  token: string,
  operator: string,
  now: number,
): Promise<{ approval: string; call: HeldCall } | undefined> => {
  const call = await readApprovalToken(secret, token, now);
  if (call === undefined) return undefined;
  const payload: Payload<'approve', Approval> = {
    ...call,
    operator,
    kind: 'approve',
    exp: now + APPROVAL_TTL_MS,
  };
  return { approval: await seal(secret, payload), call };
};

/** The approval a value carries, or undefined when it is forged, altered or expired. */
export const readApproval = async (
  secret: string,
  value: string,
  now: number,
): Promise<Approval | undefined> => {
  const payload = await unseal(secret, value, 'approve', now);
  const call = payload && heldCall(payload);
  return call && typeof payload.operator === 'string'
    ? { ...call, operator: payload.operator }
    : undefined;
};
