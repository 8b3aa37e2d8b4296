import { z } from 'zod';
import { PROVIDER_KINDS } from '../provider/chat-provider.ts';
import { RISK_TIERS, TIERS } from '../routing/tiers.ts';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use 1-64 lowercase letters, digits, ".", "_" or "-"');
const ms = z.number().int().positive();
const sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be the hex SHA-256 of the key (64 chars)');

const apiKey = z.strictObject({
  id,
  sha256: sha256Hex,
  revoked: z.boolean().default(false),
});

const tenant = z.strictObject({
  id,
  /** Tenant class: picks quotas and the risk policy. */
  class: id.default('standard'),
  keys: z.array(apiKey).min(1),
  allowedTiers: z.array(z.enum(TIERS)).min(1).default(['edge', 'regional']),
  /** Model aliases (or `auto`) this tenant may ask for; `*` allows all. */
  allowedModels: z.array(z.string().min(1)).min(1).default(['*']),
  /** Tool names allowed per workflow (`x-workflow`); `default` applies to every workflow. */
  tools: z.record(z.string(), z.array(z.string().min(1))).default({ default: ['*'] }),
});

const price = z.strictObject({
  inputPerMillion: z.number().nonnegative(),
  cachedInputPerMillion: z.number().nonnegative(),
  outputPerMillion: z.number().nonnegative(),
});

const provider = z.strictObject({
  id,
  kind: z.enum(PROVIDER_KINDS),
  /** Base URL of the provider's API; real providers' defaults apply when absent. */
  baseUrl: z.url().optional(),
  /** Environment variable holding the credential: secrets never live in this file. */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, 'name an environment variable, e.g. OPENAI_API_KEY')
    .optional(),
  /** Bedrock only. */
  region: z.string().optional(),
  /** Workers AI REST only. */
  accountId: z.string().optional(),
});

const model = z.strictObject({
  id,
  provider: id,
  /** The provider's own model name, e.g. `gpt-4.1` or `@cf/zai-org/glm-4.7-flash`. */
  name: z.string().min(1),
  contextWindow: z.number().int().positive(),
  price,
});

const route = z.strictObject({
  /** Model ids, tried in order: the first is the primary, the rest the fallback chain. */
  models: z.array(id).min(1),
});

const budget = z.strictObject({
  ttftMs: ms,
  totalMs: ms,
  policyMs: ms,
});

const quota = z.strictObject({
  requestsPerMinute: z.number().int().positive(),
  tokensPerMinute: z.number().int().positive(),
});

const breaker = z.strictObject({
  /** Percentage of failures in the rolling window that opens the breaker. */
  errorThresholdPercentage: z.number().min(1).max(100).default(50),
  /** Minimum calls in the window before the breaker may open. */
  volumeThreshold: z.number().int().nonnegative().default(10),
  /** How long the breaker stays open before a half-open probe. */
  resetTimeoutMs: ms.default(5_000),
  rollingCountTimeoutMs: ms.default(10_000),
});

const retry = z.strictObject({
  retries: z.number().int().min(0).max(5).default(2),
  minTimeoutMs: ms.default(50),
  maxTimeoutMs: ms.default(1_000),
});

const classification = z.strictObject({
  /** A complexity score at or above this goes regional. */
  regionalThreshold: z.number().min(0).max(1).default(0.5),
  /** Estimated prompt tokens at which the context tier becomes medium, then long. */
  mediumContextTokens: z.number().int().positive().default(4_000),
  longContextTokens: z.number().int().positive().default(32_000),
  /** Per-feature weights; missing ones take the classifier's defaults. */
  weights: z.record(z.string(), z.number().min(0)).default({}),
});

const affinity = z.strictObject({
  /** Turns a session escalated to regional stays there. */
  stickyTurns: z.number().int().min(0).default(5),
});

const prefix = z.strictObject({
  /** Leading non-system turns counted as the stable head. */
  headTurns: z.number().int().min(0).default(1),
  /** Below this many estimated tokens no cache hint is sent. */
  minTokens: z.number().int().min(0).default(1_024),
});

const risk = z.strictObject({
  /** Tool names (globs with `*`) that change the world: their presence raises the risk tier. */
  sideEffectTools: z.array(z.string().min(1)).default([]),
  /** Tenant classes whose requests are at least medium risk. */
  sensitiveClasses: z.array(id).default([]),
  /** Risk tiers that may be degraded to the edge tier when regional is down. */
  degradeToEdge: z.array(z.enum(RISK_TIERS)).default(['low']),
});

/** The whole of `router.config.yaml`. */
export const routerConfigSchema = z
  .strictObject({
    version: z.string().min(1),
    tenants: z.array(tenant).min(1),
    providers: z.array(provider).min(1),
    models: z.array(model).min(1),
    routes: z.strictObject({ edge: route, regional: route }),
    /** Names clients may send as `model`, each pinned to a route tier or a model id. */
    aliases: z.record(z.string().min(1), z.union([z.enum(TIERS), id])).default({}),
    classification: classification.default(classification.parse({})),
    budgets: z.strictObject({
      default: budget,
      workflows: z.record(id, budget).default({}),
    }),
    quotas: z.record(id, quota).default({}),
    breaker: breaker.default(breaker.parse({})),
    retry: retry.default(retry.parse({})),
    affinity: affinity.default(affinity.parse({})),
    prefix: prefix.default(prefix.parse({})),
    risk: risk.default(risk.parse({})),
    limits: z
      .strictObject({
        maxBodyBytes: z.number().int().positive().default(1_048_576),
        maxMessages: z.number().int().positive().default(512),
      })
      .default({ maxBodyBytes: 1_048_576, maxMessages: 512 }),
  })
  .superRefine((config, ctx) => {
    const providers = new Set(config.providers.map((p) => p.id));
    const models = new Set(config.models.map((m) => m.id));
    config.models.forEach((m, i) => {
      if (!providers.has(m.provider)) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'provider'],
          message: `provider "${m.provider}" is not declared under providers (have: ${[...providers].join(', ')})`,
        });
      }
    });
    for (const tier of TIERS) {
      config.routes[tier].models.forEach((m, i) => {
        if (!models.has(m)) {
          ctx.addIssue({
            code: 'custom',
            path: ['routes', tier, 'models', i],
            message: `model "${m}" is not declared under models`,
          });
        }
      });
    }
    for (const [alias, target] of Object.entries(config.aliases)) {
      if (!(TIERS as readonly string[]).includes(target) && !models.has(target)) {
        ctx.addIssue({
          code: 'custom',
          path: ['aliases', alias],
          message: `"${target}" is neither a tier (edge, regional) nor a declared model`,
        });
      }
    }
    config.tenants.forEach((t, i) => {
      if (!(t.class in config.quotas) && Object.keys(config.quotas).length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', i, 'class'],
          message: `tenant class "${t.class}" has no entry under quotas`,
        });
      }
    });
    if (config.classification.mediumContextTokens >= config.classification.longContextTokens) {
      ctx.addIssue({
        code: 'custom',
        path: ['classification', 'mediumContextTokens'],
        message: 'must be below classification.longContextTokens',
      });
    }
  });

export type RouterConfig = z.infer<typeof routerConfigSchema>;
export type RouterConfigInput = z.input<typeof routerConfigSchema>;
export type TenantConfig = RouterConfig['tenants'][number];
export type ProviderConfig = RouterConfig['providers'][number];
export type ModelConfig = RouterConfig['models'][number];
export type BudgetConfig = RouterConfig['budgets']['default'];
export type BreakerConfig = RouterConfig['breaker'];
export type RetryConfig = RouterConfig['retry'];
