import { type AuditEvent, createAuditLog } from '@switchback/router-core';
import { describe, expect, it } from 'vitest';
import { auditCommand } from './audit-verify.ts';

const SECRET = 'cli-chains-secret';
const request = (tenant: string, id: string): AuditEvent => ({
  type: 'request',
  ts: '2026-12-03T12:00:00.000Z',
  request_id: id,
  tenant,
  outcome: 'ok',
});

/** A log of two tenants' chains and one event of no tenant, interleaved. */
const perTenantLog = async (): Promise<string> => {
  const lines: string[] = [];
  const log = createAuditLog({
    secret: SECRET,
    sink: { write: (line) => void lines.push(line) },
    perTenant: true,
  });
  await log.append(request('acme', 'a1'));
  await log.append(request('globex', 'g1'));
  await log.append({
    type: 'config_change',
    ts: '2026-12-03T12:00:01.000Z',
    operator: 'ops',
    action: 'reload',
  });
  await log.append(request('acme', 'a2'));
  return `${lines.join('\n')}\n`;
};

const run = async (args: string[], text: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await auditCommand(
    args,
    {
      out: (l) => void out.push(l),
      err: (l) => void err.push(l),
      readStdin: async () => '',
      readFile: async () => text,
    },
    { SWITCHBACK_AUDIT_SECRET: SECRET },
  );
  return { code, out, err };
};

describe('switchback audit on a log of one chain per tenant', () => {
  it('verify says per tenant what it verified', async () => {
    const { code, out, err } = await run(['verify', 'audit.jsonl'], await perTenantLog());
    expect({ code, err }).toEqual({ code: 0, err: [] });
    expect(out.map((line) => line.replace(/[0-9a-f]{64}/, '<hash>'))).toEqual([
      'OK audit.jsonl: 4 events intact in 3 chains',
      '  tenant acme: 2 events, seq 1-2, last hash <hash>',
      '  tenant globex: 1 event, seq 1-1, last hash <hash>',
      '  no tenant: 1 event, seq 1-1, last hash <hash>',
    ]);
  });

  it('verify names the tenant of a deleted event', async () => {
    const lines = (await perTenantLog()).split('\n');
    lines.splice(0, 1);
    const { code, err } = await run(['verify', 'audit.jsonl'], lines.join('\n'));
    expect(code).toBe(1);
    expect(err).toEqual([
      'audit.jsonl: deleted: line 3: tenant acme: seq 1 is missing before seq 2; an event was deleted.',
    ]);
  });

  it('show prints a request as #tenant/seq, then what verified per chain', async () => {
    const { code, out } = await run(['show', 'a2', 'audit.jsonl'], await perTenantLog());
    expect(code).toBe(0);
    expect(out[0]).toBe('#acme/2 2026-12-03T12:00:00.000Z request a2');
    expect(out.at(-1)).toBe(
      'verified: 4 events intact (tenant acme last seq 2; tenant globex last seq 1; no tenant last seq 1)',
    );
  });
});
