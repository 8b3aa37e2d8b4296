// Replays the 60-turn conversation of the compaction tests (router-core/test/compaction) through
// the regional front door, with and without `x-switchback-compaction: auto`, against the
// simulated providers, and draws the prompt tokens upstream per turn as a line chart:
//   node regional/scripts/compaction-replay.ts [out.svg]     (writes out.svg and out.png)
// The PNG needs `rsvg-convert`. Everything listens on 127.0.0.1, port 0.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startSimulator } from '@switchback/loadtests/sim';
import {
  REPLAY_COMPACTION,
  REPLAY_TURNS,
  replayMessages,
} from '../../router-core/test/compaction/replay-case.ts';
import { startRegionalServer } from '../src/start-regional-server.ts';
import { TEST_KEY, testConfig } from '../src/testing/test-config.ts';

const out = process.argv[2] ?? '.cache/compaction-replay.svg';
const sim = await startSimulator({ port: 0 });
const config = testConfig(sim.url, {
  budgets: { default: { ttftMs: 2000, totalMs: 10000, policyMs: 50 } },
  compaction: { workflows: {}, auto: { ...REPLAY_COMPACTION, summarizer: 'glm' } },
});
const server = await startRegionalServer({ config, port: 0, env: {} });

const replay = async (optIn: boolean): Promise<number[]> => {
  const session = `replay-${optIn ? 'compacted' : 'whole'}`;
  const tokens: number[] = [];
  for (let turn = 1; turn <= REPLAY_TURNS; turn++) {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_KEY}`,
        'content-type': 'application/json',
        'x-session-affinity': session,
        ...(optIn ? { 'x-switchback-compaction': 'auto' } : {}),
      },
      body: JSON.stringify({ model: 'fast', messages: replayMessages(turn) }),
    });
    const body = (await res.json()) as { usage?: { prompt_tokens: number } };
    tokens.push(body.usage?.prompt_tokens ?? 0);
  }
  return tokens;
};

const whole = await replay(false);
const compacted = await replay(true);
await server.close();
await sim.close();

const W = 720;
const H = 400;
const pad = { left: 64, right: 24, top: 40, bottom: 48 };
const max = Math.max(...whole, ...compacted);
const x = (turn: number) =>
  pad.left + ((turn - 1) / (REPLAY_TURNS - 1)) * (W - pad.left - pad.right);
const y = (v: number) => H - pad.bottom - (v / max) * (H - pad.top - pad.bottom);
const line = (values: number[], color: string) =>
  `<polyline fill="none" stroke="${color}" stroke-width="2" points="${values.map((v, i) => `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * max));
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${pad.left}" y="22" font-size="14">Upstream prompt tokens per turn, 60-turn conversation (regional, simulated providers)</text>
${ticks.map((t) => `<line x1="${pad.left}" x2="${W - pad.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/><text x="${pad.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`).join('\n')}
${[1, 10, 20, 30, 40, 50, 60].map((t) => `<text x="${x(t)}" y="${H - pad.bottom + 18}" text-anchor="middle">${t}</text>`).join('\n')}
<text x="${(W + pad.left) / 2}" y="${H - 10}" text-anchor="middle">turn</text>
${line(whole, '#c0392b')}
${line(compacted, '#2471a3')}
<rect x="${pad.left + 12}" y="${pad.top + 4}" width="12" height="3" fill="#c0392b"/><text x="${pad.left + 30}" y="${pad.top + 9}">whole history (no compaction)</text>
<rect x="${pad.left + 12}" y="${pad.top + 22}" width="12" height="3" fill="#2471a3"/><text x="${pad.left + 30}" y="${pad.top + 27}">compaction: everyTurns ${REPLAY_COMPACTION.everyTurns}, keepTurns ${REPLAY_COMPACTION.keepTurns}</text>
</svg>
`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, svg);
const png = out.replace(/\.svg$/, '.png');
try {
  execFileSync('rsvg-convert', ['-o', png, out]);
  console.log(`wrote ${out} and ${png}`);
} catch {
  console.log(`wrote ${out} (no rsvg-convert for the PNG)`);
}
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
console.log(`whole:     ${JSON.stringify(whole)}`);
console.log(`compacted: ${JSON.stringify(compacted)}`);
console.log(
  `turn 60: ${whole.at(-1)} → ${compacted.at(-1)} prompt tokens; over 60 turns ${sum(whole)} → ${sum(compacted)} (${((1 - sum(compacted) / sum(whole)) * 100).toFixed(1)} % fewer), max after turn 14: ${Math.max(...compacted.slice(13))}`,
);
