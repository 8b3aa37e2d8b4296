import { describe, expect, it } from 'vitest';
import { gatewayCacheStatus, gatewayHopHeader, parseGatewayHopHeader } from './gateway-cache.ts';

describe('the AI Gateway cache status', () => {
  it.each([
    { value: 'HIT', status: 'HIT' },
    { value: 'miss', status: 'MISS' },
    { value: ' BYPASS ', status: 'BYPASS' },
    { value: 'REVALIDATED', status: 'unknown' },
    { value: '', status: 'unknown' },
    { value: null, status: 'unknown' },
  ])('cf-aig-cache-status $value reads as $status', ({ value, status }) => {
    expect(gatewayCacheStatus(value)).toBe(status);
  });

  it('x-router-gateway names the gateway and its cache, and reads back as written', () => {
    const header = gatewayHopHeader({ id: 'gw-main', cache: 'HIT' });
    expect(header).toBe('gw-main; cache=HIT');
    expect(parseGatewayHopHeader(header)).toEqual({ id: 'gw-main', cache: 'HIT' });
    expect(parseGatewayHopHeader('gw-main')).toBeUndefined();
    expect(parseGatewayHopHeader(null)).toBeUndefined();
  });
});
