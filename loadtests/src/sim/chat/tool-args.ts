const MAX_DEPTH = 6;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const firstType = (type: unknown): string | undefined => {
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const nonNull = type.find((t) => typeof t === 'string' && t !== 'null');
    return typeof nonNull === 'string' ? nonNull : undefined;
  }
  return undefined;
};

const sampleValue = (schema: unknown, depth: number): unknown => {
  if (!isRecord(schema)) return 'sample';
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return sampleValue(options[0], depth);
  }
  const type = firstType(schema.type) ?? (isRecord(schema.properties) ? 'object' : 'string');
  switch (type) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return [];
    case 'object':
      return depth >= MAX_DEPTH ? {} : sampleArguments(schema, depth + 1);
    default:
      return 'sample';
  }
};

/**
 * Arguments a model might produce for a function: every required parameter of the JSON Schema
 * filled with a sample of its type (string "sample", number 1 or its minimum, boolean true,
 * array [], nested objects likewise, enums their first value). Optional parameters are left out.
 */
export const sampleArguments = (schema: unknown, depth = 0): Record<string, unknown> => {
  const args: Record<string, unknown> = {};
  if (!isRecord(schema) || !Array.isArray(schema.required)) return args;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  for (const name of schema.required) {
    if (typeof name === 'string') args[name] = sampleValue(properties[name], depth);
  }
  return args;
};
