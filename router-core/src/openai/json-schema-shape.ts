const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
/** Deeper schemas are someone's mistake, or an attack on the stack of whoever reads them next. */
export const MAX_SCHEMA_DEPTH = 64;

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'] as const;
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const SCHEMA_ONES = ['items', 'additionalProperties', 'not', 'contains'] as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Whether a JSON value nests objects and arrays deeper than `max` (iterative: no stack to blow). */
const nestsDeeperThan = (value: unknown, max: number): boolean => {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
};

/**
 * Where a tool's `parameters` (or a response format's `schema`) stops looking like JSON Schema,
 * as `[path, problem]`, or undefined when it is plausible. Structural only: `type` names a JSON
 * type, subschemas are objects (or booleans), `required` lists strings, `enum` is an array, and
 * the nesting stays under MAX_SCHEMA_DEPTH. Not a full meta-schema validation.
 */
export const jsonSchemaProblem = (
  schema: unknown,
  path: (string | number)[] = [],
): [(string | number)[], string] | undefined => {
  if (typeof schema === 'boolean' && path.length > 0) return undefined;
  if (!isObject(schema)) return [path, 'must be a JSON Schema object'];
  if (path.length === 0 && nestsDeeperThan(schema, MAX_SCHEMA_DEPTH)) {
    return [path, `nests deeper than ${MAX_SCHEMA_DEPTH} levels`];
  }
  const { type, required } = schema;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    const bad = types.find((t) => typeof t !== 'string' || !TYPES.has(t));
    if (types.length === 0 || bad !== undefined) {
      return [
        [...path, 'type'],
        `${JSON.stringify(bad) ?? '[]'} is not a JSON Schema type; use one of ${[...TYPES].join(', ')}`,
      ];
    }
  }
  if (
    required !== undefined &&
    !(Array.isArray(required) && required.every((r) => typeof r === 'string'))
  ) {
    return [[...path, 'required'], 'must be an array of property names'];
  }
  if (schema.enum !== undefined && !Array.isArray(schema.enum)) {
    return [[...path, 'enum'], 'must be an array'];
  }
  for (const key of SCHEMA_MAPS) {
    const map = schema[key];
    if (map === undefined) continue;
    if (!isObject(map)) return [[...path, key], 'must be an object of schemas'];
    for (const [name, child] of Object.entries(map)) {
      const problem = jsonSchemaProblem(child, [...path, key, name]);
      if (problem) return problem;
    }
  }
  for (const key of SCHEMA_LISTS) {
    const list = schema[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return [[...path, key], 'must be an array of schemas'];
    for (let i = 0; i < list.length; i++) {
      const problem = jsonSchemaProblem(list[i], [...path, key, i]);
      if (problem) return problem;
    }
  }
  for (const key of SCHEMA_ONES) {
    const child = schema[key];
    if (child === undefined) continue;
    const problem = jsonSchemaProblem(child, [...path, key]);
    if (problem) return problem;
  }
  return undefined;
};
