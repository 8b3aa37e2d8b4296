import { parseConfig } from '@switchback/router-core';
import { parse } from 'yaml';

/**
 * `router.config.yaml` as the JSON the Worker bundles: validated, defaults filled in, so the
 * Worker never parses YAML. Throws with every problem when the config is invalid.
 */
export const compileRouterConfig = (yamlText: string): string => {
  const result = parseConfig(parse(yamlText));
  if (!result.ok) {
    const issues = result.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    throw new Error(`router.config.yaml is not a valid config:\n${issues}`);
  }
  return `${JSON.stringify(result.config, null, 2)}\n`;
};
