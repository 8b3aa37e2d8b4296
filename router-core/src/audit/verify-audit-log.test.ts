import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileRuns, hostileRunsEnv } from '../../test/hostile/bad-requests.ts';
import type { RequestAuditEvent } from './audit-event.ts';
import { createAuditLog } from './audit-log.ts';
import { verifyAuditLog } from './verify-audit-log.ts';

const SECRET = 'audit-test-secret';

const event = (i: number, tenant = 'acme'): RequestAuditEvent => ({
  type: 'request',
  ts: `2026-11-23T12:00:${String(i % 60).padStart(2, '0')}.000Z`,
  request_id: `req-${i}`,
  tenant,
  outcome: 'ok',
  status: 200,
});

const writeLog = async (count: number, tenant = 'acme'): Promise<string[]> => {
  const lines: string[] = [];
  const log = createAuditLog({ secret: SECRET, sink: { write: (line) => void lines.push(line) } });
  await Promise.all(Array.from({ length: count }, (_, i) => log.append(event(i, tenant))));
  await log.flush();
  return lines;
};

describe('signed, hash-chained audit log', () => {
  it('verifies an intact log and counts its events', async () => {
    const lines = await writeLog(5);
    expect(await verifyAuditLog([...lines, ''], SECRET)).toMatchObject({
      ok: true,
      count: 5,
      lastSeq: 5,
    });
  });

  it('keeps seq and the chain in order when appends race', async () => {
    const lines = await writeLog(20);
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('with orderedWrites false, starts every write without waiting for the one before, in chain order', async () => {
    const started: number[] = [];
    const heads: number[] = [];
    const lines: string[] = [];
    // No write finishes until all twenty have started: with writes in line this would never end.
    let release = () => {};
    const allStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const log = createAuditLog({
      secret: SECRET,
      orderedWrites: false,
      onChained: ({ seq }) => heads.push(seq),
      sink: {
        write: async (line) => {
          started.push((JSON.parse(line) as { seq: number }).seq);
          if (started.length === 20) release();
          await allStarted;
          lines.push(line);
        },
      },
    });
    const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(event(i))));
    await log.flush();
    const seqs = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(appended.map((a) => a.seq)).toEqual(seqs);
    expect(started).toEqual(seqs);
    expect(heads).toEqual(seqs);
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({ ok: true, count: 20 });
  });

  it('by default, writes one line at a time in chain order', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const lines: string[] = [];
    const log = createAuditLog({
      secret: SECRET,
      sink: {
        write: async (line) => {
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inFlight--;
          lines.push(line);
        },
      },
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(event(i))));
    await log.flush();
    expect(mostInFlight).toBe(1);
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({ ok: true, count: 10 });
  });

  it('redacts PII before signing', async () => {
    const lines: string[] = [];
    const log = createAuditLog({ secret: SECRET, sink: { write: (l) => void lines.push(l) } });
    await log.append({ ...event(0), error: 'user bob@example.com, card 4242424242424242' });
    expect(lines[0]).toContain('user [redacted:email], card [redacted:card]');
    expect(lines[0]).not.toContain('bob@');
    expect((await verifyAuditLog(lines, SECRET)).ok).toBe(true);
  });

  it('names an edited event', async () => {
    const lines = await writeLog(4);
    lines[2] = (lines[2] ?? '').replace('"tenant":"acme"', '"tenant":"evil"');
    expect(await verifyAuditLog(lines, SECRET)).toMatchObject({
      ok: false,
      line: 3,
      problem: 'edited',
    });
  });

  it('names a deleted event', async () => {
    const lines = await writeLog(4);
    lines.splice(1, 1);
    expect(await verifyAuditLog(lines, SECRET)).toEqual({
      ok: false,
      line: 2,
      problem: 'deleted',
      message: 'line 2: seq 2 is missing before seq 3; an event was deleted.',
    });
  });

  it('names an inserted copy and a foreign event', async () => {
    const lines = await writeLog(4);
    const copied = [...lines.slice(0, 3), lines[1] ?? '', ...lines.slice(3)];
    expect(await verifyAuditLog(copied, SECRET)).toMatchObject({ line: 4, problem: 'inserted' });
    const other = await writeLog(4, 'other');
    const foreign = [...lines.slice(0, 2), other[2] ?? '', ...lines.slice(3)];
    expect(await verifyAuditLog(foreign, SECRET)).toMatchObject({ line: 3, problem: 'inserted' });
  });

  it('names a reorder', async () => {
    const lines = await writeLog(4);
    const swapped = [lines[0] ?? '', lines[2] ?? '', lines[1] ?? '', lines[3] ?? ''];
    expect(await verifyAuditLog(swapped, SECRET)).toMatchObject({ line: 2, problem: 'reordered' });
  });

  it('refuses a log signed with another secret', async () => {
    const lines = await writeLog(2);
    expect(await verifyAuditLog(lines, 'wrong')).toMatchObject({ line: 1, problem: 'edited' });
  });

  it('catches every random edit, deletion, insertion and reorder', async () => {
    const lines = await writeLog(12);
    let tried = 0;
    let caught = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ kind: fc.constant('edit' as const), at: fc.nat(11), char: fc.nat(400) }),
          fc.record({ kind: fc.constant('delete' as const), at: fc.nat(10) }),
          fc.record({ kind: fc.constant('insert' as const), at: fc.nat(11), from: fc.nat(11) }),
          fc.record({ kind: fc.constant('swap' as const), at: fc.nat(10) }),
        ),
        async (t) => {
          const tampered = [...lines];
          if (t.kind === 'edit') {
            const line = tampered[t.at] ?? '';
            const i = t.char % line.length;
            const c = line[i] === 'a' ? 'b' : 'a';
            tampered[t.at] = line.slice(0, i) + c + line.slice(i + 1);
          } else if (t.kind === 'delete') tampered.splice(t.at, 1);
          else if (t.kind === 'insert') tampered.splice(t.at, 0, lines[t.from] ?? '');
          else {
            const a = tampered[t.at] ?? '';
            tampered[t.at] = tampered[t.at + 1] ?? '';
            tampered[t.at + 1] = a;
          }
          tried++;
          const result = await verifyAuditLog(tampered, SECRET);
          if (!result.ok) caught++;
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: hostileRuns(hostileRunsEnv(), 300) },
    );
    console.log(`audit tamper cases: ${caught} caught of ${tried} tried`);
    // Generous: the long mode runs 10,000 cases and a shared machine must not fail it.
  }, 300_000);
});
