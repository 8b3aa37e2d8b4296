import { entryModel, entryRung, type RouterConfig } from '@switchback/router-core';
import type { CliIo } from './cli-io.ts';
import { loadConfigFile } from './load-config.ts';

export const VALIDATE_USAGE = 'switchback validate <config-file>';

/** The edge route as `a > b > c (large)`. */
const edgeRouteText = (config: RouterConfig): string =>
  config.routes.edge.models
    .map((e) => (entryRung(e) === 'large' ? `${entryModel(e)} (large)` : entryModel(e)))
    .join(' > ');

/** `switchback validate <file>`: 0 and one line when valid, 1 and every issue when not. */
export const validateCommand = async (args: readonly string[], io: CliIo): Promise<number> => {
  const [file, ...extra] = args;
  if (file === undefined || extra.length > 0 || file.startsWith('-')) {
    io.err(`usage: ${VALIDATE_USAGE}`);
    return 2;
  }
  const loaded = await loadConfigFile(io, file);
  if (!loaded.ok) {
    const n = loaded.issues.length;
    io.err(`${file}: invalid config, ${n} problem${n === 1 ? '' : 's'}:`);
    for (const issue of loaded.issues) io.err(`${issue.path}: ${issue.message}`);
    return 1;
  }
  const { config } = loaded;
  io.out(
    `OK ${file}: version ${config.version}, ${config.tenants.length} tenants, ${config.providers.length} providers, ${config.models.length} models (edge route ${edgeRouteText(config)}; regional route ${config.routes.regional.models.join(' > ')})`,
  );
  return 0;
};
