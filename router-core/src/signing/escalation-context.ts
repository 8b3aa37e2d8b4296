import * as z from 'zod';
import type { PrefixHint } from '../provider/chat-provider.ts';
import { REASON_CODES, type ReasonCode } from '../routing/reason-codes.ts';

/** What the edge tells regional about an escalated request, in `x-switchback-context`. */
export type EscalationContext = {
  tenantId: string;
  workflow?: string;
  requestId: string;
  affinityKey?: string;
  prefix?: PrefixHint;
  reasons: ReasonCode[];
};

const escalationContextSchema = z.object({
  tenantId: z.string().min(1).max(64),
  workflow: z.string().min(1).max(64).optional(),
  requestId: z.string().min(1).max(128),
  affinityKey: z.string().min(1).max(256).optional(),
  prefix: z
    .object({
      key: z.string().min(1).max(256),
      messageCount: z.number().int().nonnegative(),
      tokens: z.number().nonnegative(),
    })
    .optional(),
  reasons: z.array(z.enum(REASON_CODES)),
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const toBase64Url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};

const fromBase64Url = (text: string): Uint8Array => {
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
};

/** The `x-switchback-context` header value: base64url of the context's JSON. */
export const encodeEscalationContext = (context: EscalationContext): string =>
  toBase64Url(encoder.encode(JSON.stringify(context)));

/** The context in an `x-switchback-context` value, or undefined when it is not a valid one. */
export const decodeEscalationContext = (value: string): EscalationContext | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return undefined;
  try {
    const parsed = escalationContextSchema.safeParse(
      JSON.parse(decoder.decode(fromBase64Url(value))),
    );
    if (!parsed.success) return undefined;
    const { workflow, affinityKey, prefix, ...rest } = parsed.data;
    return {
      ...rest,
      ...(workflow === undefined ? {} : { workflow }),
      ...(affinityKey === undefined ? {} : { affinityKey }),
      ...(prefix === undefined ? {} : { prefix }),
    };
  } catch {
    return undefined;
  }
};
