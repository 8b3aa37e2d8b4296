/** Whether `name` matches `pattern`, where `*` stands for any run of characters (no regex). */
export const globMatch = (pattern: string, name: string): boolean => {
  // Iterative wildcard matching with one backtrack point: linear-ish, never exponential.
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star !== -1) {
      p = star + 1;
      n = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
};

/** Whether any pattern matches `name`. */
export const globAny = (patterns: readonly string[], name: string): boolean =>
  patterns.some((pattern) => globMatch(pattern, name));
