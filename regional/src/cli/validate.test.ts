import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

// The YAML syntax error fixture is kept as .txt: biome parses .yaml files and would reject it.
const fixture = (name: string) =>
  `regional/src/cli/fixtures/${name}${name === 'yaml-syntax-error' ? '.yaml.txt' : '.yaml'}`;

const broken: { fixture: string; line: string }[] = [
  { fixture: 'missing-routes', line: 'routes: missing: add it (a mapping (key: value))' },
  { fixture: 'misspelt-section', line: 'tenant: unknown key: did you mean "tenants"?' },
  {
    fixture: 'raw-api-key',
    line: 'tenants[0].keys[0].sha256: must be the lowercase hex SHA-256 of the key (64 characters); never the key itself',
  },
  {
    fixture: 'secret-in-file',
    line: 'providers[0].apiKey: unknown key: secrets never live in this file: put the credential in an environment variable and name it with apiKeyEnv',
  },
  {
    fixture: 'unknown-provider-kind',
    line: 'providers[0].kind: must be one of "workers-ai", "openai", "openai-compatible", "bedrock", got the string "azure-openai"',
  },
  {
    fixture: 'undeclared-route-model',
    line: 'routes.regional.models[1]: model "claude" is not declared under models: use one of gpt',
  },
  {
    fixture: 'undeclared-provider',
    line: 'models[0].provider: provider "open-ai" is not declared under providers: use one of openai',
  },
  {
    fixture: 'ttft-after-deadline',
    line: 'budgets.default.ttftMs: 60000 ms is longer than totalMs (30000 ms): the first token must be due before the end-to-end deadline',
  },
  {
    fixture: 'threshold-out-of-range',
    line: 'classification.regionalThreshold: must be at most 1, got number 2',
  },
  {
    fixture: 'context-thresholds-swapped',
    line: 'classification.mediumContextTokens: must be below classification.longContextTokens (32000)',
  },
  {
    fixture: 'context-window-not-a-number',
    line: 'models[0].contextWindow: expected a number, got the string "1M"',
  },
  {
    fixture: 'alias-to-nothing',
    line: 'aliases.smart: "gpt-5" is neither a tier (edge, regional) nor a declared model (gpt)',
  },
  {
    fixture: 'class-without-quota',
    line: 'tenants[0].class: tenant class "standard" has no entry under quotas: add quotas.standard or use one of premium',
  },
  {
    fixture: 'quota-class-unknown-workflow',
    line: 'quotas.standard.classes.batchh: "batchh" is not a configured workflow (chat) nor long-context, regional: configure the workflow or drop the class',
  },
  {
    fixture: 'unknown-risk-tier',
    line: 'risk.degradeToEdge[1]: must be one of "low", "medium", "high", got the string "moderate"',
  },
  {
    fixture: 'duplicate-model-id',
    line: 'models[1].id: duplicate model id "gpt": give each model its own id',
  },
  {
    fixture: 'yaml-syntax-error',
    line: '(yaml line 4, column 1): Sequence item without - indicator',
  },
  {
    fixture: 'empty',
    line: '(root): the file is empty: start from the example router.config.yaml',
  },
  {
    fixture: 'does-not-exist',
    line: '(file): cannot read regional/src/cli/fixtures/does-not-exist.yaml: no such file',
  },
];

describe('switchback validate', () => {
  // One child process per config, a few at a time: the machine is shared.
  it('prints the path and what is wrong for each broken config, and exits 1', {
    timeout: 60_000,
  }, async () => {
    const results: { fixture: string; code: number | null; stderr: string }[] = [];
    for (let i = 0; i < broken.length; i += 4) {
      const batch = broken.slice(i, i + 4);
      const runs = await Promise.all(batch.map((b) => runCli(['validate', fixture(b.fixture)])));
      for (const [j, run] of runs.entries()) {
        results.push({ fixture: batch[j]?.fixture ?? '', code: run.code, stderr: run.stderr });
      }
    }
    for (const [i, b] of broken.entries()) {
      const result = results[i];
      expect(result?.code, b.fixture).toBe(1);
      const lines = result?.stderr.trimEnd().split('\n') ?? [];
      expect(lines[0], b.fixture).toMatch(/: invalid config, \d+ problems?:$/);
      expect(lines, b.fixture).toContain(b.line);
    }
  });

  it('accepts the example config with one OK line and exit 0', { timeout: 20_000 }, async () => {
    const run = await runCli(['validate', 'router.config.yaml']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      'OK router.config.yaml: version 2026-11-23.1, 2 tenants, 4 providers, 6 models (edge route glm-flash > llama-fast > kimi (large); regional route gpt > claude > qwen-vllm)\n',
    );
  });

  it('accepts a minimal config', { timeout: 20_000 }, async () => {
    const run = await runCli(['validate', fixture('valid-minimal')]);
    expect(run.code).toBe(0);
  });

  it('explains its usage when the file is missing', { timeout: 20_000 }, async () => {
    const run = await runCli(['validate']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'usage: switchback validate <config-file>\n',
    });
  });
});
