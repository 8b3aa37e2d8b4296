import { request } from 'node:http';
import type { FaultSpec, StatsSnapshot } from '@switchback/loadtests/sim';

/**
 * One control call on a connection of its own, closed afterwards: tests that count sockets must
 * not find the control API's keep-alive connections among them.
 */
const controlCall = (url: string, method: string, body?: unknown): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) {
            reject(new Error(`${method} ${url}: ${res.statusCode} ${text}`));
          } else resolve(text === '' ? undefined : JSON.parse(text));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });

/** The simulator's control API, as tests drive it. */
export const simControl = (simUrl: string) => {
  const call = (method: string, path: string, body?: unknown): Promise<unknown> =>
    controlCall(`${simUrl}${path}`, method, body);
  return {
    fault: (spec: FaultSpec) => call('POST', '/_sim/faults', spec),
    clearFaults: () => call('DELETE', '/_sim/faults'),
    reset: () => call('POST', '/_sim/reset'),
    stats: async () => (await call('GET', '/_sim/stats')) as StatsSnapshot,
  };
};

/** Sums a counter over all models of all targets (or of one target). */
export const total = (
  stats: StatsSnapshot,
  field: 'calls' | 'inFlight' | 'completed' | 'clientAborted' | 'faulted',
  target?: keyof StatsSnapshot['targets'],
): number => {
  let sum = 0;
  for (const [name, models] of Object.entries(stats.targets)) {
    if (target !== undefined && name !== target) continue;
    for (const counters of Object.values(models)) sum += counters[field];
  }
  return sum;
};
