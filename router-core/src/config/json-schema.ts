import * as z from 'zod';
import { routerConfigSchema } from './schema.ts';

/** The config schema as JSON Schema (draft 2020-12) for editors: what a config file may contain. */
export const routerConfigJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(routerConfigSchema, { io: 'input', unrepresentable: 'any' }),
  $id: 'https://switchback.dev/schema/router-config.schema.json',
  title: 'switchback router config',
  description:
    'router.config.yaml: tenants, providers, models, routes, classification, budgets, quotas, breakers, affinity, prefix hints and risk policy. Cross-references (e.g. a route naming an undeclared model) are checked by `switchback validate`.',
});
