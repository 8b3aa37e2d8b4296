import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { BreakerKey } from '../../resilience/breaker-registry.ts';
import type { BreakerBus } from '../breaker-bus.ts';

type Message = BreakerKey & { from: string };

const isMessage = (value: unknown): value is Message => {
  const m = value as Partial<Message> | null;
  return (
    typeof m?.provider === 'string' &&
    typeof m.model === 'string' &&
    typeof m.backend === 'string' &&
    typeof m.from === 'string'
  );
};

/**
 * Breaker openings over Redis pub/sub: one subscriber connection per replica (ioredis
 * resubscribes after a reconnect), messages marked with this replica's id so it ignores its own.
 */
export const createRedisBreakerBus = async (
  client: Redis,
  prefix: string,
  onError: (error: unknown) => void,
): Promise<BreakerBus & { close(): void }> => {
  const channel = `${prefix}breakers`;
  const self = randomUUID();
  const subscriber = client.duplicate();
  subscriber.on('error', () => {});
  const listeners = new Set<(key: BreakerKey) => void>();
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!isMessage(message) || message.from === self) return;
    const { provider, model, backend } = message;
    for (const listener of listeners) listener({ provider, model, backend });
  });
  // On every (re)connect, the first included: a replica started while Redis was down subscribes
  // once it is back (ioredis resubscribes only what a live connection had subscribed).
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).catch(onError);
  });
  await subscriber.connect().catch(onError);
  return {
    async publish(key) {
      await client.publish(channel, JSON.stringify({ ...key, from: self })).catch(onError);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => subscriber.disconnect(),
  };
};
