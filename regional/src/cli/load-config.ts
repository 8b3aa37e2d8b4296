import { type ConfigIssue, parseConfig, type RouterConfig } from '@switchback/router-core';
import { parseDocument } from 'yaml';
import type { CliIo } from './cli-io.ts';

export type LoadedConfig =
  | { ok: true; config: RouterConfig }
  | { ok: false; issues: ConfigIssue[] };

const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Reads and validates a config file (YAML, or JSON, which is YAML too). */
export const loadConfigFile = async (io: CliIo, path: string): Promise<LoadedConfig> => {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return {
      ok: false,
      issues: [
        {
          path: '(file)',
          message:
            code === 'ENOENT'
              ? `cannot read ${path}: no such file`
              : `cannot read ${path}: ${errorMessage(error)}`,
        },
      ],
    };
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      issues: document.errors.map((error) => {
        const at = error.linePos?.[0];
        return {
          path: at === undefined ? '(yaml)' : `(yaml line ${at.line}, column ${at.col})`,
          // The first line only, without the position the path already gives.
          message: (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, ''),
        };
      }),
    };
  }
  if (document.contents === null) {
    return {
      ok: false,
      issues: [
        { path: '(root)', message: 'the file is empty: start from the example router.config.yaml' },
      ],
    };
  }
  return parseConfig(document.toJS());
};
