import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** The credentials the simulator knows the secret of: the local stack's Bedrock key. */
const KNOWN_SECRETS: Record<string, string> = { local: 'local' };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): Buffer | string =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 and HMAC-SHA-256 in SignatureV4's `Checksum` shape, over node:crypto. */
export class NodeSha256 {
  readonly #secret: Buffer | string | undefined;
  #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
    this.#hash = this.#fresh();
  }
  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {
    this.#hash = this.#fresh();
  }
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(',') : value;

/** `YYYYMMDDTHHMMSSZ` (x-amz-date) as a Date. */
const amzDate = (value: string): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m === null ? undefined : new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
};

export type SigV4Check =
  | { kind: 'valid' }
  | { kind: 'unchecked' }
  | { kind: 'invalid'; why: string };

/**
 * Whether a SigV4 signature holds for the request as it is forwarded to `to` (AWS's host and
 * path: an AI Gateway passes the signed headers on and calls the provider's own URL). Signed for
 * a credential whose secret the simulator does not know: `unchecked`.
 */
export const verifySigV4 = async (
  request: { method: string; headers: IncomingHttpHeaders; body: Buffer },
  to: { hostname: string; path: string },
): Promise<SigV4Check> => {
  const authorization = header(request.headers.authorization) ?? '';
  const match = AUTHORIZATION.exec(authorization);
  if (match === null) return { kind: 'invalid', why: 'no SigV4 authorization header' };
  const [, accessKeyId = '', , region = '', service = '', signedList = ''] = match;
  const secret = KNOWN_SECRETS[accessKeyId];
  if (secret === undefined) return { kind: 'unchecked' };
  const signingDate = amzDate(header(request.headers['x-amz-date']) ?? '');
  if (signingDate === undefined) return { kind: 'invalid', why: 'no x-amz-date' };
  const contentSha = header(request.headers['x-amz-content-sha256']);
  if (
    contentSha !== undefined &&
    contentSha !== 'UNSIGNED-PAYLOAD' &&
    contentSha !== createHash('sha256').update(request.body).digest('hex')
  ) {
    return { kind: 'invalid', why: 'x-amz-content-sha256 does not match the body' };
  }
  const signed = signedList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signed) {
    headers[name] = name === 'host' ? to.hostname : (header(request.headers[name]) ?? '');
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: secret },
    region,
    service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'https:',
      hostname: to.hostname,
      path: to.path,
      query: {},
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(signed) },
  );
  return expected.headers.authorization === authorization
    ? { kind: 'valid' }
    : { kind: 'invalid', why: `the signature does not hold for ${to.hostname}${to.path}` };
};
