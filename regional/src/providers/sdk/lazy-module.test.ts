import { describe, expect, it } from 'vitest';
import { lazyModule } from './lazy-module.ts';

describe('lazyModule', () => {
  it('imports nothing until asked, then once, and keeps what it got', async () => {
    let imports = 0;
    const module = lazyModule(async () => {
      imports++;
      return { answer: 42 };
    });
    expect(imports).toBe(0);
    expect(module.loaded()).toBeUndefined();
    const [a, b] = await Promise.all([module.load(), module.load()]);
    expect(imports).toBe(1);
    expect(a).toBe(b);
    expect(module.loaded()).toEqual({ answer: 42 });
  });

  it('passes an import failure to every caller', async () => {
    const module = lazyModule(() => Promise.reject(new Error('no such module')));
    await expect(module.load()).rejects.toThrow('no such module');
    expect(module.loaded()).toBeUndefined();
  });
});
