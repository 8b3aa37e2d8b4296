import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Simulator, startSimulator } from '@switchback/loadtests/sim';
import { verifyAuditLog } from '@switchback/router-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegionalServer, startRegionalServer } from '../start-regional-server.ts';
import { eventually } from '../testing/harness.ts';
import { testConfig } from '../testing/test-config.ts';

// Canaries: each looks like a real secret of its kind and appears nowhere else.
const CLIENT_KEY = 'sk-canary-client-9d1e44b7c2aa';
const WRONG_KEY = 'sk-canary-wrong-51f0c9e8aa13';
const HMAC_SECRET = 'canary-hmac-7c6b1f2e9a0d';
const AUDIT_SECRET = 'canary-audit-3e8f0a6d2b91';
const PROVIDER_KEY = 'sk-canary-provider-0b7d5c3f1e2a';
const CANARIES = [CLIENT_KEY, WRONG_KEY, HMAC_SECRET, AUDIT_SECRET, PROVIDER_KEY];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let sim: Simulator;
let server: RegionalServer;
let dir: string;
let auditFile: string;
const logLines: string[] = [];
const seen: string[] = [];

const call = async (init: { key?: string; body: unknown; headers?: Record<string, string> }) => {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.key === undefined ? {} : { authorization: `Bearer ${init.key}` }),
      ...init.headers,
    },
    body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await response.text();
  seen.push(text, JSON.stringify([...response.headers]));
  return { status: response.status, text };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchback-audit-'));
  auditFile = join(dir, 'audit.jsonl');
  sim = await startSimulator({ port: 0 });
  const config = testConfig(sim.url, {
    tenants: [
      {
        id: 'canary',
        keys: [{ id: 'canary-key', sha256: sha256(CLIENT_KEY) }],
        tools: { default: ['get_weather'] },
      },
    ],
    budgets: { default: { ttftMs: 400, totalMs: 5000, policyMs: 50 } },
  });
  server = await startRegionalServer({
    config,
    port: 0,
    hmacSecret: HMAC_SECRET,
    env: {
      OPENAI_API_KEY: PROVIDER_KEY,
      SWITCHBACK_AUDIT_SECRET: AUDIT_SECRET,
      SWITCHBACK_AUDIT_FILE: auditFile,
    },
    log: (entry) => logLines.push(JSON.stringify(entry)),
  });
});

afterAll(async () => {
  await server?.close();
  await sim?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('audit events and secrets at the regional front door', () => {
  it('writes one signed, chained, PII-redacted event per chat request, and none leaks a secret', async () => {
    const ok = await call({
      key: CLIENT_KEY,
      body: {
        model: 'smart',
        messages: [
          { role: 'user', content: 'weather for jane@example.com?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'c1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"email":"jane@example.com"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: {} } }],
      },
    });
    expect(ok.status).toBe(200);
    const refusals = [
      await call({ key: WRONG_KEY, body: { model: 'smart', messages: [] } }),
      await call({ body: { model: 'smart', messages: [{ role: 'user', content: 'x' }] } }),
      await call({
        key: CLIENT_KEY,
        body: {
          model: 'smart',
          messages: [{ role: 'user', content: 'x' }],
          tools: [{ type: 'function', function: { name: 'rm_rf' } }],
        },
      }),
      await call({ key: CLIENT_KEY, body: '{"model": "smart", "messages": [' }),
      await call({
        key: CLIENT_KEY,
        body: { model: 'smart', messages: [{ role: 'user', content: 'x' }] },
        headers: { 'x-router-signature': HMAC_SECRET, 'x-switchback-tenant': 'other' },
      }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([401, 401, 403, 400, 200]);

    // Four chat requests got past auth (the two 401s never became chat requests).
    expect(await eventually(async () => (await auditLines()).length === 4, 2000)).toBe(true);
    const lines = await auditLines();
    expect(await verifyAuditLog(lines, AUDIT_SECRET)).toMatchObject({ ok: true, count: 4 });
    const first = JSON.parse(lines[0] ?? '{}') as { seq: number; event: Record<string, unknown> };
    expect(first.seq).toBe(1);
    expect(first.event).toMatchObject({
      type: 'request',
      tenant: 'canary',
      key_id: 'canary-key',
      provider: 'openai',
      model: 'gpt',
      model_version: 'gpt-4.1',
      status: 200,
      outcome: 'ok',
      decision: { tier: 'regional' },
      policy_trace: [
        { check: 'request_schema', result: 'pass' },
        { check: 'tool_allowlist', result: 'pass' },
        { check: 'pii_redaction', result: 'redact', detail: 'email' },
      ],
      tools: [
        { name: 'get_weather' },
        { name: 'get_weather', args_sha256: sha256('{"email":"jane@example.com"}') },
      ],
    });
    expect(JSON.parse(lines[1] ?? '{}').event).toMatchObject({
      status: 403,
      error: 'policy_denied',
      policy_trace: [
        { check: 'request_schema', result: 'pass' },
        { check: 'tool_allowlist', result: 'deny', detail: 'policy_denied' },
      ],
    });
    expect(lines.join('\n')).not.toContain('jane@example.com');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const everything = [...logLines, ...lines, metrics, ...seen].join('\n');
    for (const canary of CANARIES) expect(everything).not.toContain(canary);
    expect(logLines.length).toBeGreaterThan(0);
  });

  it('switchback audit verify accepts the file and names a tampered line', async () => {
    const { auditCommand } = await import('../cli/audit-verify.ts');
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (l: string) => void out.push(l),
      err: (l: string) => void err.push(l),
      readStdin: async () => '',
      readFile: (p: string) => readFile(p, 'utf8'),
    };
    const env = { AUDIT_KEY: AUDIT_SECRET };
    expect(await auditCommand(['verify', auditFile, '--secret-env', 'AUDIT_KEY'], io, env)).toBe(0);
    expect(out[0]).toMatch(/^OK .*audit\.jsonl: 4 events intact in 1 chain$/);
    expect(out[1]).toMatch(/^ {2}tenant canary: 4 events, seq 1-4, last hash [0-9a-f]{64}$/);

    const lines = await auditLines();
    const tampered = join(dir, 'tampered.jsonl');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(tampered, [lines[0], lines[2], lines[3]].join('\n'));
    expect(await auditCommand(['verify', tampered, '--secret-env', 'AUDIT_KEY'], io, env)).toBe(1);
    expect(err.at(-1)).toBe(
      `${tampered}: deleted: line 2: tenant canary: seq 2 is missing before seq 3; an event was deleted.`,
    );
    expect(await auditCommand(['verify', tampered], io, {})).toBe(2);
    expect(err.at(-1)).toBe(
      'switchback audit verify: SWITCHBACK_AUDIT_SECRET is not set; it must hold the audit secret.',
    );
    for (const line of [...out, ...err]) expect(line).not.toContain(AUDIT_SECRET);
  });
});

const auditLines = async (): Promise<string[]> => {
  try {
    return (await readFile(auditFile, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
};
