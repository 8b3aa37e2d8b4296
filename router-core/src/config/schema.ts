import * as z from 'zod';
import { BUILTIN_PII } from '../audit/redact-pii.ts';
import { FEATURE_NAMES } from '../classify/feature-names.ts';
import { PROVIDER_KINDS } from '../provider/chat-provider.ts';
import { EDGE_RUNGS, RISK_TIERS, TIERS } from '../routing/tiers.ts';
import { crossCheckConfig } from './cross-check.ts';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use 1-64 lowercase letters, digits, ".", "_" or "-"');
const ms = z.number().int().positive();
const sha256Hex = z
  .string()
  .regex(
    /^[0-9a-f]{64}$/,
    'must be the lowercase hex SHA-256 of the key (64 characters); never the key itself',
  );

const apiKey = z.strictObject({
  id: id.describe('Names the key in logs and audit events (never the key itself).'),
  sha256: sha256Hex.describe('Hex SHA-256 of the API key: `printf %s "$KEY" | sha256sum`.'),
  revoked: z.boolean().default(false).describe('A revoked key gets 401 invalid_api_key.'),
});

const tenant = z.strictObject({
  id,
  class: id.default('standard').describe('Tenant class: picks quotas and the risk policy.'),
  keys: z.array(apiKey).min(1).describe('API keys of this tenant, stored hashed.'),
  allowedTiers: z
    .array(z.enum(TIERS))
    .min(1)
    .default(['edge', 'regional'])
    .describe('Tiers that may serve this tenant; the router never chooses another.'),
  allowedModels: z
    .array(z.string().min(1))
    .min(1)
    .default(['*'])
    .describe('Model aliases, model ids (or `auto`) this tenant may ask for; `*` allows all.'),
  tools: z
    .record(z.string(), z.array(z.string().min(1)))
    .default({ default: ['*'] })
    .describe(
      'Tool names allowed per workflow (`x-workflow`); `default` applies to every workflow.',
    ),
  sideEffects: z
    .discriminatedUnion('stage', [
      z.strictObject({ stage: z.literal('read-only') }),
      z.strictObject({
        stage: z.literal('scoped-write'),
        allow: z
          .array(z.string().min(1))
          .min(1)
          .describe('Side-effect tools (globs) this tenant may use; the others are refused.'),
      }),
      z.strictObject({ stage: z.literal('approval') }),
    ])
    .optional()
    .describe(
      'Rollout stage of side-effect tools (`risk.sideEffectTools`) for this tenant: `read-only` refuses requests offering any, `scoped-write` those off its `allow` list, `approval` holds each side-effect call in an answer until an operator approves it (its result is refused without the approval). Absent: only `tools` applies.',
    ),
});

const usd = z.number().nonnegative();
const price = z
  .strictObject({
    inputPerMillion: usd.describe('USD per million prompt tokens.'),
    cachedInputPerMillion: usd.describe('USD per million cached prompt tokens.'),
    outputPerMillion: usd.describe('USD per million completion tokens.'),
  })
  .describe('Prices for cost accounting.');

const provider = z.strictObject({
  id,
  kind: z.enum(PROVIDER_KINDS).describe('Wire protocol of the provider.'),
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe("Base URL of the provider's API; real providers' defaults apply when absent."),
  backends: z
    .array(z.url({ protocol: /^https?$/ }))
    .min(1)
    .optional()
    .describe(
      'A pool of interchangeable base URLs serving the same models (replicas of a vLLM server, say). Regional keeps each session on one of them by rendezvous hashing over the healthy ones. When set, it replaces `baseUrl`.',
    ),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/, 'name an environment variable, e.g. OPENAI_API_KEY')
    .optional()
    .describe('Environment variable holding the credential: secrets never live in this file.'),
  responsesApi: z
    .enum(['chat', 'native'])
    .optional()
    .describe(
      "OpenAI only: `native` calls OpenAI's own Responses endpoint (`POST /v1/responses`) for this provider's models, `chat` (the default) its chat completions.",
    ),
  region: z.string().optional().describe('Bedrock only.'),
  accountId: z.string().optional().describe('Workers AI REST only.'),
  gateway: z
    .strictObject({
      id: z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9_-]{0,63}$/,
          'use the gateway name: lowercase letters, digits, "_" or "-"',
        )
        .describe('The AI Gateway to route this provider through.'),
      accountId: z
        .string()
        .min(1)
        .optional()
        .describe(
          "The gateway's Cloudflare account; default the provider's accountId, else CLOUDFLARE_ACCOUNT_ID.",
        ),
      cacheTtl: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Seconds the gateway may answer from its cache (`cf-aig-cache-ttl`).'),
      skipCache: z
        .boolean()
        .optional()
        .describe('Never answer from the cache (`cf-aig-skip-cache`).'),
      baseUrl: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe(
          'The gateway API root; default https://gateway.ai.cloudflare.com/v1 (the simulator locally).',
        ),
    })
    .optional()
    .describe(
      "Cloudflare AI Gateway as a hop: its cache and logs, one switch per provider (env.AI.run's gateway option at the edge, the gateway's provider URL at regional).",
    ),
});

