import { describe, expect, it } from 'vitest';
import type { RequestAuditEvent } from './audit-event.ts';
import { type AuditChainHead, createAuditLog } from './audit-log.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

const SECRET = 'shared-head-secret';

const event = (writer: number, i: number): RequestAuditEvent => ({
  type: 'request',
  ts: '2026-12-03T12:00:00.000Z',
  request_id: `w${writer}-${i}`,
  outcome: 'ok',
});

/** A head as Redis keeps it: compare-and-set, one step at a time, after a turn of the loop. */
const memoryHead = () => {
  let head: { seq: number; hash: string } | undefined;
  const lines: string[] = [];
  let moves = 0;
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const store: AuditChainHead = {
    async read() {
      await turn();
      return head;
    },
    async advance(from, to, line) {
      await turn();
      if (head?.seq !== from?.seq || head?.hash !== from?.hash) return false;
      head = to;
      lines.push(line);
      moves++;
      return true;
    },
  };
  return { store, lines, moves: () => moves };
};

describe('one audit chain written by many writers through a shared head', () => {
  it('three writers appending at once make one chain that verifies, with no fork and no gap', async () => {
    const shared = memoryHead();
    const own: string[][] = [[], [], []];
    const logs = own.map((lines) =>
      createAuditLog({
        secret: SECRET,
        sink: { write: (line) => void lines.push(line) },
        head: shared.store,
      }),
    );
    await Promise.all(
      logs.flatMap((log, w) => Array.from({ length: 40 }, (_, i) => log.append(event(w, i)))),
    );
    expect(shared.lines).toHaveLength(120);
    expect(await verifyAuditLog(shared.lines, SECRET)).toMatchObject({ ok: true, count: 120 });
    // Each writer's own sink holds its lines of the chain, in chain order.
    for (const [w, lines] of own.entries()) {
      expect(lines).toHaveLength(40);
      const mine = shared.lines.filter((line) => line.includes(`"request_id":"w${w}-`));
      expect(lines).toEqual(mine);
    }
  });

  it('a head that cannot be read fails the append and tells onError', async () => {
    const errors: unknown[] = [];
    const log = createAuditLog({
      secret: SECRET,
      sink: { write() {} },
      head: {
        read: () => Promise.reject(new Error('redis down')),
        advance: () => Promise.resolve(true),
      },
      onError: (error) => errors.push(error),
    });
    await expect(log.append(event(0, 0))).rejects.toThrow('redis down');
    expect(errors).toHaveLength(1);
  });
});
