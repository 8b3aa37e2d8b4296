import type { SignedAuditEvent } from './audit-event.ts';

/**
 * The events of one request's chain in an audit log, in log order: the request, the later turns
 * that send back results of its tool calls (and the turns before whose calls it answers, each
 * followed the same way), and the approvals and overrides naming any of them or their calls.
 */
export const requestChain = (
  events: readonly SignedAuditEvent[],
  requestId: string,
): SignedAuditEvent[] => {
  const requests = new Set([requestId]);
  const calls = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const { event } of events) {
      if (event.type !== 'request') continue;
      const made = (event.tool_calls ?? []).flatMap((c) => (c.call_id ? [c.call_id] : []));
      const answered = (event.tool_results ?? []).map((r) => r.call_id);
      const linked =
        requests.has(event.request_id) || [...made, ...answered].some((id) => calls.has(id));
      if (!linked) continue;
      if (!requests.has(event.request_id)) {
        requests.add(event.request_id);
        grew = true;
      }
      for (const id of [...made, ...answered]) {
        if (!calls.has(id)) {
          calls.add(id);
          grew = true;
        }
      }
    }
  }
  return events.filter(({ event }) => {
    switch (event.type) {
      case 'request':
        return requests.has(event.request_id);
      case 'approval':
        return requests.has(event.request_id) || calls.has(event.call_id);
      case 'override':
        return event.request_id !== undefined && requests.has(event.request_id);
      default:
        return false;
    }
  });
};
