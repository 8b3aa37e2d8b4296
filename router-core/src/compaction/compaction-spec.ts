import type { CompactionSpec, RouterConfig } from '../config/schema.ts';

/** The request header a client opts one request in with (`auto`). */
export const COMPACTION_HEADER = 'x-switchback-compaction';

/**
 * The compaction a request gets: its workflow's (`compaction.workflows`), else `compaction.auto`
 * when the client sent `x-switchback-compaction: auto`, else none: never on a request that did not
 * opt in.
 */
export const compactionSpecFor = (
  config: Pick<RouterConfig, 'compaction'>,
  workflow: string | undefined,
  headers: { get(name: string): string | null },
): CompactionSpec | undefined => {
  const compaction = config.compaction;
  if (compaction === undefined) return undefined;
  const own = workflow === undefined ? undefined : compaction.workflows[workflow];
  if (own !== undefined) return own;
  return headers.get(COMPACTION_HEADER)?.trim().toLowerCase() === 'auto'
    ? compaction.auto
    : undefined;
};
