import { parseDocument } from 'yaml';

/** Where the example config expects the simulated providers. */
export const DEFAULT_PROVIDERS_URL = 'http://127.0.0.1:8789';

/** Credentials that switch a provider kind from the simulator to the real service. */
const REAL_WHEN: Record<string, (env: NodeJS.ProcessEnv) => boolean> = {
  openai: (env) => Boolean(env.OPENAI_API_KEY),
  bedrock: (env) => Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY),
  'workers-ai': (env) => Boolean(env.CLOUDFLARE_API_TOKEN && env.CLOUDFLARE_ACCOUNT_ID),
};

export type EffectiveConfig = { text: string; realProviders: string[] };

/**
 * The config the local stack runs: simulator URLs moved to where the simulator listens, and
 * providers whose real credentials are in the environment pointed at the real service.
 */
export const effectiveConfig = (
  text: string,
  providersUrl: string,
  env: NodeJS.ProcessEnv,
): EffectiveConfig => {
  const doc = parseDocument(text);
  const providers = doc.get('providers');
  const realProviders: string[] = [];
  if (providers && typeof providers === 'object' && 'items' in providers) {
    for (const item of (providers as { items: unknown[] }).items) {
      const node = item as {
        get(k: string): unknown;
        set(k: string, v: unknown): void;
        delete(k: string): void;
      };
      const kind = String(node.get('kind'));
      const baseUrl = node.get('baseUrl');
      if (typeof baseUrl !== 'string' || !baseUrl.startsWith(DEFAULT_PROVIDERS_URL)) continue;
      if (REAL_WHEN[kind]?.(env)) {
        node.delete('baseUrl');
        if (kind === 'workers-ai') node.set('accountId', env.CLOUDFLARE_ACCOUNT_ID);
        realProviders.push(String(node.get('id')));
      } else {
        node.set('baseUrl', providersUrl + baseUrl.slice(DEFAULT_PROVIDERS_URL.length));
      }
    }
  }
  return { text: doc.toString(), realProviders };
};
