import { describe, expect, it } from 'vitest';

// Every production source of router-core, as text, via Vite's glob import.
const sources = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>(['../src/**/*.ts', '!../src/**/*.test.ts', '!../src/**/*.bench.ts'], {
      query: '?raw',
      import: 'default',
      eager: true,
    }),
  ).map(([path, text]) => [path.replace(/^\.\.\//, ''), text]),
);

// Value imports and re-exports of a relative file (`import type` / `export type` left out: they
// vanish from the emitted code, so they cannot make a module see another half-initialised).
const VALUE_IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^'";]*?from\s*['"](\.[^'"]+)['"]/g;

const resolved = (from: string, specifier: string): string => {
  const parts = from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
};

/** The value imports of each file, by path under router-core. */
const graphOf = (files: Record<string, string>): Map<string, string[]> =>
  new Map(
    Object.entries(files).map(([path, text]) => [
      path,
      [...text.matchAll(VALUE_IMPORT)].map((m) => resolved(path, m[1] ?? '')),
    ]),
  );

/** Every import cycle a depth-first walk meets (none found means there is none). */
const cyclesOf = (graph: Map<string, string[]>): string[][] => {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (state.get(node) === undefined) visit(node);
  return cycles;
};

describe('router-core has no import cycles', () => {
  it('finds a cycle where there is one, and not through type imports', () => {
    const sample = {
      'src/a.ts': "import { b } from './b.ts';",
      'src/b.ts': "import type { A } from './a.ts';\nexport { c } from './sub/c.ts';",
      'src/sub/c.ts': "import { a } from '../a.ts';",
    };
    expect(cyclesOf(graphOf(sample))).toEqual([
      ['src/a.ts', 'src/b.ts', 'src/sub/c.ts', 'src/a.ts'],
    ]);
    expect(
      cyclesOf(graphOf({ ...sample, 'src/sub/c.ts': "import type { a } from '../a.ts';" })),
    ).toEqual([]);
  });

  it('among its files, by value imports', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(30);
    expect(cyclesOf(graphOf(sources))).toEqual([]);
  });
});
