import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../config/schema.ts';
import { gatewayEndpoint } from './gateway.ts';

const bedrock = (region?: string): ProviderConfig =>
  ({
    id: 'bedrock',
    kind: 'bedrock',
    ...(region === undefined ? {} : { region }),
    gateway: { id: 'gw', accountId: 'acct', cacheTtl: 60 },
  }) as ProviderConfig;

describe('gatewayEndpoint', () => {
  it('puts Bedrock in the region its client signs for: the config’s, else AWS_REGION', () => {
    expect(gatewayEndpoint(bedrock('eu-west-1'), { AWS_REGION: 'us-west-2' })).toEqual({
      baseUrl: 'https://gateway.ai.cloudflare.com/v1/acct/gw/aws-bedrock/bedrock-runtime/eu-west-1',
      headers: { 'cf-aig-cache-ttl': '60' },
    });
    expect(gatewayEndpoint(bedrock(), { AWS_REGION: 'us-west-2' })?.baseUrl).toBe(
      'https://gateway.ai.cloudflare.com/v1/acct/gw/aws-bedrock/bedrock-runtime/us-west-2',
    );
    expect(gatewayEndpoint(bedrock(), {})?.baseUrl).toMatch(/\/bedrock-runtime\/us-east-1$/);
  });
});
