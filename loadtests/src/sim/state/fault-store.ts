import type { Target } from '../targets.ts';
import type { FaultSpec } from './fault-spec.ts';

export interface Fault extends FaultSpec {
  id: string;
  /** Hits left; absent when unlimited. */
  remaining?: number;
  /** Requests this fault was applied to so far. */
  applied: number;
}

export class FaultStore {
  #faults: Fault[] = [];
  #nextId = 1;
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  add(spec: FaultSpec): Fault {
    const fault: Fault = { id: `fault_${this.#nextId++}`, ...spec, applied: 0 };
    if (spec.count !== undefined) fault.remaining = spec.count;
    this.#faults.push(fault);
    return fault;
  }

  /** The first fault that matches and wins its dice roll; spends one of its hits. */
  take(target: Target, model: string): Fault | undefined {
    for (const fault of this.#faults) {
      if (fault.target !== target) continue;
      if (fault.model !== undefined && fault.model !== model) continue;
      if (fault.remaining === 0) continue;
      const probability = fault.probability ?? 1;
      if (probability < 1 && !(this.#random() < probability)) continue;
      if (fault.remaining !== undefined) fault.remaining--;
      fault.applied++;
      return fault;
    }
    return undefined;
  }

  list(): Fault[] {
    return this.#faults.map((fault) => ({ ...fault }));
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((fault) => fault.id !== id);
    return this.#faults.length !== before;
  }

  clear(): void {
    this.#faults = [];
  }
}
