// The k6 smoke run inside `npm test`: `steady` and `outage` against one local stack, failing on
// any SLO breach. Rates and durations are small so both fit in about a minute on 2 cores.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../loadtests/src/runner/run-scenario.ts';
import { freePort, type Stack, startStack } from '../../loadtests/src/stack/index.ts';

let stack: Stack;

beforeAll(async () => {
  const ports = { edge: await freePort(), regional: await freePort(), providers: await freePort() };
  stack = await startStack({ ports, onLine: () => {} });
});

afterAll(async () => {
  await stack?.stop();
});

const against = () => ({
  url: stack.edgeUrl,
  regionalUrl: stack.regionalUrl,
  providersUrl: stack.providersUrl,
  configPath: 'router.config.yaml',
});

describe('SLO smoke under k6', () => {
  it('holds every SLO at a steady 10 requests/s', async () => {
    const outcome = await runScenario({
      scenario: 'steady',
      rate: 10,
      durationS: 20,
      ...against(),
    });
    const report = readFileSync(outcome.reportPath, 'utf8');
    expect(report, report).toContain('# Load test: steady — PASS');
    expect(outcome.ok).toBe(true);
  });

  it('rides out a regional primary outage: the breaker opens and no transient error escapes', async () => {
    const outcome = await runScenario({
      scenario: 'outage',
      rate: 10,
      durationS: 30,
      ...against(),
    });
    const report = readFileSync(outcome.reportPath, 'utf8');
    expect(report, report).toContain('# Load test: outage — PASS');
    expect(report).toMatch(/\| openai\/gpt \| open \|/);
    expect(outcome.ok).toBe(true);
  });
});
