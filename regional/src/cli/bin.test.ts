import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, type CliRun, REPO_ROOT } from './run-cli.ts';

// A Node that cannot strip types (the machine's Node 20, or Node 22 before 22.18) is stood in
// for by this Node with stripping turned off: it fails to load the sources the same way.
const runWithoutStripping = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--no-experimental-strip-types', BIN, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('the switchback bin on a Node too old for TypeScript sources', () => {
  it("runs itself again on the repo's own Node and validates the config", async () => {
    const result = await runWithoutStripping(['validate', 'router.config.yaml']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^OK router\.config\.yaml: version /);
    expect(result.code).toBe(0);
  });

  it('passes the exit code through: a missing file exits 1 with its message', async () => {
    const result = await runWithoutStripping(['validate', 'no-such-config.yaml']);
    expect(result.stderr).toContain('cannot read no-such-config.yaml');
    expect(result.code).toBe(1);
  });

  it('says in one line which Node it needs when it cannot run itself again', async () => {
    const result = await runWithoutStripping(['validate', 'router.config.yaml'], {
      SWITCHBACK_RERUN_FROM: '20.0.0',
    });
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([
      `switchback needs Node >= 22.18 (this is ${process.version}): run it as \`npx switchback …\` in the repo, which uses the Node 24 it installs, or with node_modules/.bin/node.`,
    ]);
    expect(result.code).toBe(1);
  });
});
