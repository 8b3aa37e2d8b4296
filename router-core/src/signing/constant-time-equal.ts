const encoder = new TextEncoder();

/**
 * Equality of two strings in time that depends only on their lengths: a signature compare must
 * not leak how many leading characters matched.
 */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  let diff = left.length ^ right.length;
  const length = Math.max(left.length, right.length);
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
};
