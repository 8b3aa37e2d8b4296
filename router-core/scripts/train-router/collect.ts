// `node router-core/scripts/train-router/collect.ts [--mirror DIR] [--out FILE]`: reads every
// source of `sources.ts` out of its repository snapshot (a bare git directory under
// DIR/<owner>+<name>/repo, as the project's snapshot tool lays them out) at its pinned commit and
// writes one JSON line a prompt: {source, label, role, category, text}. Deterministic: the same
// snapshots give the same file, byte for byte.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { AMBIGUOUS_EASY, type Row, SOURCES, type Source } from './sources.ts';

export type CorpusRow = Row & { source: string; label: Source['label']; role: Source['role'] };

/** Rows a source keeps at most (a seeded sample): no source outweighs the rest by its size. */
export const MAX_ROWS_PER_SOURCE = 2500;

/** A stable 32-bit hash of a string (FNV-1a): seeds samples and splits without a RNG. */
export const stableHash = (text: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
};

/**
 * Reads files of a bare snapshot at a commit. `git cat-file --batch` for a listed folder's files
 * (MATH is 12,500 of them); snapshots lack their largest files, so nothing unpacks the whole tree.
 */
class Snapshot {
  private readonly cache = new Map<string, Buffer>();
  private readonly gitDir: string;
  private readonly commit: string;
  constructor(gitDir: string, commit: string) {
    this.gitDir = gitDir;
    this.commit = commit;
  }

  list(dir: string): string[] {
    const out = execFileSync(
      'git',
      ['--git-dir', this.gitDir, 'ls-tree', '-r', '--name-only', this.commit, '--', dir],
      { maxBuffer: 1 << 28 },
    ).toString('utf8');
    const paths = out
      .split('\n')
      .filter((p) => p !== '')
      .sort();
    this.prefetch(paths);
    return paths;
  }

  show(path: string): string {
    const bytes =
      this.cache.get(path) ??
      execFileSync('git', ['--git-dir', this.gitDir, 'show', `${this.commit}:${path}`], {
        maxBuffer: 1 << 28,
      });
    return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  }

  private prefetch(paths: string[]): void {
    const out = execFileSync('git', ['--git-dir', this.gitDir, 'cat-file', '--batch'], {
      input: paths.map((p) => `${this.commit}:${p}`).join('\n'),
      maxBuffer: 1 << 30,
    });
    let at = 0;
    for (const path of paths) {
      const eol = out.indexOf(10, at);
      const header = out.subarray(at, eol).toString('utf8');
      const size = Number(header.split(' ')[2]);
      if (header.endsWith('missing') || !Number.isFinite(size)) {
        at = eol + 1;
        continue;
      }
      this.cache.set(path, out.subarray(eol + 1, eol + 1 + size));
      at = eol + 1 + size + 1;
    }
  }
}

const gitDirOf = (source: Source, mirror: string): string => {
  const base = join(mirror, source.repo.replace('/', '+'), 'repo');
  // A snapshot is a bare git directory, or one with a work tree's `.git` inside.
  return existsSync(join(base, '.git')) ? join(base, '.git') : base;
};

const hasSnapshot = (source: Source, mirror: string): boolean =>
  existsSync(gitDirOf(source, mirror));

export const readSource = (
  source: Source,
  mirror: string,
): { rows: CorpusRow[]; dropped: number } => {
  const gitDir = gitDirOf(source, mirror);
  if (!existsSync(gitDir)) {
    throw new Error(`no snapshot of ${source.repo} at ${gitDir}: fetch it first (see SOURCES.md)`);
  }
  const snapshot = new Snapshot(gitDir, source.commit);
  {
    const seen = new Set<string>();
    let dropped = 0;
    const rows: CorpusRow[] = [];
    const rows_ = source.read(
      (path) => snapshot.show(path),
      (dir) => snapshot.list(dir),
    );
    for (const row of rows_) {
      const text = row.text.trim();
      if (text === '' || seen.has(text)) continue;
      seen.add(text);
      if (source.label === 'easy' && AMBIGUOUS_EASY.test(text)) {
        dropped++;
        continue;
      }
      rows.push({ ...row, text, source: source.id, label: source.label, role: source.role });
    }
    rows.sort((a, b) => stableHash(a.text) - stableHash(b.text) || (a.text < b.text ? -1 : 1));
    return { rows: rows.slice(0, MAX_ROWS_PER_SOURCE), dropped };
  }
};

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      mirror: { type: 'string', default: process.env.SWITCHBACK_CORPUS_MIRROR ?? '/work/.mirror' },
      out: { type: 'string', default: 'router-core/data/.cache/corpus.jsonl' },
    },
  });
  const out = values.out;
  mkdirSync(dirname(out), { recursive: true });
  const lines: string[] = [];
  for (const source of SOURCES) {
    // A probe's snapshot is optional: the weights never depend on it.
    if (source.role === 'probe' && !hasSnapshot(source, values.mirror)) {
      console.log(`${source.id.padEnd(20)} probe: no snapshot of ${source.repo}, left out`);
      continue;
    }
    const { rows, dropped } = readSource(source, values.mirror);
    console.log(
      `${source.id.padEnd(20)} ${source.label} ${source.role.padEnd(7)} ${String(rows.length).padStart(5)} rows (${dropped} ambiguous left out)`,
    );
    for (const row of rows) lines.push(JSON.stringify(row));
  }
  writeFileSync(out, `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} rows to ${out}`);
}
