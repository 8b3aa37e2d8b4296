// The edge Worker as the benchmark runs it: the same app as edge/src/index.ts, with the bench
// config (bench/bench.config.yaml, compiled by bench/run.ts) in place of router.config.yaml, so the
// quota check runs on every request without ever rejecting one. Nothing else differs.
import { parseConfig } from '@switchback/router-core';
import { createApp } from '../../edge/src/app.ts';
import generated from './router-config.generated.json' with { type: 'json' };

export { AuditChainObject } from '../../edge/src/objects/audit-chain-object.ts';
export { IdempotencyObject } from '../../edge/src/objects/idempotency-object.ts';
export { QuotaObject } from '../../edge/src/objects/quota-object.ts';
export { SessionObject } from '../../edge/src/objects/session-object.ts';

const parsed = parseConfig(generated);
if (!parsed.ok) {
  const issues = parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  throw new Error(`bench/edge/router-config.generated.json is not a valid config: ${issues}`);
}

export default createApp({ config: parsed.config });
