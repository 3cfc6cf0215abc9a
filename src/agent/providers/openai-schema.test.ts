import { describe, expect, it } from "vitest";
import { createToolRegistry } from "../../../tools/index.js";
import { dropNullOptionals, openAiToolSchema } from "./openai-schema.js";

type Schema = Record<string, unknown>;

/** OpenAI's strict-mode rules, checked independently of the converter. */
function strictViolations(node: unknown, path = "$"): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => strictViolations(n, `${path}[${i}]`));
  if (typeof node !== "object" || node === null) return [];
  const s = node as Schema;
  const out: string[] = [];
  for (const bad of ["default", "minLength", "maxLength", "oneOf", "allOf", "$ref", "propertyNames", "const"]) if (bad in s) out.push(`${path}: ${bad}`);
  if (s.properties) {
    const keys = Object.keys(s.properties as Schema);
    if (s.additionalProperties !== false) out.push(`${path}: additionalProperties is not false`);
    const required = (s.required as string[] | undefined) ?? [];
    for (const k of keys) if (!required.includes(k)) out.push(`${path}: ${k} not required`);
    for (const [k, v] of Object.entries(s.properties as Schema)) out.push(...strictViolations(v, `${path}.${k}`));
  }
  if (s.items) out.push(...strictViolations(s.items, `${path}[]`));
  if (s.anyOf) out.push(...strictViolations(s.anyOf, `${path}|`));
  return out;
}

const registry = createToolRegistry();

describe("OpenAI strict tool schemas", () => {
  const converted = registry.list().map((d) => ({ d, s: openAiToolSchema(d.inputSchema, true) }));

  it("converts every tool it can to a schema strict mode accepts, and says which it could not", () => {
    for (const { d, s } of converted) if (s.strict) expect(strictViolations(s.parameters), d.name).toEqual([]);
    const loose = converted.filter((c) => !c.s.strict).map((c) => c.d.name);
    // Maps and recursive/union configurations cannot be strict; everything else is.
    expect(loose).toEqual(["run_backtest"]);
    expect(converted.filter((c) => c.s.strict).length).toBe(registry.list().length - 1);
  });

  it("keeps what strict mode drops in the description, so the model still reads it", () => {
    const s = converted.find((c) => c.d.name === "propose_order")!.s.parameters as { properties: Record<string, Schema> };
    expect(s.properties.type!.description).toContain('default: "market"');
    expect(s.properties.symbol!.description).toMatch(/maxLength: 16/);
    // Optional becomes "or null"; required stays as it is.
    expect(s.properties.qty!.anyOf).toEqual([expect.objectContaining({ type: "number" }), { type: "null" }]);
    expect(s.properties.side!.enum).toEqual(["buy", "sell"]);
  });

  it("a strict call with nulls for every optional field validates as the tool defines it once nulls are dropped", () => {
    for (const { d, s } of converted.filter((c) => c.s.strict)) {
      const props = (s.parameters.properties ?? {}) as Record<string, Schema>;
      const original = d.inputSchema as { required?: string[] };
      // Only tools whose required fields are all simple strings can be filled blindly here.
      const required = original.required ?? [];
      const args: Record<string, unknown> = Object.fromEntries(Object.keys(props).map((k) => [k, null]));
      if (required.length > 0) continue;
      const cleaned = dropNullOptionals(args, d.inputSchema);
      const parsed = registry.get(d.name)!.input.safeParse(cleaned);
      expect(parsed.success, `${d.name}: ${parsed.error?.message}`).toBe(true);
    }
    const order = dropNullOptionals({ symbol: "AAA.DEMO", side: "buy", qty: 5, notional: null, limitPrice: null, rationale: null }, registry.list().find((d) => d.name === "propose_order")!.inputSchema);
    expect(order).toEqual({ symbol: "AAA.DEMO", side: "buy", qty: 5 });
    expect(registry.get("propose_order")!.input.safeParse(order).success).toBe(true);
  });

  it("sends the schema unchanged with strict off", () => {
    const d = registry.list()[0]!;
    expect(openAiToolSchema(d.inputSchema, false)).toEqual({ parameters: { ...d.inputSchema, type: "object" }, strict: false });
  });
});
