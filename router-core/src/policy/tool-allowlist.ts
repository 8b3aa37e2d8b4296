import { globAny } from '../classify/glob.ts';
import type { TenantConfig } from '../config/schema.ts';
import { RouterError } from '../errors/router-error.ts';
import type { ChatCompletionRequest } from '../openai/chat-request.ts';

/** Tool names (globs) a tenant may offer in a workflow: `default` plus the workflow's own. */
export const allowedTools = (tenant: TenantConfig, workflow: string | undefined): string[] => [
  ...(tenant.tools.default ?? []),
  ...(workflow === undefined ? [] : (tenant.tools[workflow] ?? [])),
];

/** Refuses (403 `policy_denied`, naming the tool) a request offering a tool the tenant may not use. */
export const checkToolPolicy = (
  request: ChatCompletionRequest,
  tenant: TenantConfig,
  workflow: string | undefined,
): void => {
  const tools = request.tools ?? [];
  if (tools.length === 0) return;
  const allowed = allowedTools(tenant, workflow);
  tools.forEach((tool, i) => {
    const name = tool.function.name;
    if (globAny(allowed, name)) return;
    throw new RouterError(
      'policy_denied',
      `Tool '${name}' is not allowed for this API key in workflow '${workflow ?? 'default'}'.`,
      { param: `tools[${i}].function.name` },
    );
  });
};
