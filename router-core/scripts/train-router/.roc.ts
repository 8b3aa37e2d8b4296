import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { classify } from '../../src/classify/classify.ts';
import { parseConfig } from '../../src/index.ts';

const parsed = parseConfig(parse(readFileSync('router.config.yaml', 'utf8')));
if (!parsed.ok) throw new Error('bad');
const config = parsed.config;
const tenant = config.tenants.find((t) => t.id === 'demo')!;
const rows = readFileSync(process.argv[2]!, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((r) => r.role === 'holdout');
const hard: number[] = [],
  easy: number[] = [];
for (const r of rows) {
  const c = classify({ model: 'auto', messages: [{ role: 'user', content: r.text }] } as never, {
    config,
    tenant,
  });
  (r.label === 'hard' ? hard : easy).push(c.score);
}
easy.sort((a, b) => a - b);
let auc = 0;
for (const h of hard) {
  let lo = 0;
  for (const e of easy) if (e < h) lo++;
  auc += lo / easy.length;
}
console.log('AUC', (auc / hard.length).toFixed(4));
for (const target of [0.83, 0.85, 0.87, 0.9]) {
  const t = easy[Math.floor(target * easy.length)]!;
  console.log(
    `easy ${target} at t=${t.toFixed(3)}: hard ${((hard.filter((h) => h >= t).length / hard.length) * 100).toFixed(1)}`,
  );
}
