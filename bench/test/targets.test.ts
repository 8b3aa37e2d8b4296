import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestFor, UPSTREAM_MODEL, WORKERS_AI_V1 } from '../src/targets.ts';

const SIM = 'http://127.0.0.1:8789';
const FLOOR = 'http://127.0.0.1:9100';

test('the floor gets the baseline request byte for byte, sent to its own port', () => {
  for (const stream of [false, true]) {
    const direct = requestFor('direct', SIM, SIM, stream);
    const floor = requestFor('floor', FLOOR, SIM, stream);
    assert.equal(direct.url, `${SIM}${WORKERS_AI_V1}/chat/completions`);
    assert.deepEqual(floor, { ...direct, name: 'floor', url: `${FLOOR}/v1/chat/completions` });
    assert.equal(JSON.parse(floor.body).model, UPSTREAM_MODEL);
  }
});

test('the routers get model "auto" with the bench key', () => {
  const spec = requestFor('switchback', FLOOR, SIM, false);
  assert.equal(JSON.parse(spec.body).model, 'auto');
  assert.deepEqual(spec.headers, { authorization: 'Bearer sk-local-demo' });
});
