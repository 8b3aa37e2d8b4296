import { classify, SUMMARIZER_INSTRUCTION } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import {
  checkReplay,
  REPLAY_COMPACTION,
  REPLAY_TURNS,
  type ReplayedTurn,
  replayedTurn,
} from '../../router-core/test/compaction/replay-case.ts';
import { conversation } from '../../router-core/test/conversation.ts';
import { REPORT_PAGE } from '../../router-core/test/report-page.ts';
import { appWith, configWith, type SimLogged, simRequests, uniqueText } from './helpers.ts';

const compaction = { workflows: {}, auto: { ...REPLAY_COMPACTION, summarizer: 'glm-flash' } };
const OPT_IN = { 'x-switchback-compaction': 'auto' };

type Sent = { messages?: { role: string; content: unknown }[] };
const isSummary = (r: SimLogged) =>
  (r.body as Sent).messages?.[0]?.content === SUMMARIZER_INSTRUCTION;
/** The simulator's requests that carry `tag` (this test's conversation), oldest first. */
const logged = async (tag: string, limit = 40): Promise<SimLogged[]> =>
  (await simRequests(limit)).filter((r) => JSON.stringify(r.body).includes(tag));

/** A tag of letters only (digit runs read as maths to the classifier). */
const tagOf = (label: string) => uniqueText(label).replace(/ /g, '-').toLowerCase();

describe('checkpoint compaction at the edge', () => {
  const call = appWith(
    configWith((c) => {
      c.compaction = compaction;
    }),
  );

  it('replays a 60-turn conversation: one checkpoint every 10 turns, bounded upstream prompts, answers unchanged in shape', async () => {
    const tag = tagOf('replay');
    const session = crypto.randomUUID();
    const turns: ReplayedTurn[] = [];
    for (let turn = 1; turn <= REPLAY_TURNS; turn++) {
      const res = await call({
        headers: { 'x-session-affinity': session, ...OPT_IN },
        body: { model: 'fast', messages: conversation(turn, tag) },
      });
      turns.push(replayedTurn(turn, res, await res.json()));
    }
    // The simulator's log, read once: each summary covers up to the question four turns back.
    const mine = await logged(tag, 1_000);
    const summaryTurns = mine.filter(isSummary).map((r) => {
      const asked = [...JSON.stringify(r.body).matchAll(/Question (\d+):/g)].map((m) =>
        Number(m[1]),
      );
      return Math.max(...asked) + REPLAY_COMPACTION.keepTurns;
    });
    const lastUpstream = mine.filter((r) => !isSummary(r)).at(-1)?.body as Sent | undefined;
    checkReplay('edge', turns, summaryTurns, lastUpstream?.messages?.length);
  }, 120_000);

  it('sends an edited history whole and checkpoints it anew', async () => {
    const tag = tagOf('edited');
    const session = crypto.randomUUID();
    const headers = { 'x-session-affinity': session, ...OPT_IN };
    const first = await call({ headers, body: { model: 'fast', messages: conversation(14, tag) } });
    expect(first.headers.get('x-router-compaction')).toMatch(/^applied; covered=10;/);
    const edited = conversation(15, tag);
    edited[3] = { role: 'user', content: `[${tag}] Actually, my first question was about brakes.` };
    const before = (await logged(tag)).length;
    const res = await call({ headers, body: { model: 'fast', messages: edited } });
    expect(res.headers.get('x-router-compaction')).toBe('whole; reason=history_changed');
    const fresh = (await logged(tag)).slice(before);
    expect(fresh.filter(isSummary)).toHaveLength(1);
    const sent = fresh.find((r) => !isSummary(r))?.body as Sent | undefined;
    expect(sent?.messages).toHaveLength(edited.length);
  });

  it('never compacts a request that did not opt in', async () => {
    const tag = tagOf('plain');
    const res = await call({
      headers: { 'x-session-affinity': crypto.randomUUID() },
      body: { model: 'fast', messages: conversation(30, tag) },
    });
    expect(res.headers.get('x-router-compaction')).toBeNull();
    const mine = await logged(tag);
    expect(mine.filter(isSummary)).toHaveLength(0);
    const sent = mine.at(-1)?.body as Sent | undefined;
    expect(sent?.messages).toHaveLength(conversation(30, tag).length);
  });
});

