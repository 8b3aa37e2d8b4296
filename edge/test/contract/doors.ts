// The two front doors the contract suite sends the same requests to: the edge Worker as
// deployed (in this workerd) and regional as the front door (`switchback serve`'s app, started
// in Node by test/node/global-setup.ts on the same example config).
import { inject } from 'vitest';
import { type Call, callWorker, requestOf } from '../helpers.ts';

export type Door = { name: 'edge' | 'regional'; call(call: Call): Promise<Response> };

const regional = async (call: Call): Promise<Response> => {
  const request = requestOf(call);
  const url = new URL(request.url);
  return fetch(`${inject('regionalUrl')}${url.pathname}${url.search}`, request);
};

export const DOORS: readonly Door[] = [
  { name: 'edge', call: callWorker },
  { name: 'regional', call: regional },
];
