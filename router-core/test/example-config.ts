import { parse } from 'yaml';
import exampleYaml from '../../router.config.yaml?raw';
import { parseConfig, type RouterConfig, type TenantConfig } from '../src/index.ts';

const parsed = parseConfig(parse(exampleYaml));
if (!parsed.ok) {
  throw new Error(`router.config.yaml is invalid: ${JSON.stringify(parsed.issues)}`);
}

/** The example `router.config.yaml`, parsed. */
export const exampleConfig: RouterConfig = parsed.config;

/** The example's tenant `id`. */
export const tenantOf = (id: string, config: RouterConfig = exampleConfig): TenantConfig => {
  const tenant = config.tenants.find((t) => t.id === id);
  if (tenant === undefined) throw new Error(`no tenant ${id}`);
  return tenant;
};

/** A copy of the example with some sections replaced, validated like a real file. */
export const configWith = (changes: Record<string, unknown>): RouterConfig => {
  const result = parseConfig({ ...parse(exampleYaml), ...changes });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
};

/** The example document as parsed YAML, for tests that break it on purpose. */
export const exampleDocument = (): Record<string, unknown> => parse(exampleYaml);
