import { createServer } from 'node:net';

/** Resolves when `port` on `host` can be bound; rejects with a one-line message naming it. */
export const assertPortFree = (port: number, name: string, host = '127.0.0.1'): Promise<void> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code})`;
      reject(new Error(`port ${port} (${name}) on ${host} ${why}`));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });

/** A port the OS says is free right now (for tests that start the whole stack). */
export const freePort = (host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
