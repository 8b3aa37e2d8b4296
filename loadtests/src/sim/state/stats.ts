import { TARGETS, type Target } from '../targets.ts';

/**
 * Every accepted call ends as exactly one of: completed (the response was sent in full, injected
 * error responses included), clientAborted (the client went away first) or a server-side reset
 * (a `reset_mid_stream` fault; visible only in `faulted`).
 */
export interface ModelStats {
  calls: number;
  inFlight: number;
  completed: number;
  clientAborted: number;
  faulted: number;
}

export type StatsSnapshot = { targets: Record<Target, Record<string, ModelStats>> };

export class Stats {
  #targets = new Map<Target, Map<string, ModelStats>>();

  /** The live counters of one target and model, created on first use. */
  counters(target: Target, model: string): ModelStats {
    let models = this.#targets.get(target);
    if (!models) {
      models = new Map();
      this.#targets.set(target, models);
    }
    let counters = models.get(model);
    if (!counters) {
      counters = { calls: 0, inFlight: 0, completed: 0, clientAborted: 0, faulted: 0 };
      models.set(model, counters);
    }
    return counters;
  }

  snapshot(): StatsSnapshot {
    const targets = {} as Record<Target, Record<string, ModelStats>>;
    for (const target of TARGETS) {
      const models: Record<string, ModelStats> = {};
      for (const [model, counters] of this.#targets.get(target) ?? [])
        models[model] = { ...counters };
      targets[target] = models;
    }
    return { targets };
  }

  clear(): void {
    this.#targets.clear();
  }
}
