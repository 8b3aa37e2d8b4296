import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { moduleOf, summarizeProfile } from '../src/cpu-profile.ts';

const root = '/repo';

test('time is charged to packages and workspace folders', () => {
  assert.equal(moduleOf('file:///repo/node_modules/openai/core/streaming.mjs', root), 'openai');
  assert.equal(
    moduleOf('file:///repo/node_modules/@hono/node-server/dist/index.mjs', root),
    '@hono/node-server',
  );
  assert.equal(moduleOf('file:///repo/regional/src/http/read-body.ts', root), 'regional/http');
  assert.equal(
    moduleOf('file:///repo/router-core/src/classify/scan-text.ts', root),
    'router-core/classify',
  );
  assert.equal(moduleOf('node:internal/streams/readable', root), 'node internals');
  assert.equal(moduleOf('', root), '(native / V8)');
});

test('self time comes from the sample deltas, idle kept apart', () => {
  const frame = (functionName: string, url: string) => ({
    functionName,
    url,
    lineNumber: 9,
    columnNumber: 0,
  });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '') },
      { id: 2, callFrame: frame('(idle)', '') },
      { id: 3, callFrame: frame('classify', 'file:///repo/router-core/src/classify/classify.ts') },
      { id: 4, callFrame: frame('parse', '') },
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [3, 3, 4, 2, 3],
    timeDeltas: [0, 1000, 1000, 2000, 4000],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'bench-prof-')), 'x.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  const summary = summarizeProfile(file, root);
  assert.equal(summary.idleMs, 4);
  assert.equal(summary.busyMs, 4);
  assert.deepEqual(
    summary.functions.map((f) => [f.name, f.location, f.selfMs]),
    [
      ['classify', 'router-core/src/classify/classify.ts:10', 2],
      ['parse', '', 2],
    ],
  );
});
