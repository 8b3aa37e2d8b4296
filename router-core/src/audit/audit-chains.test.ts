import { describe, expect, it } from 'vitest';
import { auditLinkHash } from './audit-chain.ts';
import type { AuditEvent, SignedAuditEvent } from './audit-event.ts';
import { type AuditLogOptions, createAuditLog } from './audit-log.ts';
import { verifyAuditChains, verifyAuditLog } from './verify-audit-log.ts';

const SECRET = 'audit-chains-secret';

const request = (i: number, tenant: string): AuditEvent => ({
  type: 'request',
  ts: '2026-12-03T12:00:00.000Z',
  request_id: `req-${tenant}-${i}`,
  tenant,
  outcome: 'ok',
});
const configChange: AuditEvent = {
  type: 'config_change',
  ts: '2026-12-03T12:00:00.000Z',
  operator: 'ops',
  action: 'reload',
};

const write = async (
  events: readonly AuditEvent[],
  options: Partial<Extract<AuditLogOptions, { perTenant: true }>> = {},
): Promise<string[]> => {
  const lines: string[] = [];
  const log = createAuditLog({
    secret: SECRET,
    sink: { write: (line) => void lines.push(line) },
    perTenant: true,
    ...options,
  });
  for (const event of events) await log.append(event);
  await log.flush();
  return lines;
};

/** acme, globex, acme, (no tenant), globex, acme. */
const mixed = [
  request(0, 'acme'),
  request(0, 'globex'),
  request(1, 'acme'),
  configChange,
  request(1, 'globex'),
  request(2, 'acme'),
];

describe('one audit chain per tenant in one log', () => {
  it('numbers each tenant from 1 and verifies each chain, saying what each holds', async () => {
    const lines = await write(mixed);
    const signed = lines.map((l) => JSON.parse(l) as SignedAuditEvent);
    expect(signed.map((s) => [s.chain, s.seq])).toEqual([
      ['acme', 1],
      ['globex', 1],
      ['acme', 2],
      ['-', 1],
      ['globex', 2],
      ['acme', 3],
    ]);
    const result = await verifyAuditChains(lines, SECRET);
    expect(result).toMatchObject({
      ok: true,
      count: 6,
      chains: [
        { chain: 'acme', count: 3, lastSeq: 3 },
        { chain: 'globex', count: 2, lastSeq: 2 },
        { chain: '-', count: 1, lastSeq: 1 },
      ],
    });
  });

  it('names a deleted event and its tenant', async () => {
    const lines = await write(mixed);
    lines.splice(2, 1); // acme seq 2
    expect(await verifyAuditChains(lines, SECRET)).toEqual({
      ok: false,
      line: 5,
      chain: 'acme',
      problem: 'deleted',
      message: 'line 5: tenant acme: seq 2 is missing before seq 3; an event was deleted.',
    });
  });

  it('a line moved to another tenant chain fails its signature', async () => {
    const lines = await write(mixed);
    lines[4] = (lines[4] ?? '').replace('"chain":"globex"', '"chain":"acme"');
    expect(await verifyAuditChains(lines, SECRET)).toMatchObject({
      ok: false,
      line: 5,
      chain: 'acme',
      problem: 'edited',
    });
  });

  it('names the first bad line of the log when several chains are broken', async () => {
    const lines = await write(mixed);
    // globex 1 and 2 swapped (lines 2 and 5), and acme 2 (line 3) deleted.
    const [acme1, globex1, , none1, globex2, acme3] = lines.map((line) => line ?? '');
    const tampered = [acme1, globex2, none1, globex1, acme3].map((line) => line ?? '');
    const deleted = await verifyAuditChains(
      tampered.filter((line) => !line.includes('"chain":"globex"')),
      SECRET,
    );
    expect(deleted).toMatchObject({ ok: false, line: 3, chain: 'acme', problem: 'deleted' });
    expect(await verifyAuditChains(tampered, SECRET)).toMatchObject({
      ok: false,
      line: 2,
      chain: 'globex',
      problem: 'reordered',
    });
  });

  it('verifyAuditLog reads one tenant chain alone, and fails on interleaved chains', async () => {
    const lines = await write(mixed);
    const acme = lines.filter((line) => line.includes('"chain":"acme"'));
    expect(await verifyAuditLog(acme, SECRET)).toMatchObject({ ok: true, count: 3, lastSeq: 3 });
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({ ok: false, line: 2 });
  });

  it('a log of one chain, written before chains per tenant, still verifies; so does one continued per tenant after it', async () => {
    const legacy: string[] = [];
    const old = createAuditLog({ secret: SECRET, sink: { write: (l) => void legacy.push(l) } });
    for (const event of mixed) await old.append(event);
    expect(legacy.every((line) => !line.includes('"chain"'))).toBe(true);
    expect(await verifyAuditChains(legacy, SECRET)).toMatchObject({
      ok: true,
      count: 6,
      chains: [{ count: 6, lastSeq: 6 }],
    });
    const upgraded = [...legacy, ...(await write(mixed.slice(0, 2)))];
    expect(await verifyAuditChains(upgraded, SECRET)).toEqual({
      ok: true,
      count: 8,
      chains: [
        expect.objectContaining({ count: 6, lastSeq: 6 }),
        expect.objectContaining({ chain: 'acme', count: 1 }),
        expect.objectContaining({ chain: 'globex', count: 1 }),
      ],
    });
    expect(await verifyAuditChains(upgraded, SECRET)).not.toHaveProperty('chains.0.chain');
  });

  it('resumes each tenant chain where the log left it', async () => {
    const first = await write(mixed);
    const last = new Map<string, SignedAuditEvent>();
    for (const line of first) {
      const signed = JSON.parse(line) as SignedAuditEvent;
      last.set(signed.chain ?? '', signed);
    }
    const resume = new Map(
      await Promise.all(
        [...last].map(
          async ([chain, signed]) =>
            [chain, { seq: signed.seq, hash: await auditLinkHash(signed) }] as const,
        ),
      ),
    );
    const more = await write([request(3, 'acme'), request(2, 'globex')], { resume });
    expect(more.map((l) => (JSON.parse(l) as SignedAuditEvent).seq)).toEqual([4, 3]);
    expect(await verifyAuditChains([...first, ...more], SECRET)).toMatchObject({
      ok: true,
      chains: [
        { chain: 'acme', count: 4 },
        { chain: 'globex', count: 3 },
        { chain: '-', count: 1 },
      ],
    });
  });
});
