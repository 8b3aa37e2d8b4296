import type { EscalationContext, TenantConfig } from '@switchback/router-core';

/** Who is calling: an application with its API key, or the edge with a signed escalation. */
export type Caller =
  | { mode: 'front-door'; tenant: TenantConfig; keyId: string }
  | {
      mode: 'escalated';
      tenant: TenantConfig;
      context: EscalationContext;
      /** The raw body, already read to check the signature. */
      body: string;
    };
