import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';

/**
 * A Bedrock call through an AI Gateway, signed as AWS will see it: Cloudflare's docs sign the
 * `bedrock-runtime.<region>.amazonaws.com` URL and send the signed request to the gateway's, which
 * passes the signed headers on to AWS. `gatewayPath` is the gateway's path prefix for Bedrock
 * (`/v1/<account>/<gateway>/aws-bedrock/bedrock-runtime/<region>`); `headers` (the gateway's
 * cache headers) are added after signing, so the gateway may drop them without breaking it.
 */
export type GatewaySigning = {
  hostname: string;
  gatewayPath: string;
  headers: Record<string, string>;
};

/** The signing of a Bedrock provider behind the gateway at `baseUrl` (its Bedrock root). */
export const gatewaySigning = (
  baseUrl: string,
  region: string,
  headers: Record<string, string>,
): GatewaySigning => ({
  hostname: `bedrock-runtime.${region}.amazonaws.com`,
  gatewayPath: new URL(baseUrl).pathname.replace(/\/+$/, ''),
  headers,
});

/** The part of smithy's HttpRequest the signing middleware reads. */
type WireRequest = {
  hostname: string;
  path: string;
  port?: number | undefined;
  protocol: string;
  headers: Record<string, string>;
};

const isWireRequest = (value: unknown): value is WireRequest =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as WireRequest).hostname === 'string' &&
  typeof (value as WireRequest).path === 'string';

type Address = Pick<WireRequest, 'hostname' | 'path' | 'port' | 'protocol'> & { host?: string };

/** A middleware as smithy calls it, for whichever step it is added to. */
const middleware =
  (around: (args: { request: unknown }, context: object) => void) =>
  <A extends { request: unknown }, T>(next: (args: A) => Promise<T>, context: object) =>
  (args: A): Promise<T> => {
    around(args, context);
    return next(args);
  };

/**
 * Around the SDK's SigV4 middleware: before it, the request is pointed at AWS's host and path;
 * after it, back at the gateway's (where it is sent), with the gateway's headers. Per call, the
 * gateway's address is kept by the call's context.
 */
export const signForBedrockHost = (client: BedrockRuntimeClient, signing: GatewaySigning): void => {
  const addresses = new WeakMap<object, Address>();
  const toAws = middleware(({ request }, context) => {
    if (!isWireRequest(request) || !request.path.startsWith(signing.gatewayPath)) return;
    addresses.set(context, {
      hostname: request.hostname,
      path: request.path,
      port: request.port,
      protocol: request.protocol,
      ...(request.headers.host === undefined ? {} : { host: request.headers.host }),
    });
    request.hostname = signing.hostname;
    request.path = request.path.slice(signing.gatewayPath.length) || '/';
    request.port = undefined;
    request.protocol = 'https:';
    request.headers.host = signing.hostname;
  });
  const toGateway = middleware(({ request }, context) => {
    const address = addresses.get(context);
    if (address === undefined || !isWireRequest(request)) return;
    request.hostname = address.hostname;
    request.path = address.path;
    request.port = address.port;
    request.protocol = address.protocol;
    if (address.host === undefined) delete request.headers.host;
    else request.headers.host = address.host;
    Object.assign(request.headers, signing.headers);
  });
  const signer = 'httpSigningMiddleware';
  client.middlewareStack.addRelativeTo(toAws, {
    name: 'switchbackSignForBedrockHost',
    relation: 'before',
    toMiddleware: signer,
  });
  client.middlewareStack.addRelativeTo(toGateway, {
    name: 'switchbackSendToGateway',
    relation: 'after',
    toMiddleware: signer,
  });
};

type HeadersListener = (headers: { get(name: string): string | null }) => void;

/**
 * Tells each call's listener its response's headers (the gateway's cache status): `listen(input,
 * onHeaders)` before sending the command made of `input`.
 */
export const responseHeaders = (
  client: BedrockRuntimeClient,
): ((input: object, onHeaders: HeadersListener | undefined) => void) => {
  const listeners = new WeakMap<object, HeadersListener>();
  client.middlewareStack.add(
    <A extends { input: object }, T extends { response: unknown }>(next: (args: A) => Promise<T>) =>
      async (args: A): Promise<T> => {
        const out = await next(args);
        const response = out.response as
          | { headers?: Record<string, string | undefined> }
          | undefined;
        const headers = response?.headers ?? {};
        listeners.get(args.input)?.({
          get: (name) =>
            headers[name] ??
            Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1] ??
            null,
        });
        return out;
      },
    { step: 'deserialize', name: 'switchbackResponseHeaders' },
  );
  return (input, onHeaders) => {
    if (onHeaders !== undefined) listeners.set(input, onHeaders);
  };
};
