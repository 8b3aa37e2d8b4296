import type { z } from 'zod';
import { configuredWorkflows, ROUTED_CLASSES } from '../quota/request-classes.ts';
import { entryModel, type RouteEntry } from './route-entries.ts';

type Tier = 'edge' | 'regional';
type Budget = { ttftMs: number; totalMs: number; policyMs: number };

/** The parts of a parsed config the cross-checks read (structural, to avoid a type cycle). */
type CheckedConfig = {
  tenants: {
    id: string;
    class: string;
    keys: { id: string; sha256: string }[];
    allowedModels: string[];
    tools: Record<string, string[]>;
  }[];
  providers: { id: string; kind: string; responsesApi?: string | undefined }[];
  models: { id: string; provider: string; name: string }[];
  routes: Record<Tier, { models: RouteEntry[] }>;
  aliases: Record<string, string>;
  classification: {
    mediumContextTokens: number;
    longContextTokens: number;
    regionalThreshold: number;
    largeThreshold: number;
  };
  budgets: { default: Budget; workflows: Record<string, Budget> };
  quotas: Record<string, { classes: Record<string, unknown> }>;
  retry: { minTimeoutMs: number; maxTimeoutMs: number };
  compaction?: {
    auto?: { summarizer: string } | undefined;
    workflows: Record<string, { summarizer: string }>;
  };
};

/** Compaction names configured workflows, and summarizers that are edge models (Workers AI). */
const checkCompaction = (config: CheckedConfig, ctx: z.RefinementCtx): void => {
  const { compaction } = config;
  if (compaction === undefined) return;
  const kinds = new Map(config.providers.map((p) => [p.id, p.kind]));
  const edgeModels = config.models
    .filter((m) => kinds.get(m.provider) === 'workers-ai')
    .map((m) => m.id);
  const summarizer = (name: string, path: Path): void => {
    if (!edgeModels.includes(name)) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `"${name}" is not a model on a workers-ai provider: summaries are written by an edge model (${list(edgeModels)})`,
      });
    }
  };
  if (compaction.auto !== undefined) {
    summarizer(compaction.auto.summarizer, ['compaction', 'auto', 'summarizer']);
  }
  const workflows = configuredWorkflows(config);
  for (const [workflow, spec] of Object.entries(compaction.workflows)) {
    if (!workflows.has(workflow)) {
      ctx.addIssue({
        code: 'custom',
        path: ['compaction', 'workflows', workflow],
        message: `"${workflow}" is not a configured workflow (${workflows.size === 0 ? 'none under budgets.workflows or tenants[].tools' : list(workflows)})`,
      });
    }
    summarizer(spec.summarizer, ['compaction', 'workflows', workflow, 'summarizer']);
  }
};

type Path = (string | number)[];

const list = (names: Iterable<string>): string => [...names].join(', ');

/** Reports each id that appears more than once in `items`, at its second appearance. */
const checkUnique = (
  ctx: z.RefinementCtx,
  items: readonly { id: string }[],
  at: (index: number) => Path,
  what: string,
): Set<string> => {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [...at(index), 'id'],
        message: `duplicate ${what} id "${item.id}": give each ${what} its own id`,
      });
    }
    seen.add(item.id);
  });
  return seen;
};

const checkBudget = (ctx: z.RefinementCtx, budget: Budget, path: Path): void => {
  if (budget.ttftMs > budget.totalMs) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'ttftMs'],
      message: `${budget.ttftMs} ms is longer than totalMs (${budget.totalMs} ms): the first token must be due before the end-to-end deadline`,
    });
  }
  if (budget.policyMs >= budget.totalMs) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'policyMs'],
      message: `must be below totalMs (${budget.totalMs} ms)`,
    });
  }
};

/** Quota classes name what the config defines: a configured workflow, `long-context`, `regional`. */
const checkQuotaClasses = (config: CheckedConfig, ctx: z.RefinementCtx): void => {
  const workflows = configuredWorkflows(config);
  const routed: readonly string[] = ROUTED_CLASSES;
  for (const workflow of workflows) {
    if (routed.includes(workflow)) {
      ctx.addIssue({
        code: 'custom',
        path: ['budgets', 'workflows', workflow],
        message: `"${workflow}" is a quota request class of its own (${list(routed)}): name the workflow otherwise`,
      });
    }
  }
  for (const [tenantClass, quota] of Object.entries(config.quotas)) {
    for (const name of Object.keys(quota.classes)) {
      if (workflows.has(name) || routed.includes(name)) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['quotas', tenantClass, 'classes', name],
        message: `"${name}" is not a configured workflow (${workflows.size === 0 ? 'none under budgets.workflows or tenants[].tools' : list(workflows)}) nor ${list(routed)}: configure the workflow or drop the class`,
      });
    }
  }
};

