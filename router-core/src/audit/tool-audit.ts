import { sha256Hex } from '../crypto/sha256.ts';
import type { AuditTool } from './audit-event.ts';

/** Tools for the audit event: names as given, arguments (if any) only as their SHA-256. */
export const auditTools = (
  tools: readonly { name: string; arguments?: string }[],
): Promise<AuditTool[]> =>
  Promise.all(
    tools.map(async (tool) =>
      tool.arguments === undefined
        ? { name: tool.name }
        : { name: tool.name, args_sha256: await sha256Hex(tool.arguments) },
    ),
  );
