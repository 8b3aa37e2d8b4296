/** The gateway's response header that says whether it answered from its cache. */
export const GATEWAY_CACHE_STATUS_HEADER = 'cf-aig-cache-status';

/**
 * What an AI Gateway said of its cache for one answer (`cf-aig-cache-status`: Cloudflare documents
 * `HIT` and `MISS`; `BYPASS` is what a skipped cache answers), or `unknown` when it said nothing
 * the router can read (no header, another value, or the edge's binding, which does not tell).
 */
export const GATEWAY_CACHE_STATUSES = ['HIT', 'MISS', 'BYPASS', 'unknown'] as const;
export type GatewayCacheStatus = (typeof GATEWAY_CACHE_STATUSES)[number];

/** The cache status of a `cf-aig-cache-status` value (case-insensitive); `unknown` otherwise. */
export const gatewayCacheStatus = (value: string | null | undefined): GatewayCacheStatus => {
  const upper = value?.trim().toUpperCase();
  return upper === 'HIT' || upper === 'MISS' || upper === 'BYPASS' ? upper : 'unknown';
};

/** The AI Gateway an answer came through, and what its cache did. */
export type GatewayHop = { id: string; cache: GatewayCacheStatus };

/** The `x-router-gateway` response header of a hop: `<gateway id>; cache=<status>`. */
export const gatewayHopHeader = (hop: GatewayHop): string => `${hop.id}; cache=${hop.cache}`;

const HOP_HEADER = /^\s*([^;\s]+)\s*;\s*cache=([A-Za-z]+)\s*$/;

/** The hop an `x-router-gateway` header names (regional's, read at the edge); undefined if none. */
export const parseGatewayHopHeader = (value: string | null | undefined): GatewayHop | undefined => {
  const match = value == null ? null : HOP_HEADER.exec(value);
  if (match === null || match[1] === undefined) return undefined;
  return { id: match[1], cache: gatewayCacheStatus(match[2]) };
};