const model = z.strictObject({
  id,
  provider: id.describe('Id of a provider declared under `providers`.'),
  name: z
    .string()
    .min(1)
    .describe("The provider's own model name, e.g. `gpt-4.1` or `@cf/zai-org/glm-4.7-flash`."),
  contextWindow: z
    .number()
    .int()
    .positive()
    .describe('Prompt plus completion tokens the model accepts; longer requests skip it.'),
  price,
  vision: z
    .boolean()
    .default(false)
    .describe('Whether the model reads images; requests with images only go to models that do.'),
  tier: z
    .enum(TIERS)
    .optional()
    .describe(
      'Tier that serves this model when a client names it. Default: the route that lists it, else `edge` for a `workers-ai` provider and `regional` for the others.',
    ),
});

const route = z.strictObject({
  models: z
    .array(id)
    .min(1)
    .describe('Model ids, tried in order: the first is the primary, the rest the fallback chain.'),
});

const edgeRouteEntry = z.union([
  id.describe('A model of the `fast` rung.'),
  z.strictObject({
    model: id.describe('Id of a model declared under `models`.'),
    use: z
      .enum(EDGE_RUNGS)
      .default('fast')
      .describe(
        'The rung of the edge ladder: `fast` serves simple requests, `large` medium complexity and long context (instead of escalating to regional).',
      ),
  }),
]);

const edgeRoute = z.strictObject({
  models: z
    .array(edgeRouteEntry)
    .min(1)
    .describe(
      'Model ids (or `{ model, use }`), tried in order: the first is the primary, the rest the fallback chain. With a `use: large` model the edge is a ladder: only hard or high-risk requests go regional.',
    ),
});

const budget = z.strictObject({
  ttftMs: ms.describe(
    'Time to first token: past it, the attempt is aborted and the next target tried.',
  ),
  totalMs: ms.describe(
    'End-to-end deadline: past it, upstream is aborted and 504 budget_exceeded.',
  ),
  policyMs: ms.describe('Time allowed for admission and policy checks.'),
});

const perMinute = z.number().int().positive();
const quotaLimit = z.strictObject({
  requestsPerMinute: perMinute.describe('Requests per tenant per minute.'),
  tokensPerMinute: perMinute.describe(
    'Estimated prompt plus completion tokens per tenant per minute.',
  ),
});
const classQuota = z.strictObject({
  default: quotaLimit.describe(
    'What every request of a tenant of this class draws from, unless its workflow has a class of its own.',
  ),
  classes: z
    .record(id, quotaLimit)
    .default({})
    .describe(
      "Allowances per request class, each per tenant: a configured workflow (a name under `budgets.workflows` or a tenant's `tools`) draws from its own instead of `default`; `long-context` (context tier long) and `regional` (decided tier regional) are drawn from as well, where configured.",
    ),
});
// The first shape (one allowance per tenant class) still reads: it is the `default` class.
const quota = z.union([
  classQuota,
  quotaLimit.transform((limit) => ({
    default: limit,
    classes: {} as Record<string, z.infer<typeof quotaLimit>>,
  })),
]);

const breaker = z.strictObject({
  errorThresholdPercentage: z
    .number()
    .min(1)
    .max(100)
    .default(50)
    .describe('Percentage of failures in the rolling window that opens the breaker.'),
  volumeThreshold: z
    .number()
    .int()
    .nonnegative()
    .default(10)
    .describe('Minimum calls in the window before the breaker may open.'),
  resetTimeoutMs: ms
    .default(5_000)
    .describe('How long the breaker stays open before a half-open probe.'),
  rollingCountTimeoutMs: ms.default(10_000).describe('Length of the rolling window.'),
  slowFirstTokenMs: ms
    .optional()
    .describe(
      'A first token slower than this counts as a failure for the breaker even when it arrives, so a latency brownout opens the breaker like an outage does.',
    ),
});

