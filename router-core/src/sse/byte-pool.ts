const SLAB = 16 * 1024;
const LARGE = SLAB / 4;

let slab = new Uint8Array(SLAB);
let used = 0;

/**
 * `size` fresh bytes for an SSE write, cut from a shared slab as Node's `Buffer.allocUnsafe`
 * does: a typed array of its own costs an ArrayBuffer per event (≈ 0.5 µs and garbage the
 * collector tracks apart), a slice of a slab a few dozen ns. A slice is never handed out twice
 * (a full slab is left to the slices that hold it), so bytes queued on a socket stay as written.
 * The bytes are not zeroed: the caller fills every one.
 */
export const takeBytes = (size: number): Uint8Array => {
  if (size > LARGE) return new Uint8Array(size);
  if (used + size > SLAB) {
    slab = new Uint8Array(SLAB);
    used = 0;
  }
  const bytes = slab.subarray(used, used + size);
  // Aligned to 8, as Node's pool is, so a slice never shares a word with the next one.
  used += (size + 7) & ~7;
  return bytes;
};

/** The bytes of `parts` one after another, in one piece. */
export const joinBytes = (parts: readonly Uint8Array[], size: number): Uint8Array => {
  const out = takeBytes(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
};
