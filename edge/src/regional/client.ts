import { type EscalationContext, signEscalation } from '@switchback/router-core';

export type RegionalClientOptions = {
  baseUrl: string;
  /** The shared HMAC secret (`SWITCHBACK_HMAC_SECRET`). */
  secret: string;
  fetcher?: typeof fetch;
};

export type RegionalClient = {
  /** POSTs a chat request to regional, signed; resolves with regional's response as it is. */
  chat(input: { body: string; context: EscalationContext; signal: AbortSignal }): Promise<Response>;
};

const CHAT_PATH = '/v1/chat/completions';

/**
 * The edge→regional hop: the body exactly as signed, an HMAC over method, path, timestamp, nonce,
 * body hash and the escalation context (CONTRACT.md). The client's API key is not forwarded:
 * regional trusts the signed tenant instead.
 */
export const createRegionalClient = ({
  baseUrl,
  secret,
  fetcher = fetch,
}: RegionalClientOptions): RegionalClient => {
  const base = new URL(baseUrl);
  const url = new URL(`${base.pathname.replace(/\/+$/, '')}${CHAT_PATH}`, base);
  return {
    async chat({ body, context, signal }) {
      const signed = await signEscalation(secret, {
        method: 'POST',
        path: url.pathname,
        body,
        context,
      });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-request-id': context.requestId,
        ...signed,
      };
      if (context.workflow !== undefined) headers['x-workflow'] = context.workflow;
      if (context.affinityKey !== undefined) headers['x-session-affinity'] = context.affinityKey;
      return fetcher(url, { method: 'POST', headers, body, signal });
    },
  };
};
