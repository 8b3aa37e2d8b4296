import { describe, expect, it } from 'vitest';
import type { AuditHead, RequestAuditEvent, SignedAuditEvent } from './audit-event.ts';
import { type AuditChainHead, createAuditLog } from './audit-log.ts';
import { verifyAuditChains } from './verify-audit-log.ts';

const SECRET = 'shared-head-secret';
const TENANTS = ['acme', 'globex'] as const;

const event = (writer: number, i: number, tenant: string): RequestAuditEvent => ({
  type: 'request',
  ts: '2026-12-03T12:00:00.000Z',
  request_id: `w${writer}-${tenant}-${i}`,
  tenant,
  outcome: 'ok',
});

/** Heads as Redis keeps them: compare-and-set per chain, one step at a time, after a loop turn. */
const memoryHeads = () => {
  const heads = new Map<string, AuditHead>();
  const lines: string[] = [];
  let reads = 0;
  let advances = 0;
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const store: AuditChainHead = {
    async read(chain) {
      await turn();
      reads++;
      return heads.get(chain);
    },
    async advance(chain, from, to, line) {
      await turn();
      advances++;
      const head = heads.get(chain);
      if (head?.seq !== from?.seq || head?.hash !== from?.hash) return { moved: false, head };
      heads.set(chain, to);
      lines.push(line);
      return { moved: true };
    },
  };
  return { store, lines, calls: () => ({ reads, advances }) };
};

const parsed = (lines: readonly string[]) => lines.map((l) => JSON.parse(l) as SignedAuditEvent);

describe('audit chains per tenant written by many writers through shared heads', () => {
  it('three writers appending two tenants at once make one chain per tenant, no fork, no gap', async () => {
    const shared = memoryHeads();
    const own: string[][] = [[], [], []];
    const logs = own.map((lines) =>
      createAuditLog({
        secret: SECRET,
        sink: { write: (line) => void lines.push(line) },
        perTenant: true,
        head: shared.store,
      }),
    );
    await Promise.all(
      logs.flatMap((log, w) =>
        Array.from({ length: 40 }, (_, i) => log.append(event(w, i, TENANTS[i % 2] ?? 'acme'))),
      ),
    );
    expect(shared.lines).toHaveLength(120);
    const verified = await verifyAuditChains(shared.lines, SECRET);
    expect(verified).toMatchObject({ ok: true, count: 120 });
    // Chains are listed in order of their first line: whichever tenant's append won the race.
    const chains = 'chains' in verified ? verified.chains : [];
    expect([...chains].sort((a, b) => (a.chain ?? '').localeCompare(b.chain ?? ''))).toMatchObject([
      { chain: 'acme', count: 60, lastSeq: 60 },
      { chain: 'globex', count: 60, lastSeq: 60 },
    ]);
    // Each line names its tenant's chain, and each tenant's seqs are 1..60 in chain order.
    for (const tenant of TENANTS) {
      const chain = parsed(shared.lines).filter((l) => l.chain === tenant);
      expect(chain.every((l) => l.event.type === 'request' && l.event.tenant === tenant)).toBe(
        true,
      );
      expect(chain.map((l) => l.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    }
    // Each writer's own sink holds its lines of the chains, in chain order.
    for (const [w, lines] of own.entries()) {
      expect(lines).toHaveLength(40);
      const mine = shared.lines.filter((line) => line.includes(`"request_id":"w${w}-`));
      expect([...lines].sort()).toEqual([...mine].sort());
      for (const tenant of TENANTS) {
        const of = (all: string[]) => all.filter((line) => line.includes(`-${tenant}-`));
        expect(of(lines)).toEqual(of(mine));
      }
    }
  });

  it('a writer that wrote a chain last appends to it in one move, with no read', async () => {
    const shared = memoryHeads();
    const log = createAuditLog({
      secret: SECRET,
      sink: { write() {} },
      perTenant: true,
      head: shared.store,
    });
    for (let i = 0; i < 10; i++) await log.append(event(0, i, 'acme'));
    // One read the first time the chain is seen, then one advance an append.
    expect(shared.calls()).toEqual({ reads: 1, advances: 10 });
  });

  it('a writer behind the head is told where it is and appends after it', async () => {
    const shared = memoryHeads();
    const logs = [0, 1].map(() =>
      createAuditLog({ secret: SECRET, sink: { write() {} }, perTenant: true, head: shared.store }),
    );
    const [a, b] = logs;
    if (a === undefined || b === undefined) throw new Error('two logs');
    await a.append(event(0, 0, 'acme'));
    await b.append(event(1, 0, 'acme'));
    // a last saw seq 1; the head is at 2: one refused move, then the move after seq 2.
    const third = await a.append(event(0, 1, 'acme'));
    expect(third.seq).toBe(3);
    expect(shared.calls()).toEqual({ reads: 2, advances: 4 });
    expect(await verifyAuditChains(shared.lines, SECRET)).toMatchObject({
      ok: true,
      chains: [{ chain: 'acme', count: 3 }],
    });
  });

  it('a head that cannot be read fails the append and tells onError', async () => {
    const errors: unknown[] = [];
    const log = createAuditLog({
      secret: SECRET,
      sink: { write() {} },
      perTenant: true,
      head: {
        read: () => Promise.reject(new Error('redis down')),
        advance: () => Promise.resolve({ moved: true }),
      },
      onError: (error) => errors.push(error),
    });
    await expect(log.append(event(0, 0, 'acme'))).rejects.toThrow('redis down');
    expect(errors).toHaveLength(1);
  });
});
