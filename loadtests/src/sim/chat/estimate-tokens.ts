/** Chat formats add a few tokens of framing per message (role, separators). */
export const MESSAGE_OVERHEAD_TOKENS = 4;
/** A flat guess for an image part; the simulator never looks at the pixels. */
export const IMAGE_TOKENS = 85;

/** The usual rule of thumb: about four characters per token. */
export const tokensForChars = (chars: number): number => Math.ceil(chars / 4);

/** Tokens of a JSON-ish value (tool definitions, tool calls) from its serialised length. */
export const tokensForValue = (value: unknown): number =>
  value === undefined ? 0 : tokensForChars(JSON.stringify(value)?.length ?? 0);
