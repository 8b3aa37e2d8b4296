import { describe, expect, it } from 'vitest';
import { parseRunnerArgs } from './args.ts';

describe('the load-test runner command line', () => {
  it('takes a scenario with duration and rate', () => {
    expect(parseRunnerArgs(['outage', '--duration', '2m', '--rate', '30'])).toEqual({
      scenario: 'outage',
      rate: 30,
      durationS: 120,
      url: undefined,
      providersUrl: undefined,
      regionalUrl: undefined,
      configPath: 'router.config.yaml',
      outDir: undefined,
    });
  });

  it.each([
    [[], /no scenario given/],
    [['stampede'], /unknown scenario "stampede"/],
    [['steady', '--rate', '0'], /--rate 0: a whole number/],
    [['steady', '--duration', 'ten'], /--duration ten: use seconds or minutes/],
    [['steady', '--url', 'http://10.0.0.5:8787'], /only ever sent to this machine/],
  ])('refuses %j with a message that says what to fix', (argv, message) => {
    expect(() => parseRunnerArgs(argv)).toThrow(message);
  });

  it('accepts a loopback target', () => {
    expect(parseRunnerArgs(['steady', '--url', 'http://127.0.0.1:9000/']).url).toBe(
      'http://127.0.0.1:9000',
    );
  });
});
