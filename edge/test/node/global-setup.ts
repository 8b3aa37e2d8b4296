// Starts what the edge talks to, in Node, on free ports: the simulated providers and the real
// regional service in front of them, on the example config. The tests in workerd get their
// URLs through `inject`.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { startSimulator } from '@switchback/loadtests/sim';
import { startRegionalServer } from '@switchback/regional';
import { parseConfig } from '@switchback/router-core';
import type { TestProject } from 'vitest/node';
import { AUDIT_TENANTS } from '../audit-tenants.ts';
import { startDoomedRegional } from './doomed-regional.ts';

/** The local-only secret of wrangler.toml's [env.local]: what `npm start` gives regional. */
export const TEST_HMAC_SECRET = 'local-only-switchback-hmac-secret-do-not-deploy';

const deadPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export default async function setup(project: TestProject) {
  const sim = await startSimulator({ port: 0, ttftMs: 2, itlMs: 0, tokens: 4 });
  // The example config, its providers moved from the fixed local port to this simulator, with
  // the audit test's tenants added.
  const compiled = await readFile(
    new URL('../../src/config/router-config.generated.json', import.meta.url),
    'utf8',
  );
  const example = JSON.parse(compiled.replaceAll('http://127.0.0.1:8789', sim.url));
  const parsed = parseConfig({ ...example, tenants: [...example.tenants, ...AUDIT_TENANTS] });
  if (!parsed.ok) throw new Error(`example config: ${JSON.stringify(parsed.issues)}`);
  const regional = await startRegionalServer({
    config: parsed.config,
    port: 0,
    env: {},
    hmacSecret: TEST_HMAC_SECRET,
  });
  project.provide('simUrl', sim.url);
  project.provide('regionalUrl', regional.url);
  project.provide('deadUrl', `http://127.0.0.1:${await deadPort()}`);
  project.provide('hmacSecret', TEST_HMAC_SECRET);
  project.provide('hostileRuns', process.env.HOSTILE_RUNS ?? '');
  const doomed = await startDoomedRegional(compiled, TEST_HMAC_SECRET);
  project.provide('doomedRegionalUrl', doomed.regionalUrl);
  project.provide('doomedKillUrl', doomed.killUrl);
  return async () => {
    await doomed.close();
    await regional.close();
    await sim.close();
  };
}
