import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { NodeSha256, verifySigV4 } from './verify-sigv4.ts';

const AWS = 'bedrock-runtime.us-east-1.amazonaws.com';
const PATH = '/model/anthropic.claude-3-haiku%3A0/converse';
const body = Buffer.from('{"messages":[]}');

/** A request signed as the Bedrock SDK signs it, for `hostname` and `path`. */
const signed = async (accessKeyId: string, hostname: string, path: string) => {
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: 'local' },
    region: 'us-east-1',
    service: 'bedrock',
    sha256: NodeSha256,
  });
  const out = await signer.sign({
    method: 'POST',
    protocol: 'https:',
    hostname,
    path,
    headers: { host: hostname, 'content-type': 'application/json' },
    body,
  });
  return { method: 'POST', headers: out.headers, body };
};

describe('the gateway’s SigV4 check', () => {
  it('holds for the host and path the request was signed for, and not for another', async () => {
    const forAws = await signed('local', AWS, PATH);
    expect(await verifySigV4(forAws, { hostname: AWS, path: PATH })).toEqual({ kind: 'valid' });
    const forGateway = await signed(
      'local',
      '127.0.0.1',
      `/gateway/v1/local/gw/aws-bedrock/bedrock-runtime/us-east-1${PATH}`,
    );
    expect(await verifySigV4(forGateway, { hostname: AWS, path: PATH })).toMatchObject({
      kind: 'invalid',
    });
    expect(
      await verifySigV4({ ...forAws, body: Buffer.from('{}') }, { hostname: AWS, path: PATH }),
    ).toMatchObject({
      kind: 'invalid',
    });
  });

  it('cannot check a key whose secret it does not know, and refuses no signature', async () => {
    expect(
      await verifySigV4(await signed('AKIAOTHER', AWS, PATH), { hostname: AWS, path: PATH }),
    ).toEqual({
      kind: 'unchecked',
    });
    expect(
      await verifySigV4({ method: 'POST', headers: {}, body }, { hostname: AWS, path: PATH }),
    ).toMatchObject({
      kind: 'invalid',
    });
  });
});