const retry = z.strictObject({
  retries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe('Retries of a retryable failure before the first byte, then the next target.'),
  minTimeoutMs: ms.default(50).describe('First backoff (jittered).'),
  maxTimeoutMs: ms.default(1_000).describe('Longest backoff; a longer retry-after means failover.'),
  firstAttemptTtftShare: z
    .number()
    .min(0.1)
    .max(1)
    .default(1)
    .describe(
      'Share of the TTFT budget the first attempt may wait when a fallback exists; the rest is left for the fallback, so a slow primary costs no budget breach.',
    ),
});

const weight = z.number().min(-1).max(1);
const weights = z.strictObject(
  Object.fromEntries(FEATURE_NAMES.map((name) => [name, weight.optional()])) as Record<
    (typeof FEATURE_NAMES)[number],
    z.ZodOptional<typeof weight>
  >,
);

const classification = z.strictObject({
  regionalThreshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('A complexity score at or above this goes regional.'),
  largeThreshold: z
    .number()
    .min(0)
    .max(1)
    .default(0.3)
    .describe(
      'With a `use: large` edge model: a score at or above this (and below `regionalThreshold`) is medium complexity, served by the large edge model.',
    ),
  mediumContextTokens: z
    .number()
    .int()
    .positive()
    .default(4_000)
    .describe('Estimated prompt tokens at which the context tier becomes medium, then long.'),
  longContextTokens: z
    .number()
    .int()
    .positive()
    .default(32_000)
    .describe('Estimated prompt tokens at which the context tier becomes long.'),
  weights: weights
    .default({})
    .describe("Per-feature weights in [-1, 1]; missing ones take the classifier's defaults."),
});

const affinity = z.strictObject({
  stickyTurns: z
    .number()
    .int()
    .min(0)
    .default(5)
    .describe('Turns a session escalated to regional stays there.'),
});

const prefix = z.strictObject({
  headTurns: z
    .number()
    .int()
    .min(0)
    .default(1)
    .describe('Leading non-system turns counted as the stable head.'),
  minTokens: z
    .number()
    .int()
    .min(0)
    .default(1_024)
    .describe('Below this many estimated tokens no cache hint is sent.'),
});

const risk = z.strictObject({
  sideEffectTools: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'Tool names (globs with `*`) that change the world: their presence makes the risk high.',
    ),
  sensitiveClasses: z
    .array(id)
    .default([])
    .describe('Tenant classes whose requests are at least medium risk.'),
  degradeToEdge: z
    .array(z.enum(RISK_TIERS))
    .default(['low'])
    .describe('Risk tiers that may be degraded to the edge tier when regional is down.'),
  escalate: z
    .array(z.enum(RISK_TIERS))
    .default(['high'])
    .describe('Risk tiers always served by the regional tier (when the tenant may use it).'),
});

const state = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('memory') }),
    z.strictObject({
      kind: z.literal('redis'),
      url: z
        .url({ protocol: /^rediss?$/ })
        .refine((url) => new URL(url).password === '', {
          message: 'put the password in the environment variable named by passwordEnv',
        })
        .describe('redis://host:port[/db] (rediss:// for TLS) of any Redis-protocol server.'),
      passwordEnv: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]*$/, 'name an environment variable, e.g. REDIS_PASSWORD')
        .optional()
        .describe('Environment variable holding the Redis password: secrets never live here.'),
      timeoutMs: z
        .number()
        .int()
        .positive()
        .max(5_000)
        .default(50)
        .describe(
          'Deadline of every Redis call; past it the call counts as failed and the policy of its concern applies (infra/DEPLOYING.md).',
        ),
      keyPrefix: z
        .string()
        .default('switchback:')
        .describe('Prefix of every key, so deployments can share one server.'),
      breakers: z
        .enum(['local', 'shared'])
        .default('local')
        .describe(
          'local (default): each replica opens its breakers from its own traffic, as Envoy outlier detection ejects hosts per proxy. shared: a breaker that opens on one replica opens on every replica for its reset timeout (each then probes on its own).',
        ),
    }),
  ])
  .describe(
    'Where regional keeps quotas, idempotency records, sessions, nonces and the audit head: this process (one replica) or Redis (many). Read at start; a reload does not move it.',
  );

