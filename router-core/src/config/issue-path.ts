/** A zod issue path as people write it: `tenants[0].keys[1].sha256`; the root is `(root)`. */
export const formatIssuePath = (path: readonly PropertyKey[]): string => {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const name = String(part);
      out += /^[A-Za-z_$][\w$-]*$/.test(name)
        ? `${out === '' ? '' : '.'}${name}`
        : `[${JSON.stringify(name)}]`;
    }
  }
  return out === '' ? '(root)' : out;
};
