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

/** A stream's event is appended once the stream has been read to its end: wait for it a while. */
export const archivedCount = async (tenant: string, count: number): Promise<string[]> => {
  let lines = await archived(tenant);
  for (let i = 0; i < 100 && lines.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    lines = await archived(tenant);
  }
  return lines;
};

/**
 * The archived event of one request, waited for (a streamed answer's event is appended once the
 * stream has been read to its end, on its own time): undefined if it never came within ~10 s.
 */
export const archivedEventOf = async (
  tenant: string,
  requestId: string,
): Promise<Record<string, unknown> | undefined> => {
  for (let i = 0; i < 250; i++) {
    for (const line of await archived(tenant)) {
      const event = (JSON.parse(line) as { event: Record<string, unknown> }).event;
      if (event.request_id === requestId) return event;
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  return undefined;
};
