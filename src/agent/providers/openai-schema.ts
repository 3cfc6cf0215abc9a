/**
 * Tool schemas for OpenAI's strict mode. Strict mode constrains decoding to the schema,
 * but accepts only a subset of JSON Schema:
 * - every object lists all its properties in `required` and sets `additionalProperties: false`,
 *   so an optional property becomes "this type or null" (and a null is dropped again before
 *   the call, see `dropNullOptionals`);
 * - no `default`, `minLength`/`maxLength`, `propertyNames`, `allOf`, `oneOf` or maps
 *   (`additionalProperties` with a schema): constraints it cannot enforce move into the
 *   description, where the model still reads them, and Argus validates every call anyway;
 * - the root is an object.
 * A schema that cannot be expressed (maps, `allOf`, `$ref`) is sent non-strict, unchanged.
 */

type Schema = Record<string, unknown>;

/** Keywords strict mode accepts as they are. */
const KEPT = new Set(["type", "description", "enum", "items", "properties", "required", "additionalProperties", "anyOf", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "title"]);
/** Keywords strict mode rejects, carried into the description so the model still sees them. */
const DESCRIBED = new Set(["default", "minLength", "maxLength", "minProperties", "maxProperties", "uniqueItems"]);

class NotStrict extends Error {}

function isObject(x: unknown): x is Schema {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function describe(node: Schema, extra: string[]): Schema {
  if (extra.length === 0) return node;
  const base = typeof node.description === "string" ? `${node.description} ` : "";
  return { ...node, description: `${base}(${extra.join("; ")})` };
}

function nullable(node: Schema): Schema {
  const { description, ...rest } = node;
  return { anyOf: [rest, { type: "null" }], ...(description !== undefined ? { description } : {}) };
}

function convert(node: Schema): Schema {
  const out: Schema = {};
  const notes: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (KEPT.has(key)) out[key] = value;
    else if (DESCRIBED.has(key)) notes.push(`${key}: ${JSON.stringify(value)}`);
    else if (key === "const") out.enum = [value];
    else if (key === "oneOf") out.anyOf = value;
    else throw new NotStrict(key);
  }
  if (Array.isArray(out.anyOf)) out.anyOf = out.anyOf.map((s) => convert(s as Schema));
  if (isObject(out.items)) out.items = convert(out.items);
  if (out.type === "object" || isObject(out.properties)) {
    if (out.additionalProperties !== undefined && out.additionalProperties !== false) throw new NotStrict("additionalProperties");
    const props = (out.properties ?? {}) as Record<string, Schema>;
    const required = new Set((out.required as string[] | undefined) ?? []);
    out.properties = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, required.has(k) ? convert(s) : nullable(convert(s))]));
    out.required = Object.keys(props);
    out.additionalProperties = false;
  }
  return describe(out, notes);
}

export interface OpenAiToolSchema {
  parameters: Schema;
  strict: boolean;
}

/** The strict form of a tool's input schema, or the schema as it is with strict off. */
export function openAiToolSchema(inputSchema: Schema, strict: boolean): OpenAiToolSchema {
  const root = { ...inputSchema, type: "object" };
  if (!strict) return { parameters: root, strict: false };
  try {
    return { parameters: convert(root), strict: true };
  } catch (e) {
    if (e instanceof NotStrict) return { parameters: root, strict: false };
    throw e;
  }
}

/**
 * Undoes the "optional → nullable" rewrite on a strict call's arguments: a null for a
 * property the original schema made optional (and did not allow to be null) is removed,
 * so Argus's own validation sees "absent", as the tool defines it.
 */
export function dropNullOptionals(args: unknown, original: Schema): unknown {
  if (Array.isArray(args)) return isObject(original.items) ? args.map((a) => dropNullOptionals(a, original.items as Schema)) : args;
  if (!isObject(args) || !isObject(original.properties)) return args;
  const props = original.properties as Record<string, Schema>;
  const required = new Set((original.required as string[] | undefined) ?? []);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    const schema = props[k];
    if (v === null && schema && !required.has(k) && !allowsNull(schema)) continue;
    out[k] = schema ? dropNullOptionals(v, schema) : v;
  }
  return out;
}

function allowsNull(schema: Schema): boolean {
  const t = schema.type;
  if (t === "null" || (Array.isArray(t) && t.includes("null"))) return true;
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  return Array.isArray(alternatives) && alternatives.some(allowsNull);
}
