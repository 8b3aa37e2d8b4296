/**
 * Values of a Durable Object's synchronous KV that may outgrow one key: a SQLite-backed object
 * refuses a key and value over 2 MB together, and a stored response (its output, and again its
 * conversation) or one of its stream's `done` events grows with the answer. A value whose JSON is
 * longer than `PART_CHARS` is kept as JSON text in parts beside its key, which holds only how
 * many; a smaller one is kept as it is.
 */

/** 512 Ki characters: at most 1 MiB serialised, even as two-byte characters. */
export const PART_CHARS = 512 * 1024;

type Parted = { readonly partedJson: number };

const isParted = (value: unknown): value is Parted =>
  typeof value === 'object' && value !== null && 'partedJson' in value;

/** Outside every other key's prefix (`event:`, `kept`, …), so listing a prefix never meets one. */
const partKey = (key: string, index: number) => `part\u0000${key}\u0000${index}`;

const partsOf = (stored: unknown): number => (isParted(stored) ? stored.partedJson : 0);

const dropParts = (kv: SyncKvStorage, key: string, from: number, to: number): void => {
  for (let i = from; i < to; i++) kv.delete(partKey(key, i));
};

/** Keeps `value` under `key`, in parts when its JSON is longer than `PART_CHARS`. */
export const putSized = (kv: SyncKvStorage, key: string, value: unknown): void => {
  const before = partsOf(kv.get(key));
  const json = JSON.stringify(value);
  const parts = json.length > PART_CHARS ? Math.ceil(json.length / PART_CHARS) : 0;
  for (let i = 0; i < parts; i++) {
    kv.put(partKey(key, i), json.slice(i * PART_CHARS, (i + 1) * PART_CHARS));
  }
  kv.put(key, parts === 0 ? value : ({ partedJson: parts } satisfies Parted));
  dropParts(kv, key, parts, before);
};

/** The value `stored` under `key` (as `get` or `list` gave it), its parts put back together. */
export const readSized = <T>(kv: SyncKvStorage, key: string, stored: unknown): T | undefined => {
  if (!isParted(stored)) return stored as T | undefined;
  let json = '';
  for (let i = 0; i < stored.partedJson; i++) json += kv.get<string>(partKey(key, i)) ?? '';
  return JSON.parse(json) as T;
};

/** The value under `key`, or undefined. */
export const getSized = <T>(kv: SyncKvStorage, key: string): T | undefined =>
  readSized<T>(kv, key, kv.get(key));

/** Deletes the value under `key` and its parts. */
export const deleteSized = (kv: SyncKvStorage, key: string): void => {
  dropParts(kv, key, 0, partsOf(kv.get(key)));
  kv.delete(key);
};
