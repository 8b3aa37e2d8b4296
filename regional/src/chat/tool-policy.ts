import {
  type ChatCompletionRequest,
  globAny,
  RouterError,
  type TenantConfig,
} from '@switchback/router-core';

/** Tool names (globs) a tenant may offer in a workflow: `default` plus the workflow's own. */
export const allowedTools = (tenant: TenantConfig, workflow: string | undefined): string[] => [
  ...(tenant.tools.default ?? []),
  ...(workflow === undefined ? [] : (tenant.tools[workflow] ?? [])),
];

/** Refuses (403) a request that offers a tool the tenant may not use in this workflow. */
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
    const where = workflow === undefined ? '' : ` in workflow "${workflow}"`;
    throw new RouterError(
      'policy_denied',
      `The tool "${name}" is not allowed for this API key${where}. Allowed: ${allowed.join(', ') || 'none'}.`,
      { param: `tools[${i}].function.name` },
    );
  });
};
