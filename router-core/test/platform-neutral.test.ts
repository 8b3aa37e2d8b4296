import { describe, expect, it } from 'vitest';

// Every source file of router-core (tests included), as text, via Vite's glob import.
const sources = import.meta.glob<string>('../src/**/*.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
});

// import … from 'x', export … from 'x', import 'x', import('x'), require('x').
const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

const specifiersOf = (text: string): string[] =>
  [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');

/** The scan itself is checked on a sample, so a broken pattern cannot pass silently. */
const SAMPLE = `import { z } from 'zod';\nimport type { X } from '../a.ts';\nexport * from './b.ts';\nimport {\n  a,\n} from 'node:fs';\nconst m = await import('cloudflare:workers');\nimport 'node:process';`;

const productionSources = Object.entries(sources).filter(
  ([path]) => !path.endsWith('.test.ts') && !path.endsWith('.bench.ts'),
);

describe('router-core is platform-neutral', () => {
  it('finds the sources it scans, and every kind of import in them', () => {
    expect(productionSources.length).toBeGreaterThan(30);
    expect(specifiersOf(SAMPLE)).toEqual([
      'zod',
      '../a.ts',
      './b.ts',
      'node:fs',
      'cloudflare:workers',
      'node:process',
    ]);
  });

  it('imports nothing from node:* or cloudflare:*, nor Node built-ins by bare name', () => {
    const offenders = productionSources.flatMap(([path, text]) =>
      specifiersOf(text)
        .filter(
          (s) =>
            /^(node:|cloudflare:)/.test(s) ||
            /^(fs|path|crypto|os|http|https|net|stream|buffer|util|child_process|worker_threads)(\/|$)/.test(
              s,
            ),
        )
        .map((s) => `${path}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('depends on zod and its own files only', () => {
    const foreign = productionSources.flatMap(([path, text]) =>
      specifiersOf(text)
        .filter((s) => !s.startsWith('.') && s !== 'zod')
        .map((s) => `${path}: ${s}`),
    );
    expect(foreign).toEqual([]);
  });

  it('does not reach for Node globals (process, Buffer, require)', () => {
    const offenders = productionSources
      .filter(([, text]) =>
        /\b(process\.|Buffer\.|require\()/.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')),
      )
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });
});
