import * as z from 'zod';
import { base64UrlToUtf8, utf8ToBase64Url } from '../crypto/base64url.ts';
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

/** The `x-switchback-context` header value: base64url of the context's JSON. */
export const encodeEscalationContext = (context: EscalationContext): string =>
  utf8ToBase64Url(JSON.stringify(context));

/** The context in an `x-switchback-context` value, or undefined when it is not a valid one. */
export const decodeEscalationContext = (value: string): EscalationContext | undefined => {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return undefined;
  try {
    const parsed = escalationContextSchema.safeParse(JSON.parse(base64UrlToUtf8(value)));
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
