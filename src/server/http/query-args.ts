import { ArgusError } from "../../core/errors.js";

type JsonSchema = { type?: string | string[]; items?: JsonSchema; anyOf?: JsonSchema[]; properties?: Record<string, JsonSchema> };

function typesOf(schema: JsonSchema): Set<string> {
  const out = new Set<string>();
  if (typeof schema.type === "string") out.add(schema.type);
  else if (Array.isArray(schema.type)) for (const t of schema.type) out.add(t);
  for (const alt of schema.anyOf ?? []) for (const t of typesOf(alt)) out.add(t);
  return out;
}

function scalar(raw: string, schema: JsonSchema): unknown {
  const types = typesOf(schema);
  if ((types.has("number") || types.has("integer")) && !types.has("string") && raw.trim() !== "" && Number.isFinite(Number(raw))) return Number(raw);
  if (types.has("boolean") && !types.has("string")) {
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
  }
  return raw; // left as text: the tool's own validation names what is wrong with it
}

/**
 * A query string as tool arguments, typed by the tool's input JSON Schema: numbers and
 * booleans are converted, arrays are comma-separated (or repeated). Unknown parameters
 * are an error rather than ignored, so a typo like `?limt=5` is caught, not silently dropped.
 */
export function queryToArgs(query: Record<string, unknown>, inputSchema: Record<string, unknown>, tool: string): Record<string, unknown> {
  const properties = (inputSchema as JsonSchema).properties ?? {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const prop = properties[key];
    if (!prop) {
      throw new ArgusError("INVALID_INPUT", `Unknown query parameter "${key}" for ${tool}; it accepts: ${Object.keys(properties).join(", ") || "none"}.`);
    }
    const raws = (Array.isArray(value) ? value : [value]).map(String);
    if (typesOf(prop).has("array")) {
      args[key] = raws.flatMap((r) => r.split(",")).filter((r) => r !== "").map((r) => scalar(r, prop.items ?? {}));
    } else {
      args[key] = scalar(raws.at(-1)!, prop);
    }
  }
  return args;
}
