import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditEvent, createAuditLog, verifyAuditChains } from '@switchback/router-core';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLogFromEnv } from './audit-from-env.ts';

const SECRET = 'from-env-secret';
const request = (tenant: string, i: number): AuditEvent => ({
  type: 'request',
  ts: '2026-12-03T12:00:00.000Z',
  request_id: `${tenant}-${i}`,
  tenant,
  outcome: 'ok',
});

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const appendAll = async (file: string, events: AuditEvent[]) => {
  const env = { SWITCHBACK_AUDIT_SECRET: SECRET, SWITCHBACK_AUDIT_FILE: file };
  const log = await auditLogFromEnv(env, (error) => {
    throw error;
  });
  if (log === undefined) throw new Error('no audit log');
  for (const event of events) await log.append(event);
  await log.flush();
};

describe('the regional audit file', () => {
  it('a restarted replica continues every tenant chain of its file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchback-audit-env-'));
    const file = join(dir, 'audit.jsonl');
    await appendAll(file, [request('acme', 0), request('globex', 0), request('acme', 1)]);
    await appendAll(file, [request('globex', 1), request('acme', 2)]);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(await verifyAuditChains(lines, SECRET)).toMatchObject({
      ok: true,
      count: 5,
      chains: [
        { chain: 'acme', count: 3, lastSeq: 3 },
        { chain: 'globex', count: 2, lastSeq: 2 },
      ],
    });
  });

  it('continues a file written before chains per tenant with chains per tenant after it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchback-audit-env-'));
    const file = join(dir, 'audit.jsonl');
    const old: string[] = [];
    const legacy = createAuditLog({ secret: SECRET, sink: { write: (l) => void old.push(l) } });
    for (const event of [request('acme', 0), request('globex', 0)]) await legacy.append(event);
    writeFileSync(file, `${old.join('\n')}\n`);
    await appendAll(file, [request('acme', 1)]);
    const result = await verifyAuditChains(readFileSync(file, 'utf8').split('\n'), SECRET);
    expect(result).toEqual({
      ok: true,
      count: 3,
      chains: [
        expect.objectContaining({ count: 2, lastSeq: 2 }),
        expect.objectContaining({ chain: 'acme', count: 1, lastSeq: 1 }),
      ],
    });
  });
});
