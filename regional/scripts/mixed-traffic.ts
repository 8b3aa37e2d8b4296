// Writes mixed replay traffic for `switchback simulate`: the labelled train traffic
// (loadtests/data/traffic-train.jsonl) and the long sessions and documents of
// router-core/test/compaction/mixed-traffic.ts:
//   node regional/scripts/mixed-traffic.ts <out.jsonl>
import { readFileSync, writeFileSync } from 'node:fs';
import { sessionTraffic } from '../../router-core/test/compaction/mixed-traffic.ts';

const out = process.argv[2];
if (out === undefined) {
  console.error('usage: node regional/scripts/mixed-traffic.ts <out.jsonl>');
  process.exit(2);
}
const train = readFileSync(
  new URL('../../loadtests/data/traffic-train.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '');
const sessions = sessionTraffic().map((line) => JSON.stringify({ ...line, tenant: 'demo' }));
writeFileSync(out, `${[...train, ...sessions].join('\n')}\n`);
console.log(
  `wrote ${out}: ${train.length} single-turn and ${sessions.length} session and document requests`,
);