const responses = z
  .strictObject({
    ttlSeconds: z
      .number()
      .int()
      .positive()
      .default(2_592_000)
      .describe('How long a stored response (`store`, the default) can be read or continued.'),
  })
  .describe(
    'The Responses API (`/v1/responses`): stored responses, per tenant, for `previous_response_id` and `GET /v1/responses/{id}` (a Durable Object at the edge, the state store at regional).',
  );

const limits = z.strictObject({
  maxBodyBytes: z.number().int().positive().default(1_048_576).describe('Larger bodies get 413.'),
  maxMessages: z.number().int().positive().default(512).describe('More messages get 400.'),
  unknownWorkflow: z
    .enum(['default', 'reject'])
    .default('default')
    .describe(
      'An `x-workflow` the config does not name: `default` counts it as no workflow (quotas, budgets, metric labels), `reject` refuses it with 400.',
    ),
});

const pii = z.strictObject({
  redactPrompts: z
    .boolean()
    .default(true)
    .describe(
      'Redact PII from every prompt before a provider sees it, at whichever door the request came in (the edge, or regional as the front door).',
    ),
  kinds: z
    .array(z.enum(BUILTIN_PII))
    .default([...BUILTIN_PII])
    .describe(
      'Built-in kinds redacted from prompts, each replaced by `[redacted:<kind>]`. `phone` takes any run of 10 to 15 digits (a Unix time in milliseconds too); leave it out if prompts carry such numbers.',
    ),
  custom: z
    .array(
      z.strictObject({
        name: id.describe('Names the placeholder: `[redacted:<name>]`.'),
        pattern: z
          .string()
          .min(1)
          .refine((pattern) => {
            try {
              new RegExp(pattern, 'g');
              return true;
            } catch {
              return false;
            }
          }, 'must be a valid regular expression')
          .describe('A JavaScript regular expression; every match is redacted.'),
        flags: z
          .string()
          .regex(/^[imsu]*$/, 'use only the flags i, m, s and u')
          .optional()
          .describe('Regular expression flags (`g` is implied).'),
      }),
    )
    .default([])
    .describe("The operator's own patterns, redacted from prompts after the built-in kinds."),
});

const compactionSpec = z
  .strictObject({
    everyTurns: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('A new checkpoint every this many turns past the last one.'),
    aboveTokens: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('A new checkpoint once the prompt sent upstream is above this many tokens.'),
    keepTurns: z
      .number()
      .int()
      .min(1)
      .default(4)
      .describe('The last turns always sent whole (the current one among them).'),
    summarizer: id.describe('Id of the edge model that writes the summaries.'),
    summaryMaxTokens: z
      .number()
      .int()
      .positive()
      .default(512)
      .describe("The summary's length limit."),
  })
  .refine((spec) => spec.everyTurns !== undefined || spec.aboveTokens !== undefined, {
    message: 'set everyTurns, aboveTokens or both: when to make a checkpoint',
  });

const compaction = z.strictObject({
  auto: compactionSpec
    .optional()
    .describe(
      'What a request that sends `x-switchback-compaction: auto` gets when its workflow has no compaction of its own.',
    ),
  workflows: z
    .record(id, compactionSpec)
    .default({})
    .describe('Workflows (`x-workflow`) whose sessions are always checkpointed.'),
});

