import { type Sha256HexSync, sha256Hex } from '../crypto/sha256.ts';
import type { AuditTool } from './audit-event.ts';

type Tool = { name: string; arguments?: string };

/** Tools for the audit event: names as given, arguments (if any) only as their SHA-256. */
export const auditTools = (tools: readonly Tool[]): Promise<AuditTool[]> =>
  Promise.all(
    tools.map(async (tool) =>
      tool.arguments === undefined
        ? { name: tool.name }
        : { name: tool.name, args_sha256: await sha256Hex(tool.arguments) },
    ),
  );

/** `auditTools` with a synchronous hash: the same list, computed without yielding. */
export const auditToolsWith = (tools: readonly Tool[], sha256: Sha256HexSync): AuditTool[] =>
  tools.map((tool) =>
    tool.arguments === undefined
      ? { name: tool.name }
      : { name: tool.name, args_sha256: sha256(tool.arguments) },
  );
