import { env } from 'cloudflare:workers';
import { tenantScopedName } from '@switchback/router-core';

/** A tenant's archived audit log: its objects in key order, joined. */
export const archived = async (tenant: string): Promise<string[]> => {
  await env.AUDIT.getByName(tenantScopedName(tenant, 'audit')).flush();
  const listed = await env.AUDIT_BUCKET.list({ prefix: `audit/${tenant}/` });
  const keys = listed.objects.map((o) => o.key).sort();
  const lines: string[] = [];
  for (const key of keys) {
    const text = (await (await env.AUDIT_BUCKET.get(key))?.text()) ?? '';
    lines.push(...text.split('\n').filter((l) => l !== ''));
  }
  return lines;
};

/** The archive read again every `everyMs` until `done` holds of it, `tries` reads at most. */
const archivedUntil = async (
  tenant: string,
  done: (lines: string[]) => boolean,
  tries: number,
  everyMs: number,
): Promise<string[]> => {
  let lines = await archived(tenant);
  for (let i = 1; i < tries && !done(lines); i++) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    lines = await archived(tenant);
  }
  return lines;
};

/** A stream's event is appended once the stream has been read to its end: wait for it a while. */
export const archivedCount = (tenant: string, count: number): Promise<string[]> =>
  archivedUntil(tenant, (lines) => lines.length >= count, 101, 20);

/**
 * The archived request event of one request (not an approval naming it), waited for (a streamed answer's event is appended once the
 * stream has been read to its end, on its own time): undefined if it never came within ~10 s.
 */
export const archivedEventOf = async (
  tenant: string,
  requestId: string,
): Promise<Record<string, unknown> | undefined> => {
  const eventOf = (line: string) => (JSON.parse(line) as { event: Record<string, unknown> }).event;
  const isIt = (event: Record<string, unknown>) =>
    event.type === 'request' && event.request_id === requestId;
  const lines = await archivedUntil(
    tenant,
    (read) => read.some((line) => isIt(eventOf(line))),
    250,
    40,
  );
  return lines.map(eventOf).find(isIt);
};
