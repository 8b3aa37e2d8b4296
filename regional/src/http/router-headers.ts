import { compactionHeader, gatewayHopHeader, rateLimitHeaders } from '@switchback/router-core';
import { type RequestRecord, servedGateway } from './request-record.ts';

/**
 * The `x-router-*` headers of an answer (or of an error, as far as the request got), and OpenAI's
 * `x-ratelimit-*` once the quota was drawn from (429 included).
 */
export const routerHeaders = (
  record: RequestRecord,
  options: { final: boolean },
  /** The headers to add them to (in this order after those), a new object by default. */
  headers: Record<string, string> = {},
): Record<string, string> => {
  headers['x-request-id'] = record.requestId;
  const limits = rateLimitHeaders(record.quota?.snapshot);
  for (const name in limits) headers[name] = limits[name] as string;
  if (record.tier) headers['x-router-tier'] = record.tier;
  if (record.provider) headers['x-router-provider'] = record.provider;
  if (record.model) headers['x-router-model'] = record.model;
  if (record.reasons.length > 0) headers['x-router-reasons'] = record.reasons.join(',');
  const compaction = record.compaction && compactionHeader(record.compaction);
  if (compaction) headers['x-router-compaction'] = compaction;
  const gateway = servedGateway(record);
  if (gateway) headers['x-router-gateway'] = gatewayHopHeader(gateway);
  const timing = record.budgets?.serverTiming(options);
  if (timing) headers['server-timing'] = timing;
  return headers;
};
