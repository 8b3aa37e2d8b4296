import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conversation } from '../../test/conversation.ts';
import { configWith } from '../../test/example-config.ts';
import { chat } from '../../test/requests.ts';
import type { CompactionSpec } from '../config/schema.ts';
import { type CompactionDeps, compactConversation } from './compact-conversation.ts';
import { createMemoryCheckpointStore } from './memory-checkpoint-store.ts';

const spec: CompactionSpec = {
  everyTurns: 3,
  keepTurns: 1,
  summarizer: 'glm-flash',
  summaryMaxTokens: 128,
};
const config = configWith({ compaction: { workflows: {}, auto: spec } });

/** Every `[tag]` a text carries: whose chat it came from. */
const tagsIn = (text: string): Set<string> => new Set(text.match(/\[[a-z0-9/]+\]/g) ?? []);

// A summarizer that repeats the tags of what it summarised: a leak would carry them across.
const summarize: CompactionDeps['summarize'] = async (request) =>
  `summary of ${[...tagsIn(String(request.messages[1]?.content))].sort().join(' ')}`;

const step = fc.record({
  tenant: fc.constantFrom('t1', 't2'),
  // The same session names under both tenants: the tenant must keep them apart.
  session: fc.constantFrom('s1', 's2'),
  turns: fc.integer({ min: 1, max: 14 }),
  edited: fc.boolean(),
});

describe('checkpoints, for any interleaving of tenants and sessions', () => {
  it('never put one session’s summary into another’s prompt, and every store entry is its own', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const store = createMemoryCheckpointStore();
        for (const { tenant, session, turns, edited } of steps) {
          const tag = `${tenant}/${session}${edited ? 'e' : ''}`;
          const messages = conversation(turns, tag);
          const scope = { tenantId: tenant, session };
          const result = await compactConversation(
            { request: chat(messages), spec, scope, config, now: 0 },
            { store, summarize },
          );
          const upstream = result.apply(chat(messages));
          const seen = tagsIn(upstream.messages.map((m) => String(m.content)).join('\n'));
          // Only this session's tags (its edited history is the same session: `e` marks the fork).
          for (const t of seen) expect(t.startsWith(`[${tenant}/${session}`)).toBe(true);
          const stored = await store.get(scope);
          if (stored !== undefined) {
            expect([stored.tenantId, stored.session]).toEqual([tenant, session]);
          }
          if (result.outcome.kind === 'applied') {
            // An applied checkpoint covers exactly this history's first turns.
            expect(seen).toEqual(new Set([`[${tag}]`]));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
