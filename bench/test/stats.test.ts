import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile, summarize } from '../src/stats.ts';

test('percentiles are nearest-rank over the exact samples', () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(sorted, 0.5), 50);
  assert.equal(percentile(sorted, 0.99), 99);
  assert.equal(percentile(sorted, 1), 100);
  assert.equal(percentile([7], 0.99), 7);
  assert.ok(Number.isNaN(percentile([], 0.5)));
});

test('summaries turn microsecond samples into milliseconds, unsorted input included', () => {
  const s = summarize([3000, 1000, 2000, 4000]);
  assert.deepEqual(s, { count: 4, mean: 2.5, p50: 2, p90: 4, p99: 4, p999: 4, max: 4 });
});