const rollout = z.strictObject({
  candidate: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .describe(
      'The candidate config: a path (relative to this file) or the config inline; validated in full when loaded.',
    ),
  percent: z
    .number()
    .min(0)
    .max(100)
    .describe('Share of traffic (stable per session, else per request id) the candidate decides.'),
  gate: z
    .strictObject({
      windowMs: ms
        .default(600_000)
        .describe('How long the candidate must hold before it is promoted.'),
      minRequests: z
        .number()
        .int()
        .positive()
        .default(100)
        .describe('Requests each side needs in the window before the gate decides anything.'),
      maxBurnRate: z
        .number()
        .positive()
        .default(6)
        .describe(
          "Rollback when the candidate's availability burn rate (transient and budget errors over the 0.1 % budget) is above this and above the stable config's.",
        ),
      maxTtftP95Ratio: z
        .number()
        .min(1)
        .default(1.5)
        .describe("Rollback when the candidate's TTFT p95 is above this multiple of the stable's."),
      maxCostPerSuccessRatio: z
        .number()
        .min(1)
        .default(1.25)
        .describe(
          "Rollback when the candidate's cost per successful request is above this multiple of the stable's.",
        ),
    })
    .optional()
    .describe(
      'The rollout gate: regional compares candidate and stable over the window, rolls the candidate back as soon as a threshold is crossed and promotes it when the window ends without one; each decision is an audit event with its figures. Absent: the canary runs until the config changes.',
    ),
});

/** The whole of `router.config.yaml`. */
export const routerConfigSchema = z
  .strictObject({
    version: z
      .string()
      .min(1)
      .describe('Free-form version string, reported by `/healthz` and in audit events.'),
    tenants: z.array(tenant).min(1).describe('Who may call the router, with what.'),
    operators: z
      .array(apiKey)
      .default([])
      .describe(
        'Operator credentials (stored hashed), separate from tenant keys: they approve held tool calls and are named in `approval` and `override` audit events.',
      ),
    providers: z
      .array(provider)
      .min(1)
      .describe('Upstream APIs; credentials come from the environment.'),
    models: z.array(model).min(1).describe('Models on the providers, with window and prices.'),
    routes: z
      .strictObject({ edge: edgeRoute, regional: route })
      .describe('Primary and fallback chain of each tier.'),
    aliases: z
      .record(z.string().min(1), z.union([z.enum(TIERS), id]))
      .default({})
      .describe('Names clients may send as `model`, each pinned to a route tier or a model id.'),
    classification: classification.default(classification.parse({})),
    budgets: z
      .strictObject({
        default: budget,
        workflows: z.record(id, budget).default({}).describe('Budgets per `x-workflow` value.'),
      })
      .describe('The three budgets (TTFT, end-to-end, policy), tracked apart.'),
    quotas: z
      .record(id, quota)
      .default({})
      .describe('Quotas per tenant class, each split into request classes.'),
    breaker: breaker.default(breaker.parse({})),
    retry: retry.default(retry.parse({})),
    affinity: affinity.default(affinity.parse({})),
    prefix: prefix.default(prefix.parse({})),
    risk: risk.default(risk.parse({})),
    limits: limits.default(limits.parse({})),
    responses: responses.default(responses.parse({})),
    state: state.default({ kind: 'memory' }),
    pii: pii.default(pii.parse({})).describe('PII redaction of prompts before providers.'),
    compaction: compaction
      .optional()
      .describe(
        'Checkpoint summaries of long sessions: upstream gets [system, summary, last turns] while the client keeps sending the whole history. Opt-in per workflow or per request.',
      ),
    rollout: rollout
      .optional()
      .describe('Canary: a share of traffic decided by a candidate config, labelled in metrics.'),
  })
  .superRefine(crossCheckConfig);

export type RouterConfig = z.infer<typeof routerConfigSchema>;
export type RouterConfigInput = z.input<typeof routerConfigSchema>;
export type TenantConfig = RouterConfig['tenants'][number];
export type ApiKeyConfig = TenantConfig['keys'][number];
export type SideEffectStage = NonNullable<TenantConfig['sideEffects']>;
export type ProviderConfig = RouterConfig['providers'][number];
export type ModelConfig = RouterConfig['models'][number];
export type BudgetConfig = RouterConfig['budgets']['default'];
export type BreakerConfig = RouterConfig['breaker'];
export type RetryConfig = RouterConfig['retry'];
export type ClassificationConfig = RouterConfig['classification'];
export type RiskConfig = RouterConfig['risk'];
export type QuotaConfig = RouterConfig['quotas'][string];
export type QuotaLimitConfig = QuotaConfig['default'];
export type PiiConfig = RouterConfig['pii'];
export type RolloutConfig = NonNullable<RouterConfig['rollout']>;
export type StateConfig = RouterConfig['state'];
export type ResponsesConfig = RouterConfig['responses'];
export type CompactionSpec = z.infer<typeof compactionSpec>;
export type EdgeRouteEntry = RouterConfig['routes']['edge']['models'][number];
