import { configErrorMap } from './issue-messages.ts';
import { formatIssuePath } from './issue-path.ts';
import { type RouterConfig, routerConfigSchema } from './schema.ts';

/** One problem in a config: where, and what to do about it. */
export type ConfigIssue = { path: string; message: string };

export type ParseConfigResult =
  | { ok: true; config: RouterConfig }
  | { ok: false; issues: ConfigIssue[] };

/** Validates a parsed config document (YAML or JSON already decoded) and fills in defaults. */
export const parseConfig = (raw: unknown): ParseConfigResult => {
  const result = routerConfigSchema.safeParse(raw, { error: configErrorMap });
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({
      // An unknown key is reported where it is, not at the mapping that holds it.
      path: formatIssuePath(
        issue.code === 'unrecognized_keys' && issue.keys.length === 1
          ? [...issue.path, ...issue.keys]
          : issue.path,
      ),
      message: issue.message,
    })),
  };
};
