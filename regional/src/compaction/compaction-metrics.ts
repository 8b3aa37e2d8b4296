import type { CompactionOutcome, ModelConfig } from '@switchback/router-core';
import { Counter, type Registry } from 'prom-client';

export type CompactionMetrics = {
  /** One opted-in request's compaction, priced at the model that served it. */
  record(
    workflow: string,
    outcome: CompactionOutcome,
    price: ModelConfig['price'] | undefined,
  ): void;
};

const create = (registry: Registry): CompactionMetrics => {
  const labelNames = ['workflow'] as const;
  const checkpoints = new Counter({
    name: 'router_compaction_checkpoints_total',
    help: 'Checkpoint summaries made, by workflow.',
    labelNames,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'router_compaction_failures_total',
    help: 'Checkpoints that could not be made or stored (the request went on, whole or with the previous checkpoint).',
    labelNames,
    registers: [registry],
  });
  const savedTokens = new Counter({
    name: 'router_compaction_saved_tokens_total',
    help: 'Estimated prompt tokens the checkpoint summaries kept from going upstream.',
    labelNames,
    registers: [registry],
  });
  const savedUsd = new Counter({
    name: 'router_compaction_saved_usd_total',
    help: 'Those tokens at the input price of the model that served the request.',
    labelNames,
    registers: [registry],
  });
  return {
    record(workflow, outcome, price) {
      if (outcome.kind === 'off') return;
      const labels = { workflow };
      if (outcome.made !== undefined) checkpoints.inc(labels);
      if (outcome.failure !== undefined) failures.inc(labels);
      if (outcome.kind === 'applied') {
        savedTokens.inc(labels, outcome.savedTokens);
        if (price !== undefined) {
          savedUsd.inc(labels, (outcome.savedTokens * price.inputPerMillion) / 1e6);
        }
      }
    },
  };
};

// Beside the router's own series, in the same registry: one set per registry.
const byRegistry = new WeakMap<Registry, CompactionMetrics>();

/** The compaction series of a registry (created with it on first use). */
export const compactionMetricsOf = (registry: Registry): CompactionMetrics => {
  let metrics = byRegistry.get(registry);
  if (metrics === undefined) {
    metrics = create(registry);
    byRegistry.set(registry, metrics);
  }
  return metrics;
};