/**
 * A support chat whose first ten answers are long (workshop notes pasted in): its history passes
 * the long-context threshold, the last turns are short.
 */
const longChat = (turns: number, tag: string) =>
  conversation(turns, tag).map((m, i) =>
    m.role === 'assistant' && i <= 20
      ? {
          ...m,
          content: `${String(m.content)} ${'The wheel truing notes from the workshop follow, line by line, for the customer file. '.repeat(260)}`,
        }
      : m,
  );

describe('compaction before escalation', () => {
  it('keeps on the edge a long-context conversation that fits once checkpointed (two tiers)', async () => {
    const twoTier = configWith((c) => {
      c.compaction = compaction;
      c.routes = { ...c.routes, edge: { models: ['glm-flash', 'llama-fast'] } };
    });
    const call = appWith(twoTier);
    // A fixed tag: the ask's words are the classifier's, and the test's routes must not vary.
    const tag = 'long';
    const messages = longChat(14, tag);
    const tenant = twoTier.tenants[0];
    if (tenant === undefined) throw new Error('no tenant');
    expect(
      classify({ model: 'auto', messages } as never, { config: twoTier, tenant }).context,
    ).toBe('long');
    // Whole, it escalates for its length.
    const whole = await call({
      headers: { 'x-session-affinity': crypto.randomUUID() },
      body: { model: 'auto', messages },
    });
    expect(whole.headers.get('x-router-tier')).toBe('regional');
    expect(whole.headers.get('x-router-reasons')).toContain('long_context');
    // Opted in, the checkpointed prompt fits the edge.
    const compacted = await call({
      headers: { 'x-session-affinity': crypto.randomUUID(), ...OPT_IN },
      body: { model: 'auto', messages },
    });
    expect(compacted.headers.get('x-router-compaction')).toMatch(/^applied; covered=10;/);
    expect(compacted.headers.get('x-router-tier')).toBe('edge');
    expect(compacted.headers.get('x-router-reasons')).toContain('compacted');
  });
});

describe('the edge ladder', () => {
  const call = appWith(configWith());

  it('serves a long document on the large edge model (Kimi K2.6) instead of escalating', async () => {
    const res = await call({
      body: {
        model: 'auto',
        messages: [
          { role: 'user', content: `${REPORT_PAGE.repeat(300)}\n\nSummarise the report above.` },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-router-tier')).toBe('edge');
    expect(res.headers.get('x-router-model')).toBe('kimi');
    expect(res.headers.get('x-router-reasons')?.split(',').slice(0, 2)).toEqual([
      'edge_large',
      'medium_complexity',
    ]);
  });

  it('serves a medium-complexity request on the large edge model, a simple one on the fast rung', async () => {
    const config = configWith();
    const tenant = config.tenants[0];
    if (tenant === undefined) throw new Error('no tenant');
    const medium = {
      model: 'auto',
      messages: [
        {
          role: 'user',
          content: 'Look up the order and tell me where it is.',
        },
      ],
      tools: ['lookup_order', 'get_weather', 'search_docs'].map((name) => ({
        type: 'function',
        function: { name, parameters: { type: 'object', properties: {} } },
      })),
    };
    const score = classify(medium as never, { config, tenant }).score;
    expect(score).toBeGreaterThanOrEqual(config.classification.largeThreshold);
    expect(score).toBeLessThan(config.classification.regionalThreshold);
    const res = await call({ body: medium });
    expect([
      res.status,
      res.headers.get('x-router-model'),
      res.headers.get('x-router-reasons'),
    ]).toEqual([200, 'kimi', 'edge_large,medium_complexity,tools_requested']);
    const simple = await call({
      body: {
        model: 'auto',
        messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
      },
    });
    expect([simple.headers.get('x-router-model'), simple.headers.get('x-router-reasons')]).toEqual([
      'glm-flash',
      'simple_prompt',
    ]);
  });
});
