const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Base64url (no padding) of bytes. */
export const toBase64Url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};

/** The bytes of a base64url text (padding optional); throws on characters outside the alphabet. */
export const fromBase64Url = (text: string): Uint8Array => {
  const base64 = text.replaceAll('-', '+').replaceAll('_', '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
};

/** Base64url of a text's UTF-8. */
export const utf8ToBase64Url = (text: string): string => toBase64Url(encoder.encode(text));

/** The UTF-8 text of a base64url value. */
export const base64UrlToUtf8 = (value: string): string => decoder.decode(fromBase64Url(value));
