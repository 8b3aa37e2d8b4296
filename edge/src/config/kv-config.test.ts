import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { configWith } from '../../test/helpers.ts';
import { createKvConfig } from './kv-config.ts';

const bundled = configWith();
const versioned = (version: string) =>
  JSON.stringify(
    configWith((c) => {
      c.version = version;
    }),
  );

/** A source over a key of its own: the Worker's isolate is shared with the other test files. */
const source = (key: string, clock = { now: 0 }) => {
  const refused: string[] = [];
  const kv = createKvConfig({
    kv: env.CONFIG,
    bundled,
    key,
    ttlMs: 1_000,
    now: () => clock.now,
    onRefused: (reason) => refused.push(reason),
  });
  return { kv, refused, clock };
};

describe('the edge config from KV', () => {
  it('serves the bundled config while KV holds none', async () => {
    const { kv, refused } = source('kv-test-empty');
    expect(await kv.get()).toEqual({ config: bundled, source: 'bundled' });
    expect(refused).toEqual([]);
  });

  it('serves a valid KV config with its version, and picks up a new one once the cache expires', async () => {
    await env.CONFIG.put('kv-test-valid', versioned('kv-1'));
    const { kv, clock } = source('kv-test-valid');
    const first = await kv.get();
    expect(first).toMatchObject({ source: 'kv', config: { version: 'kv-1' } });

    await env.CONFIG.put('kv-test-valid', versioned('kv-2'));
    // Within the cache time the isolate keeps what it read.
    clock.now = 500;
    expect((await kv.get()).config).toBe(first.config);
    // Past it, the next call refreshes in the background and a later one sees the new version.
    clock.now = 1_000;
    const refreshes: Promise<unknown>[] = [];
    await kv.get((p) => refreshes.push(p));
    await Promise.all(refreshes);
    expect((await kv.get()).config.version).toBe('kv-2');
  });

  it('never lets a bad KV value replace a good config, and says why', async () => {
    await env.CONFIG.put('kv-test-bad', versioned('kv-good'));
    const { kv, refused, clock } = source('kv-test-bad');
    expect((await kv.get()).config.version).toBe('kv-good');

    const bad = configWith();
    await env.CONFIG.put(
      'kv-test-bad',
      JSON.stringify({ ...bad, version: 'kv-bad', classification: { regionalThreshold: 3 } }),
    );
    clock.now = 1_000;
    const refreshes: Promise<unknown>[] = [];
    await kv.get((p) => refreshes.push(p));
    await Promise.all(refreshes);
    expect((await kv.get()).config.version).toBe('kv-good');
    expect(refused).toEqual([
      expect.stringMatching(
        /^KV kv-test-bad is not a valid config: classification\.regionalThreshold: /,
      ),
    ]);

    await env.CONFIG.put('kv-test-bad', '{not json');
    clock.now = 2_000;
    await kv.get((p) => refreshes.push(p));
    await Promise.all(refreshes);
    expect((await kv.get()).config.version).toBe('kv-good');
    expect(refused[1]).toBe('KV kv-test-bad is not JSON');
  });

  it('starts from the bundled config when the first KV value is invalid', async () => {
    await env.CONFIG.put('kv-test-first-bad', '{"version":"x"}');
    const { kv, refused } = source('kv-test-first-bad');
    expect(await kv.get()).toEqual({ config: bundled, source: 'bundled' });
    expect(refused).toHaveLength(1);
  });
});
