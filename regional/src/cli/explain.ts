import { parseArgs } from 'node:util';
import {
  asRouterError,
  chatCompletionRequestSchema,
  errorEnvelope,
  explainRequest,
  formatIssuePath,
  type SessionState,
} from '@switchback/router-core';
import type { CliIo } from './cli-io.ts';
import { loadConfigFile } from './load-config.ts';

export const EXPLAIN_USAGE =
  'switchback explain --config <file> [--tenant T] [--workflow W] [--regional-down] [--sticky-turns N] < request.json';

/**
 * `switchback explain`: classifies and decides the request on stdin under a config and prints why,
 * as JSON, without calling any provider. Exit 1 when the config or request is invalid or the
 * router would refuse it (the error envelope is printed).
 */
export const explainCommand = async (args: readonly string[], io: CliIo): Promise<number> => {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\nusage: ${EXPLAIN_USAGE}`);
    return 2;
  }
  if (values.config === undefined) {
    io.err(`missing --config\nusage: ${EXPLAIN_USAGE}`);
    return 2;
  }

  const loaded = await loadConfigFile(io, values.config);
  if (!loaded.ok) {
    io.err(`${values.config}: invalid config (run switchback validate for details):`);
    for (const issue of loaded.issues) io.err(`${issue.path}: ${issue.message}`);
    return 1;
  }
  const { config } = loaded;

  const tenant =
    values.tenant === undefined
      ? config.tenants[0]
      : config.tenants.find((t) => t.id === values.tenant);
  if (tenant === undefined) {
    io.err(
      `no tenant "${values.tenant}" in ${values.config}: use one of ${config.tenants.map((t) => t.id).join(', ')}`,
    );
    return 1;
  }

  let body: unknown;
  try {
    body = JSON.parse(await io.readStdin());
  } catch (error) {
    io.err(
      `stdin is not a JSON request body: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  }
  const request = chatCompletionRequestSchema.safeParse(body);
  if (!request.success) {
    io.err('stdin is not a valid chat completion request:');
    for (const issue of request.error.issues)
      io.err(`${formatIssuePath(issue.path)}: ${issue.message}`);
    return 1;
  }

  const stickyTurns = values['sticky-turns'] === undefined ? 0 : Number(values['sticky-turns']);
  const session: SessionState | undefined =
    stickyTurns > 0
      ? { stickyTier: 'regional', stickyTurnsLeft: stickyTurns, turns: 1 }
      : undefined;
  try {
    const explanation = explainRequest(request.data, {
      config,
      tenant,
      ...(values.workflow === undefined ? {} : { workflow: values.workflow }),
      ...(session === undefined ? {} : { session }),
      ...(values['regional-down'] ? { regionalAvailable: false } : {}),
    });
    io.out(JSON.stringify({ tenant: tenant.id, ...explanation }, null, 2));
    return 0;
  } catch (thrown) {
    const error = asRouterError(thrown);
    io.out(JSON.stringify({ status: error.status, ...errorEnvelope(error) }, null, 2));
    return 1;
  }
};

const parse = (args: readonly string[]) =>
  parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      tenant: { type: 'string' },
      workflow: { type: 'string' },
      'regional-down': { type: 'boolean' },
      'sticky-turns': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
