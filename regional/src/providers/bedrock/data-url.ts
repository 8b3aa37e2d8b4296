import type { ImageFormat } from '@aws-sdk/client-bedrock-runtime';

const FORMATS: Record<string, ImageFormat> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** An image `data:` URL as Bedrock's format and bytes; undefined for anything else. */
export const imageFromDataUrl = (
  url: string,
): { format: ImageFormat; bytes: Uint8Array } | undefined => {
  const match = /^data:([a-z/+.-]+);base64,([A-Za-z0-9+/=\s]*)$/i.exec(url);
  if (!match) return undefined;
  const format = FORMATS[(match[1] ?? '').toLowerCase()];
  if (!format) return undefined;
  return { format, bytes: new Uint8Array(Buffer.from(match[2] ?? '', 'base64')) };
};
