import type {
  BedrockRuntimeClient,
  BedrockRuntimeClientConfig,
} from '@aws-sdk/client-bedrock-runtime';
import type { ChatCompletionChunk, ChatProvider } from '@switchback/router-core';
import { bedrockSdk } from '../sdk/sdks.ts';
import { bedrockFailure, streamExceptionError } from './bedrock-errors.ts';
import { converseChunks } from './converse-stream.ts';
import { fromConverse } from './from-converse.ts';
import { type GatewaySigning, responseHeaders, signForBedrockHost } from './gateway-signing.ts';
import { answerToolOf, toConverse } from './to-converse.ts';

export type BedrockSetup = {
  id: string;
  region: string;
  /** A custom endpoint (the simulator, a VPC endpoint); AWS's regional one when absent. */
  endpoint: string | undefined;
  credentials?: BedrockRuntimeClientConfig['credentials'];
  /** Behind an AI Gateway: signed for Bedrock's own host, sent to the gateway's. */
  gateway?: GatewaySigning | undefined;
};

const meta = (model: string, requestId: string) => ({
  id: `chatcmpl-${requestId}`,
  model,
  created: Math.floor(Date.now() / 1000),
});

/** AWS Bedrock through Converse / ConverseStream, with the SDK's own retries off. */
export const bedrockProvider = (setup: BedrockSetup): ChatProvider & { close(): void } => {
  const { id } = setup;
  // Made on the first call: the SDK itself is only imported then (sdk/sdks.ts).
  let client: BedrockRuntimeClient | undefined;
  let listen: ReturnType<typeof responseHeaders> = () => {};
  const sdkClient = async () => {
    const sdk = await bedrockSdk.load();
    if (client === undefined) {
      client = new sdk.BedrockRuntimeClient({
        region: setup.region,
        maxAttempts: 1,
        ...(setup.endpoint === undefined ? {} : { endpoint: setup.endpoint }),
        ...(setup.credentials === undefined ? {} : { credentials: setup.credentials }),
      });
      listen = responseHeaders(client);
      if (setup.gateway !== undefined) signForBedrockHost(client, setup.gateway);
    }
    return { sdk, client, listen };
  };

  return {
    id,
    kind: 'bedrock',
    close: () => client?.destroy(),
    async complete(request, call) {
      try {
        const input = toConverse(id, request, call.prefix);
        const { sdk, client, listen } = await sdkClient();
        listen(input, call.onResponseHeaders);
        const response = await client.send(new sdk.ConverseCommand(input), {
          abortSignal: call.signal,
        });
        return fromConverse(
          response,
          meta(request.model, call.requestId),
          answerToolOf(request)?.name,
        );
      } catch (thrown) {
        throw bedrockFailure(id, thrown, { signal: call.signal, streamed: false });
      }
    },
    async *stream(request, call): AsyncGenerator<ChatCompletionChunk> {
      let streamed = false;
      let finished = false;
      try {
        const input = toConverse(id, request, call.prefix);
        const { sdk, client, listen } = await sdkClient();
        listen(input, call.onResponseHeaders);
        const response = await client.send(new sdk.ConverseStreamCommand(input), {
          abortSignal: call.signal,
        });
        if (!response.stream) throw new Error('ConverseStream answered without a stream');
        const chunks = converseChunks(
          response.stream,
          meta(request.model, call.requestId),
          (e) => {
            throw streamExceptionError(id, e, streamed);
          },
          answerToolOf(request)?.name,
        );
        for await (const chunk of chunks) {
          if (chunk.choices.some((choice) => choice.finish_reason !== null)) finished = true;
          streamed = true;
          yield chunk;
        }
      } catch (thrown) {
        throw bedrockFailure(id, thrown, { signal: call.signal, streamed });
      }
      if (!finished) {
        // No messageStop: the stream was cut short, however politely it closed.
        throw bedrockFailure(id, new Error('the stream ended before messageStop'), {
          signal: call.signal,
          streamed,
        });
      }
    },
  };
};
