import { createBodyReader, RouterError } from '@switchback/router-core';

export const tooSlow = (ms: number): RouterError =>
  new RouterError(
    'invalid_request',
    `The request body did not arrive within ${Math.round(ms)} ms; send the whole body at once.`,
  );

/**
 * The body as text through router-core's reader (size limit, strict UTF-8). A body still
 * arriving after `timeoutMs` is refused too, so a client trickling bytes cannot hold the request
 * open.
 */
export const readBodyText = async (
  request: Request,
  maxBytes: number,
  timeoutMs: number,
): Promise<string> => {
  const body = createBodyReader(maxBytes, request.headers.get('content-length'));
  if (!request.body) return body.end();
  const reader = request.body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(tooSlow(timeoutMs)), Math.max(0, timeoutMs));
  });
  late.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) return body.end();
      body.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
};
