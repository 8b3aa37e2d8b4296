/** `record[key]`, created with `make` the first time it is asked for. */
export const getOrInit = <V>(record: Record<string, V>, key: string, make: () => V): V => {
  const existing = record[key];
  if (existing !== undefined) return existing;
  const created = make();
  record[key] = created;
  return created;
};
