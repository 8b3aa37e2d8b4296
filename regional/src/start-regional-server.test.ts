import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegionalServer } from './start-regional-server.ts';
import { eventually, type Harness, startHarness } from './testing/harness.ts';
import { total } from './testing/sim-control.ts';
import { TEST_KEY, testConfig } from './testing/test-config.ts';

describe('startRegionalServer', () => {
  let blocker: Server;
  let port: number;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('rejects with an error naming the port when it is in use', async () => {
    await expect(
      startRegionalServer({ config: testConfig('http://127.0.0.1:1'), port, env: {} }),
    ).rejects.toThrow(`regional: port ${port} on 127.0.0.1 is already in use`);
  });
});

describe('close()', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sim: { ttftMs: 5, itlMs: 50, tokens: 1000 } });
  });
  afterAll(async () => {
    await h.sim.close();
  });

  it('does not wait for a stream in progress: it ends it, and the upstream call with it', async () => {
    const response = await fetch(`${h.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'smart',
        stream: true,
        messages: [{ role: 'user', content: 'go on' }],
      }),
    });
    const reader = response.body?.getReader();
    await reader?.read();
    await h.server.close();
    // The client sees its stream cut, not hang.
    const end = await (async () => {
      try {
        for (;;) if ((await reader?.read())?.done !== false) return 'closed';
      } catch {
        return 'cut';
      }
    })();
    expect(end).toBe('cut');
    expect(
      await eventually(async () => total(await h.control.stats(), 'inFlight') === 0, 1000),
    ).toBe(true);
  });
});
