/** Polls `url` until it answers 2xx, the child exits, or `timeoutMs` passes. */
export const waitHealthy = async (
  url: string,
  options: { timeoutMs: number; exited: Promise<unknown>; name: string },
): Promise<void> => {
  let gone = false;
  void options.exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`${options.name} exited before it became healthy`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(
    `${options.name} did not become healthy at ${url} within ${options.timeoutMs} ms`,
  );
};
