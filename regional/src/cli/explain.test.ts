import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { main } from './main.ts';
import { REPO_ROOT, runCli } from './run-cli.ts';

const request = (content: string, extra: object = {}) =>
  JSON.stringify({ model: 'auto', messages: [{ role: 'user', content }], ...extra });

/** Runs the CLI in-process with captured output (fast); the child-process test covers the bin. */
const run = async (args: string[], stdin = '') => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readStdin: async () => stdin,
    readFile: async (path) => {
      const { readFile } = await import('node:fs/promises');
      return readFile(new URL(path, `file://${REPO_ROOT}`), 'utf8');
    },
  };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('switchback explain', () => {
  it('prints where a request on stdin goes and why, as JSON (child process)', {
    timeout: 20_000,
  }, async () => {
    const result = await runCli(
      ['explain', '--config', 'router.config.yaml'],
      request('hi there!'),
    );
    expect(result.code).toBe(0);
    const explanation = JSON.parse(result.stdout);
    expect(explanation).toMatchObject({
      tenant: 'demo',
      tier: 'edge',
      provider: 'workers-ai',
      model: 'glm-flash',
      fallbacks: [
        { provider: 'workers-ai', model: 'llama-fast' },
        { provider: 'workers-ai', model: 'kimi' },
      ],
      reasons: ['simple_prompt'],
      rung: 'fast',
      risk: 'low',
      context: 'short',
    });
    expect(Object.keys(explanation)).toEqual(
      expect.arrayContaining(['score', 'contributions', 'estimatedTokens', 'threshold']),
    );
  });

  it('uses the named tenant and its policy', async () => {
    const result = await run(
      ['explain', '--config', 'router.config.yaml', '--tenant', 'acme'],
      request('hi', { model: 'claude' }),
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toEqual({
      status: 403,
      error: {
        message: 'The model "claude" is not allowed for this API key. Allowed: auto, fast, smart.',
        type: 'invalid_request_error',
        param: 'model',
        code: 'policy_denied',
      },
    });
  });

  it('shows the degrade policy with --regional-down', async () => {
    const content =
      'A train leaves at 9:40 and travels 210 km at 84 km/h, then waits 25 minutes and travels 96 km at 64 km/h. At what time does it arrive?';
    const result = await run(
      ['explain', '--config', 'router.config.yaml', '--regional-down'],
      request(content),
    );
    expect(result.code).toBe(0);
    const explanation = JSON.parse(result.out);
    expect(explanation.tier).toBe('edge');
    expect(explanation.reasons).toContain('regional_unavailable_degraded');
  });

  it('shows session stickiness with --sticky-turns', async () => {
    const result = await run(
      ['explain', '--config', 'router.config.yaml', '--sticky-turns', '2'],
      request('thanks!'),
    );
    expect(JSON.parse(result.out)).toMatchObject({ tier: 'regional', reasons: ['sticky_session'] });
  });

  it.each([
    {
      name: 'an unknown tenant',
      args: ['--tenant', 'nobody'],
      stdin: request('hi'),
      code: 1,
      err: 'no tenant "nobody" in router.config.yaml: use one of demo, acme',
    },
    {
      name: 'stdin that is not JSON',
      args: [],
      stdin: 'hello',
      code: 1,
      err: /^stdin is not a JSON request body: /,
    },
    {
      name: 'a request without messages',
      args: [],
      stdin: '{"model":"auto"}',
      code: 1,
      err: 'stdin is not a valid chat completion request:\nmessages: Invalid input: expected array, received undefined',
    },
    {
      name: 'an unknown option',
      args: ['--verbose'],
      stdin: request('hi'),
      code: 2,
      err: /Unknown option '--verbose'/,
    },
  ])('refuses $name', async ({ args, stdin, code, err }) => {
    const result = await run(['explain', '--config', 'router.config.yaml', ...args], stdin);
    expect(result.code).toBe(code);
    if (typeof err === 'string') expect(result.err).toBe(err);
    else expect(result.err).toMatch(err);
  });

  it('refuses to run without --config', async () => {
    expect((await run(['explain'], request('hi'))).code).toBe(2);
  });
});

describe('switchback', () => {
  it('prints help for help, and for nothing', async () => {
    const help = await run(['help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('switchback validate <config-file>');
    expect((await run([])).out).toBe(help.out);
  });

  it('rejects an unknown command with exit 2', async () => {
    const result = await run(['deploy']);
    expect(result.code).toBe(2);
    expect(result.err.split('\n')[0]).toBe('unknown command "deploy"');
  });
});
