import { TEST_KEY } from './test-config.ts';

/** A chat completion request as a client sends it: the test key, JSON, extra headers. */
export const chatRequest = (
  body: string | object,
  options: { headers?: Record<string, string>; key?: string; url?: string } = {},
): Request =>
  new Request(options.url ?? 'http://regional/v1/chat/completions', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.key ?? TEST_KEY}`,
      'content-type': 'application/json',
      ...options.headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
