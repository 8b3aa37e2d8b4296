import { format } from 'node:util';
import { Counter, type Registry } from 'prom-client';

/** One label set's value of a counter. */
export type CounterCell = {
  /** Adds to the cell, as prom-client's `inc(labels, value)` does (1 when `value` is left out). */
  inc(value?: number): void;
};

type Cell = CounterCell & { value: number; readonly labels: Record<string, string> };
type Node = Map<string, Node | Cell>;

/** Label values by position, up to four (no router counter has more); no array per call. */
type At = (a: string, b?: string, c?: string, d?: string) => CounterCell;

const nth = (i: number, a: string, b?: string, c?: string, d?: string): string =>
  (i === 0 ? a : i === 1 ? b : i === 2 ? c : d) ?? '';

/**
 * A prom-client counter whose values a request adds to without building a label hash: each label
 * set's cell is found through nested maps of its values (nothing allocated once it exists), and
 * the counter takes the cells' values when it is read (`collect`, at a scrape). prom-client's
 * `inc(labels)` sorts, joins and validates the labels on every call, and a child from
 * `labels()` does the same. The values and their checks are prom-client's: a negative or
 * infinite value throws as `inc` does.
 */
export const counterCells = <Name extends string>(config: {
  name: string;
  help: string;
  labelNames: readonly Name[];
  registers: Registry[];
}) => {
  const root: Node = new Map();
  const cells: Cell[] = [];
  const { labelNames } = config;
  new Counter({
    ...config,
    collect() {
      this.reset();
      for (const cell of cells) this.inc(cell.labels as Partial<Record<Name, string>>, cell.value);
    },
  });
  if (labelNames.length === 0 || labelNames.length > 4) {
    throw new Error(`${config.name}: counterCells takes one to four labels`);
  }
  const create = (labels: Record<string, string>): Cell => {
    const cell: Cell = {
      value: 0,
      labels,
      inc(value = 1) {
        if (value && !Number.isFinite(value)) {
          throw new TypeError(`Value is not a valid number: ${format(value)}`);
        }
        if (value < 0) throw new Error('It is not possible to decrease a counter');
        cell.value += value;
      },
    };
    cells.push(cell);
    return cell;
  };
  return {
    /** The cell of these label values (in `labelNames`' order). */
    at: ((a, b, c, d) => {
      let node = root;
      const last = labelNames.length - 1;
      for (let i = 0; i < last; i++) {
        const key = nth(i, a, b, c, d);
        let next = node.get(key) as Node | undefined;
        if (next === undefined) {
          next = new Map();
          node.set(key, next);
        }
        node = next;
      }
      const key = nth(last, a, b, c, d);
      let cell = node.get(key) as Cell | undefined;
      if (cell === undefined) {
        const labels: Record<string, string> = {};
        labelNames.forEach((name, i) => {
          labels[name] = nth(i, a, b, c, d);
        });
        cell = create(labels);
        node.set(key, cell);
      }
      return cell;
    }) as At,
  };
};
