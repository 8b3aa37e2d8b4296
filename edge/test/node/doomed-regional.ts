// A regional service that a test in workerd can kill mid-load: its own slow simulator (answers
// take about a second, so requests are in flight when it dies) and a control port whose `POST`
// stops it, closing every open connection the way a crashed process would.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '@switchback/loadtests/sim';
import { startRegionalServer } from '@switchback/regional';
import { parseConfig } from '@switchback/router-core';

/** `compiled`: the example config's JSON, providers still on the fixed local port. */
export const startDoomedRegional = async (compiled: string, hmacSecret: string) => {
  const sim = await startSimulator({ port: 0, ttftMs: 20, itlMs: 20, tokens: 50 });
  const parsed = parseConfig(JSON.parse(compiled.replaceAll('http://127.0.0.1:8789', sim.url)));
  if (!parsed.ok) throw new Error(`example config: ${JSON.stringify(parsed.issues)}`);
  const config = parsed.config;
  const regional = await startRegionalServer({
    config,
    port: 0,
    env: {},
    hmacSecret,
  });
  let killed: Promise<void> | undefined;
  const control = createServer((_req, res) => {
    killed ??= regional.close();
    void killed.then(() => res.end('killed'));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  return {
    regionalUrl: regional.url,
    killUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}/kill`,
    async close() {
      killed ??= regional.close();
      await killed;
      control.closeAllConnections();
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await sim.close();
    },
  };
};
