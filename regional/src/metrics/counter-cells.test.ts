import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { counterCells } from './counter-cells.ts';

const config = (registry: Registry) => ({
  name: 'demo_total',
  help: 'A demo counter.',
  labelNames: ['tier', 'model'] as const,
  registers: [registry],
});

describe('counterCells: a counter added to by label values', () => {
  it('reads as the prom-client counter fed the same incs', async () => {
    const cellsRegistry = new Registry();
    const plainRegistry = new Registry();
    const cells = counterCells(config(cellsRegistry));
    const plain = new Counter(config(plainRegistry));
    const incs: [string, string, number | undefined][] = [
      ['edge', 'a', undefined],
      ['edge', 'a', 2.5],
      ['regional', 'a', 0],
      ['edge', 'b', 1],
      ['edge', 'a', undefined],
    ];
    for (const [tier, model, value] of incs) {
      cells.at(tier, model).inc(value);
      plain.inc({ tier, model }, value);
    }
    const text = await cellsRegistry.metrics();
    expect(text).toBe(await plainRegistry.metrics());
    expect(text).toContain('demo_total{tier="edge",model="a"} 4.5');
    // Read twice: the values are not counted again.
    expect(await cellsRegistry.metrics()).toBe(text);
  });

  it('refuses what prom-client refuses', () => {
    const cells = counterCells(config(new Registry()));
    expect(() => cells.at('edge', 'a').inc(-1)).toThrow('It is not possible to decrease a counter');
    expect(() => cells.at('edge', 'a').inc(Number.POSITIVE_INFINITY)).toThrow(
      'Value is not a valid number: Infinity',
    );
  });
});
