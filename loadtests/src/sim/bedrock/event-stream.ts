import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const JSON_TYPE = { type: 'string', value: 'application/json' } as const;

/** One `:message-type: event` message of AWS's binary event-stream framing. */
export const eventStreamEvent = (eventType: string, payload: unknown): Uint8Array =>
  codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': JSON_TYPE,
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });

/** An in-stream exception; the SDK throws it as the modelled error class. */
export const eventStreamException = (exceptionType: string, payload: unknown): Uint8Array =>
  codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': JSON_TYPE,
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';
