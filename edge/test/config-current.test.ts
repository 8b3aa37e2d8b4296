import { describe, expect, it } from 'vitest';
import yamlText from '../../router.config.yaml?raw';
import { compileRouterConfig } from '../src/config/compile.ts';
import generatedText from '../src/config/router-config.generated.json?raw';

describe('the compiled config', () => {
  it('is current with router.config.yaml (else run: node edge/scripts/compile-config.ts)', () => {
    expect(generatedText).toBe(compileRouterConfig(yamlText));
  });
});
