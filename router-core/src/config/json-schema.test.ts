import { describe, expect, it } from 'vitest';
import checkedIn from '../../schema/router-config.schema.json' with { type: 'json' };
import { routerConfigJsonSchema } from './json-schema.ts';

describe('router-config.schema.json', () => {
  it('is current with the zod schema (regenerate: node router-core/scripts/write-json-schema.ts)', () => {
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(routerConfigJsonSchema())));
  });

  it('lists every top-level section, and requires only the ones without defaults', () => {
    const schema = routerConfigJsonSchema() as { properties: object; required: string[] };
    expect(Object.keys(schema.properties)).toEqual([
      'version',
      'tenants',
      'operators',
      'providers',
      'models',
      'routes',
      'aliases',
      'classification',
      'budgets',
      'quotas',
      'breaker',
      'retry',
      'affinity',
      'prefix',
      'risk',
      'limits',
      'responses',
      'state',
      'pii',
      'compaction',
      'rollout',
    ]);
    expect(schema.required).toEqual([
      'version',
      'tenants',
      'providers',
      'models',
      'routes',
      'budgets',
    ]);
  });
});
