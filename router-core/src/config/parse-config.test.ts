import { describe, expect, it } from 'vitest';
import { exampleDocument } from '../../test/example-config.ts';
import { parseConfig } from './parse-config.ts';

type Doc = Record<string, unknown> & {
  tenants: Record<string, unknown>[];
  providers: Record<string, unknown>[];
  models: Record<string, unknown>[];
};

const broken = (change: (doc: Doc) => void): unknown => {
  const doc = exampleDocument() as Doc;
  change(doc);
  return doc;
};

describe('parseConfig', () => {
  it('accepts the example config and fills in defaults', () => {
    const result = parseConfig(exampleDocument());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.tenants[0]?.keys[0]?.revoked).toBe(false);
    expect(result.config.models[0]?.vision).toBe(false);
    expect(result.config.risk.escalate).toEqual(['high']);
    expect(result.config.classification.weights).toEqual({});
  });

  it.each([
    {
      name: 'a missing section names the section',
      change: (d: Doc) => delete d.routes,
      issue: { path: 'routes', message: 'missing: add it (a mapping (key: value))' },
    },
    {
      name: 'a typo in a key suggests the right one',
      change: (d: Doc) => {
        d.classifcation = d.classification;
        delete d.classification;
      },
      issue: {
        path: 'classifcation',
        message: 'unknown key: did you mean "classification"?',
      },
    },
    {
      name: 'a wrong type says what was expected and what came',
      change: (d: Doc) => {
        d.classification = { regionalThreshold: 'high' };
      },
      issue: {
        path: 'classification.regionalThreshold',
        message: 'expected a number, got the string "high"',
      },
    },
    {
      name: 'an out-of-range threshold gives the bound',
      change: (d: Doc) => {
        d.classification = { regionalThreshold: 1.5 };
      },
      issue: {
        path: 'classification.regionalThreshold',
        message: 'must be at most 1, got number 1.5',
      },
    },
    {
      name: 'an unknown provider kind lists the kinds',
      change: (d: Doc) => {
        (d.providers[1] as Record<string, unknown>).kind = 'azure';
      },
      issue: {
        path: 'providers[1].kind',
        message:
          'must be one of "workers-ai", "openai", "openai-compatible", "bedrock", got the string "azure"',
      },
    },
    {
      name: 'a raw key instead of its hash says to hash it',
      change: (d: Doc) => {
        (
          (d.tenants[0] as { keys: Record<string, unknown>[] }).keys[0] as Record<string, unknown>
        ).sha256 = 'sk-local-demo';
      },
      issue: {
        path: 'tenants[0].keys[0].sha256',
        message:
          'must be the lowercase hex SHA-256 of the key (64 characters); never the key itself',
      },
    },
    {
      name: 'a route naming an undeclared model lists the declared ones',
      change: (d: Doc) => {
        d.routes = { edge: { models: ['glm-flash', 'mistral'] }, regional: { models: ['gpt'] } };
      },
      issue: {
        path: 'routes.edge.models[1]',
        message:
          'model "mistral" is not declared under models: use one of glm-flash, llama-fast, kimi, gpt, qwen-vllm, claude',
      },
    },
    {
      name: 'a model on an undeclared provider lists the providers',
      change: (d: Doc) => {
        (d.models[0] as Record<string, unknown>).provider = 'cloudflare';
      },
      issue: {
        path: 'models[0].provider',
        message:
          'provider "cloudflare" is not declared under providers: use one of workers-ai, openai, vllm, bedrock',
      },
    },
    {
      name: 'a TTFT budget longer than the total budget',
      change: (d: Doc) => {
        d.budgets = { default: { ttftMs: 40000, totalMs: 30000, policyMs: 5 } };
      },
      issue: {
        path: 'budgets.default.ttftMs',
        message:
          '40000 ms is longer than totalMs (30000 ms): the first token must be due before the end-to-end deadline',
      },
    },
    {
      name: 'a tenant class without quotas',
      change: (d: Doc) => {
        (d.tenants[1] as Record<string, unknown>).class = 'gold';
      },
      issue: {
        path: 'tenants[1].class',
        message:
          'tenant class "gold" has no entry under quotas: add quotas.gold or use one of standard, premium',
      },
    },
    {
      name: 'a quota class naming a workflow the config does not define',
      change: (d: Doc) => {
        d.quotas = {
          standard: { default: { requestsPerMinute: 1, tokensPerMinute: 1 }, classes: {} },
          premium: {
            default: { requestsPerMinute: 1, tokensPerMinute: 1 },
            classes: { nightly: { requestsPerMinute: 1, tokensPerMinute: 1 } },
          },
        };
      },
      issue: {
        path: 'quotas.premium.classes.nightly',
        message:
          '"nightly" is not a configured workflow (chat, support, batch) nor long-context, regional: configure the workflow or drop the class',
      },
    },
    {
      name: 'a workflow named like a routed quota class',
      change: (d: Doc) => {
        (d.budgets as { workflows: Record<string, unknown> }).workflows.regional = {
          ttftMs: 1000,
          totalMs: 20000,
          policyMs: 50,
        };
      },
      issue: {
        path: 'budgets.workflows.regional',
        message:
          '"regional" is a quota request class of its own (long-context, regional): name the workflow otherwise',
      },
    },
    {
      name: 'a duplicated model id',
      change: (d: Doc) => {
        (d.models[1] as Record<string, unknown>).id = 'glm-flash';
      },
      issue: {
        path: 'models[1].id',
        message: 'duplicate model id "glm-flash": give each model its own id',
      },
    },
    {
      name: 'an allowed model that is neither alias nor model',
      change: (d: Doc) => {
        (d.tenants[1] as Record<string, unknown>).allowedModels = ['auto', 'gpt-5'];
      },
      issue: {
        path: 'tenants[1].allowedModels[1]',
        message:
          '"gpt-5" is not "*", "auto", an alias (fast, smart, kimi) or a model id (glm-flash, llama-fast, kimi, gpt, qwen-vllm, claude)',
      },
    },
    {
      name: 'an unknown classification weight',
      change: (d: Doc) => {
        d.classification = { weights: { txet: 0.3 } };
      },
      issue: {
        path: 'classification.weights.txet',
        message: 'unknown key: did you mean "text"?',
      },
    },
    {
      name: 'a base URL that is not a URL',
      change: (d: Doc) => {
        (d.providers[1] as Record<string, unknown>).baseUrl = 'localhost:8789';
      },
      issue: {
        path: 'providers[1].baseUrl',
        message:
          'must be an http(s) URL such as https://api.example.com/v1, got the string "localhost:8789"',
      },
    },
    {
      name: 'the same key hash in two tenants',
      change: (d: Doc) => {
        const demo = d.tenants[0] as { keys: { sha256: string }[] };
        const acme = d.tenants[1] as { keys: { sha256: string }[] };
        (acme.keys[0] as { sha256: string }).sha256 = (demo.keys[0] as { sha256: string }).sha256;
      },
      issue: {
        path: 'tenants[1].keys[0].sha256',
        message:
          'the same key hash is already used by tenant "demo" key "demo-local": every API key must be unique',
      },
    },
  ])('rejects $name', ({ change, issue }) => {
    const result = parseConfig(broken(change));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual(issue);
  });

  it('points at a secret written into the file and says where it belongs', () => {
    const result = parseConfig(
      broken((d) => {
        (d.providers[1] as Record<string, unknown>).apiKey = 'sk-proj-123';
      }),
    );
    expect(result.ok ? [] : result.issues).toEqual([
      {
        path: 'providers[1].apiKey',
        message:
          'unknown key: secrets never live in this file: put the credential in an environment variable and name it with apiKeyEnv',
      },
    ]);
  });

  it('names each of several unknown keys', () => {
    const result = parseConfig(
      broken((d) => {
        d.retry = { retries: 1, backof: 2, jitter: true };
      }),
    );
    expect(result.ok ? [] : result.issues).toEqual([
      {
        path: 'retry',
        message:
          'unknown key "backof": remove it (allowed here: retries, minTimeoutMs, maxTimeoutMs, firstAttemptTtftShare); unknown key "jitter": remove it (allowed here: retries, minTimeoutMs, maxTimeoutMs, firstAttemptTtftShare)',
      },
    ]);
  });

  it('reports every issue at once, not just the first', () => {
    const result = parseConfig(
      broken((d) => {
        (d.providers[0] as Record<string, unknown>).kind = 'azure';
        (d.models[0] as Record<string, unknown>).contextWindow = -1;
      }),
    );
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual([
      'providers[0].kind',
      'models[0].contextWindow',
    ]);
  });

  it('rejects something that is not a mapping at all', () => {
    expect(parseConfig('version: 1')).toEqual({
      ok: false,
      issues: [
        { path: '(root)', message: 'expected a mapping (key: value), got the string "version: 1"' },
      ],
    });
  });
});
