import { parseConfig, type RouterConfig } from '@switchback/router-core';
import generated from './router-config.generated.json' with { type: 'json' };

/**
 * The Worker's config: `router.config.yaml` compiled to JSON at build time
 * (`node edge/scripts/compile-config.ts`), checked again here once per isolate.
 */
export const loadConfig = (): RouterConfig => {
  const result = parseConfig(generated);
  if (!result.ok) {
    const issues = result.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new Error(`router-config.generated.json is not a valid config: ${issues}`);
  }
  return result.config;
};