/** Checks that need the whole config: references between sections, duplicates, orderings. */
export const crossCheckConfig = (config: CheckedConfig, ctx: z.RefinementCtx): void => {
  const providers = checkUnique(ctx, config.providers, (i) => ['providers', i], 'provider');
  const models = checkUnique(ctx, config.models, (i) => ['models', i], 'model');
  checkUnique(ctx, config.tenants, (i) => ['tenants', i], 'tenant');

  config.providers.forEach((p, i) => {
    if (p.responsesApi !== undefined && p.kind !== 'openai') {
      ctx.addIssue({
        code: 'custom',
        path: ['providers', i, 'responsesApi'],
        message: `responsesApi is for kind openai (OpenAI's own endpoints); "${p.id}" is ${p.kind}: drop it`,
      });
    }
  });

  config.models.forEach((m, i) => {
    if (!providers.has(m.provider)) {
      ctx.addIssue({
        code: 'custom',
        path: ['models', i, 'provider'],
        message: `provider "${m.provider}" is not declared under providers: use one of ${list(providers)}`,
      });
    }
  });

  for (const tier of ['edge', 'regional'] as const) {
    const seen = new Set<string>();
    config.routes[tier].models.forEach((entry, i) => {
      const m = entryModel(entry);
      if (!models.has(m)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', tier, 'models', i],
          message: `model "${m}" is not declared under models: use one of ${list(models)}`,
        });
      } else if (seen.has(m)) {
        ctx.addIssue({
          code: 'custom',
          path: ['routes', tier, 'models', i],
          message: `model "${m}" is listed twice: a fallback chain names each model once`,
        });
      }
      seen.add(m);
    });
  }

  const aliases = new Set(Object.keys(config.aliases));
  for (const [alias, target] of Object.entries(config.aliases)) {
    if (alias === 'auto') {
      ctx.addIssue({
        code: 'custom',
        path: ['aliases', alias],
        message: '"auto" is the router\'s own virtual model and cannot be an alias: rename it',
      });
    } else if (target !== 'edge' && target !== 'regional' && !models.has(target)) {
      ctx.addIssue({
        code: 'custom',
        path: ['aliases', alias],
        message: `"${target}" is neither a tier (edge, regional) nor a declared model (${list(models)})`,
      });
    } else if (models.has(alias) && alias !== target) {
      ctx.addIssue({
        code: 'custom',
        path: ['aliases', alias],
        message: `"${alias}" is also a model id: an alias may not hide a model, rename the alias`,
      });
    }
  }

  const keyHashes = new Map<string, string>();
  config.tenants.forEach((t, i) => {
    const keyIds = new Set<string>();
    t.keys.forEach((key, k) => {
      if (keyIds.has(key.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', i, 'keys', k, 'id'],
          message: `duplicate key id "${key.id}" in tenant "${t.id}": give each key its own id`,
        });
      }
      keyIds.add(key.id);
      const owner = keyHashes.get(key.sha256);
      if (owner !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', i, 'keys', k, 'sha256'],
          message: `the same key hash is already used by ${owner}: every API key must be unique`,
        });
      }
      keyHashes.set(key.sha256, `tenant "${t.id}" key "${key.id}"`);
    });

    t.allowedModels.forEach((name, m) => {
      if (name !== '*' && name !== 'auto' && !aliases.has(name) && !models.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', i, 'allowedModels', m],
          message: `"${name}" is not "*", "auto", an alias (${list(aliases)}) or a model id (${list(models)})`,
        });
      }
    });

    if (Object.keys(config.quotas).length > 0 && !(t.class in config.quotas)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tenants', i, 'class'],
        message: `tenant class "${t.class}" has no entry under quotas: add quotas.${t.class} or use one of ${list(Object.keys(config.quotas))}`,
      });
    }
  });

  checkQuotaClasses(config, ctx);
  checkCompaction(config, ctx);

  if (config.classification.mediumContextTokens >= config.classification.longContextTokens) {
    ctx.addIssue({
      code: 'custom',
      path: ['classification', 'mediumContextTokens'],
      message: `must be below classification.longContextTokens (${config.classification.longContextTokens})`,
    });
  }

  if (config.classification.largeThreshold > config.classification.regionalThreshold) {
    ctx.addIssue({
      code: 'custom',
      path: ['classification', 'largeThreshold'],
      message: `must not exceed classification.regionalThreshold (${config.classification.regionalThreshold}): medium complexity lies below hard`,
    });
  }

  checkBudget(ctx, config.budgets.default, ['budgets', 'default']);
  for (const [workflow, budget] of Object.entries(config.budgets.workflows)) {
    checkBudget(ctx, budget, ['budgets', 'workflows', workflow]);
  }

  if (config.retry.minTimeoutMs > config.retry.maxTimeoutMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['retry', 'minTimeoutMs'],
      message: `must not exceed retry.maxTimeoutMs (${config.retry.maxTimeoutMs})`,
    });
  }
};
