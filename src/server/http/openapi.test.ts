import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ALL_TOOLS, createToolRegistry } from "../../../tools/index.js";
import { ToolRegistry } from "../../../tools/registry.js";
import { defineTool, READ_ONLY } from "../../../tools/spec.js";
import { ERROR_CODES } from "../../core/errors.js";
import { HTTP_STATUS } from "./errors.js";
import { buildOpenApi } from "./openapi.js";
import { HUMAN_ROUTES, RESOURCE_ROUTES } from "./routes.js";

type Json = Record<string, unknown>;
// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const registry = createToolRegistry();
/**
 * TEMPORARY: two routes name tools that are being added in parallel. Until they are
 * registered, the route table is filtered for the tests below (and the full-table test
 * is skipped); once they land, the filter is a no-op and the full-table test runs.
 */
const resourceRoutes = RESOURCE_ROUTES;
const doc = buildOpenApi(registry, { version: "9.9.9-test", serverUrl: "http://127.0.0.1:7420", resourceRoutes });

const paths = doc.paths as Record<string, Record<string, Json>>;
const components = doc.components as Record<string, Record<string, Json>>;

function op(path: string, method: string): Json {
  const o = paths[path]?.[method];
  if (!o) throw new Error(`no ${method.toUpperCase()} ${path} in the document`);
  return o;
}

/** Follows a local `$ref` (one level deep is all this document needs at the places tested). */
function deref(root: Json, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  expect(ref.startsWith("#/")).toBe(true);
  let cur: unknown = root;
  for (const token of ref.slice(2).split("/")) cur = (cur as Json)[token.replace(/~1/g, "/").replace(/~0/g, "~")];
  expect(cur, ref).toBeTypeOf("object");
  return deref(root, cur as Json);
}

function sortedKeys(o: unknown): string[] {
  return Object.keys((o ?? {}) as object).sort();
}
function sortedRequired(s: Json): string[] {
  return [...((s.required as string[] | undefined) ?? [])].sort();
}

/** JSON pointers of every schema in an OpenAPI document: components/schemas/* and every `schema` field. */
function schemaPointers(d: Json): string[] {
  const out: string[] = [];
  const esc = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");
  const walk = (node: unknown, ptr: string): void => {
    if (ptr === "/components/schemas") {
      for (const k of Object.keys(node as Json)) out.push(`${ptr}/${esc(k)}`);
      return;
    }
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${ptr}/${i}`));
    else if (typeof node === "object" && node !== null) {
      for (const [k, v] of Object.entries(node)) {
        if (k === "schema" && typeof v === "object" && v !== null) out.push(`${ptr}/schema`);
        else walk(v, `${ptr}/${esc(k)}`);
      }
    }
  };
  walk(d, "");
  return out;
}

/** Compiles every schema of the document with ajv (JSON Schema 2020-12, strict), refs resolved within the document. */
function compileAll(d: Json): { compiled: number; ajv: Ajv2020; id: string } {
  // strictTypes is off because nullable unions (`type: ["number", "null"]`) and the error
  // responses' narrowing `{properties: …}` without a `type` are valid 2020-12; strictRequired
  // is off because zod lists enum-keyed record keys in `required` without `properties`.
  const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  addFormats(ajv);
  const id = "urn:argus:openapi";
  // The document is the root the schemas' "#/components/schemas/..." refs point into; its
  // OpenAPI fields are declared as inert keywords so strict mode still rejects unknown
  // keywords inside the schemas themselves.
  for (const keyword of Object.keys(d)) ajv.addKeyword({ keyword });
  ajv.addSchema({ ...structuredClone(d), $id: id }, id, undefined, false);
  const pointers = schemaPointers(d);
  for (const p of pointers) ajv.compile({ $ref: `${id}#${p}` });
  return { compiled: pointers.length, ajv, id };
}

describe("buildOpenApi", () => {
  it("is a valid OpenAPI 3.1 document whose every $ref resolves", async () => {
    const validator = new Validator();
    const res = await validator.validate(structuredClone(doc));
    expect(res.errors).toBeUndefined();
    expect(res.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toMatchObject({ title: "Argus REST API", version: "9.9.9-test" });
    expect(doc.servers).toEqual([expect.objectContaining({ url: "http://127.0.0.1:7420" })]);
    expect(JSON.stringify(doc)).not.toMatch(/"\$ref":"#\/\$defs|"\$defs"|"\$schema"/);
  });

  it("the validator really rejects broken documents", async () => {
    const noInfo = structuredClone(doc);
    delete noInfo.info;
    expect((await new Validator().validate(noInfo)).valid).toBe(false);

    const unknownField = { ...structuredClone(doc), bogus: true };
    expect((await new Validator().validate(unknownField)).valid).toBe(false);

    const badParameter = structuredClone(doc) as { paths: Record<string, Record<string, { parameters: Json[] }>> };
    badParameter.paths["/api/v1/bars/{symbol}"]!.get!.parameters[1]!.in = "body";
    expect((await new Validator().validate(badParameter)).valid).toBe(false);

    const danglingRef = structuredClone(doc) as { components: { schemas: Json } };
    delete danglingRef.components.schemas.GetBarsOutput;
    const r = await new Validator().validate(danglingRef);
    expect(r.valid).toBe(false);
    expect(String(r.errors)).toMatch(/GetBarsOutput/);
  });

  it("every schema compiles with ajv's 2020-12 dialect, and a broken ref does not", () => {
    const { compiled } = compileAll(doc);
    expect(compiled).toBeGreaterThan(ALL_TOOLS.length * 2);

    const broken = structuredClone(doc) as { components: { schemas: Json } };
    delete broken.components.schemas.RunBacktestInput_schema1;
    expect(() => compileAll(broken as Json)).toThrow(/resolve|reference/i);
  });

  it("serves every tool exactly once as POST /api/v1/tools/<name> with the registry's schemas", () => {
    const toolPosts = Object.entries(paths).filter(([p, item]) => p.startsWith("/api/v1/tools/") && item.post);
    expect(toolPosts.map(([p]) => p.slice("/api/v1/tools/".length)).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    expect(new Set(registry.list().map((d) => d.name)).size).toBe(ALL_TOOLS.length);

    for (const d of registry.list()) {
      const post = op(`/api/v1/tools/${d.name}`, "post");
      expect(post.operationId).toBe(d.name);
      expect(post.summary).toBe(d.title);
      expect(post.description).toBe(d.description);
      expect(post.tags).toHaveLength(1);

      const body = post.requestBody as { content: Record<string, { schema: Json }> };
      const input = deref(doc, body.content["application/json"]!.schema);
      expect(sortedKeys(input.properties), d.name).toEqual(sortedKeys(d.inputSchema.properties));
      expect(sortedRequired(input), d.name).toEqual(sortedRequired(d.inputSchema));

      const ok = (post.responses as Record<string, Json>)["200"] as { content: Record<string, { schema: Json }> };
      const envelope = ok.content["application/json"]!.schema as { required: string[]; properties: Record<string, Json> };
      expect(envelope.required).toEqual(["result", "text"]);
      expect(sortedKeys(envelope.properties)).toEqual(["images", "result", "text"]);
      const output = deref(doc, envelope.properties.result!);
      expect(sortedKeys(output.properties), d.name).toEqual(sortedKeys(d.outputSchema.properties));
      expect(sortedRequired(output), d.name).toEqual(sortedRequired(d.outputSchema));
    }
  });

  it("tags tools by the area they are defined in", () => {
    const tagOf = (name: string) => (op(`/api/v1/tools/${name}`, "post").tags as string[])[0];
    expect(tagOf("get_bars")).toBe("data");
    expect(tagOf("analyze_ticker")).toBe("analysis");
    expect(tagOf("get_company")).toBe("edgar");
    expect(tagOf("propose_order")).toBe("execution");
    expect(tagOf("run_backtest")).toBe("backtest");
    const declared = new Set((doc.tags as { name: string }[]).map((t) => t.name));
    for (const item of Object.values(paths)) for (const o of Object.values(item)) for (const t of o.tags as string[]) expect(declared).toContain(t);
  });

  it("documents the error envelope and one shared response per status in HTTP_STATUS", () => {
    const error = components.schemas!.Error as { properties: { error: { properties: { code: { enum: string[] } } } } };
    expect(error.properties.error.properties.code.enum).toEqual(Object.keys(ERROR_CODES));

    const statuses = [...new Set(Object.values(HTTP_STATUS))].sort();
    const responses = Object.values(components.responses!) as { description: string; headers: Json }[];
    expect(responses).toHaveLength(statuses.length);
    for (const s of [400, 401, 403, 404, 409, 413, 422, 429, 500]) expect(statuses).toContain(s);

    const getBars = op("/api/v1/tools/get_bars", "post").responses as Record<string, Json>;
    expect(sortedKeys(getBars)).toEqual(["200", ...statuses.map(String)].sort());
    const tooMany = deref(doc, getBars["429"]!) as { headers: Json; description: string };
    expect(sortedKeys(tooMany.headers)).toContain("Retry-After");
    expect(tooMany.description).toMatch(/RATE_LIMITED/);
    const notFound = deref(doc, getBars["404"]!) as { content: Record<string, { schema: { allOf: Json[] } }> };
    const narrowed = JSON.stringify(notFound.content["application/json"]!.schema.allOf[1]);
    expect(narrowed).toMatch(/UNKNOWN_SYMBOL/);
    expect(narrowed).not.toMatch(/INVALID_INPUT/);
  });

  it("serves every resource route as GET with path and query parameters from the tool's input", () => {
    for (const r of resourceRoutes) {
      const path = `/api/v1${r.path.replace(/:(\w+)/g, "{$1}")}`;
      const get = op(path, "get");
      expect(get["x-argus-tool"]).toBe(r.tool);
      expect(get.summary).toBe(r.summary);
      const params = (get.parameters ?? []) as Json[];
      const d = registry.list().find((t) => t.name === r.tool)!;
      expect(params.map((p) => p.name).sort()).toEqual(sortedKeys(d.inputSchema.properties));
      for (const p of params) {
        if (r.path.includes(`:${String(p.name)}`)) expect(p).toMatchObject({ in: "path", required: true });
        else expect(p.in).toBe("query");
      }
    }

    const bars = op("/api/v1/bars/{symbol}", "get");
    const params = bars.parameters as Json[];
    expect(params.find((p) => p.name === "symbol")).toMatchObject({ in: "path", required: true, schema: { type: "string" } });
    const query = params.filter((p) => p.in === "query");
    expect(query.map((p) => p.name)).toEqual(expect.arrayContaining(["timeframe", "from", "to", "limit"]));
    expect(query.every((p) => p.required === false)).toBe(true);
    expect(query.find((p) => p.name === "limit")).toMatchObject({ schema: { type: "integer" } });

    const orders = (op("/api/v1/orders", "get").parameters as Json[]).find((p) => p.name === "symbols");
    expect(orders).toMatchObject({ in: "query", style: "form", explode: false, schema: { type: "array" } });
  });

  it("serves every human route with the right security, and the event stream as text/event-stream", () => {
    for (const r of HUMAN_ROUTES) {
      const o = op(`/api/v1${r.path.replace(/:(\w+)/g, "{$1}")}`, r.method);
      const schemes = (o.security as Json[]).flatMap((s) => Object.keys(s)).sort();
      expect(schemes, r.path).toEqual(r.role === "approver" ? ["approverToken", "consoleSession"] : ["approverToken", "clientToken", "consoleSession"]);
      if (r.body) expect((o.requestBody as { content: Json }).content).toHaveProperty(["application/json"]);
      const ok = (o.responses as Record<string, { content: Json }>)["200"]!;
      expect(sortedKeys(ok.content)).toEqual([r.stream ? "text/event-stream" : "application/json"]);
      if (r.method !== "get") expect(JSON.stringify(o.parameters)).toMatch(/CsrfToken/);
    }
    const approve = op("/api/v1/approvals/{proposalId}", "post");
    const decision = deref(doc, (approve.requestBody as { content: Record<string, { schema: Json }> }).content["application/json"]!.schema);
    expect(sortedKeys(decision.properties)).toEqual(["approver", "decision", "reason"]);
    expect(decision.required).toEqual(["decision"]);

    const audit = (op("/api/v1/audit", "get").parameters as Json[]).map((p) => p.name);
    expect(audit).toEqual(["kind", "subject", "beforeSeq", "afterSeq", "limit"]);
  });

  it("documents the console sign-in and the three security schemes", () => {
    const login = op("/console/login", "post");
    expect(login.security).toEqual([]);
    const loginSchema = deref(doc, (login.requestBody as { content: Record<string, { schema: Json }> }).content["application/json"]!.schema);
    expect(loginSchema.required).toEqual(["token"]);
    const ok = (login.responses as Record<string, { headers: Json; content: Record<string, { schema: Json }> }>)["200"]!;
    expect(ok.headers).toHaveProperty("Set-Cookie");
    expect(sortedKeys(deref(doc, ok.content["application/json"]!.schema).properties)).toEqual(["csrfToken", "expiresAt", "now"]);
    op("/console/session", "get");
    op("/console/logout", "post");

    expect(components.securitySchemes).toMatchObject({
      clientToken: { type: "http", scheme: "bearer" },
      approverToken: { type: "http", scheme: "bearer" },
      consoleSession: { type: "apiKey", in: "cookie", name: "argus_console" },
    });
    expect(components.parameters!.CsrfToken).toMatchObject({ name: "X-CSRF-Token", in: "header" });
    expect(op("/api/v1/tools/get_bars", "post").security).toEqual([{ clientToken: [] }, { approverToken: [] }, { consoleSession: [] }]);
    expect(op("/api/v1/tools", "get").security).toEqual([{ clientToken: [] }, { approverToken: [] }, { consoleSession: [] }]);
    expect(op("/api/v1/openapi.json", "get").security).toEqual([]);
  });

  it("has unique operationIds and is deterministic", () => {
    const ids = Object.values(paths).flatMap((item) => Object.values(item).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const again = buildOpenApi(createToolRegistry(), { version: "9.9.9-test", serverUrl: "http://127.0.0.1:7420", resourceRoutes });
    expect(JSON.stringify(again)).toBe(JSON.stringify(doc));
  });

  it("builds with the router's full route table", () => {
    expect(() => buildOpenApi(registry, { version: "1" })).not.toThrow();
  });

  it("fails the build when a route drifts from the tools", () => {
    expect(() => buildOpenApi(registry, { version: "1", resourceRoutes: [{ path: "/nope", tool: "no_such_tool", summary: "x" }] })).toThrow(
      /no_such_tool.*not in the registry/,
    );
    expect(() => buildOpenApi(registry, { version: "1", resourceRoutes: [{ path: "/bars/:ticker", tool: "get_bars", summary: "x" }] })).toThrow(
      /"ticker" that get_bars does not take/,
    );
  });

  it("leaves object-valued arguments out of a resource's query string", () => {
    const objTool = defineTool({
      name: "obj_tool",
      title: "Obj",
      description: "Mixed argument kinds, for the generator.",
      input: z.object({ symbol: z.string(), tags: z.array(z.string()).optional(), opts: z.object({ deep: z.boolean() }).optional() }),
      output: z.object({ ok: z.boolean() }),
      annotations: READ_ONLY,
      run: () => ({ ok: true }),
      summarize: () => "ok",
    });
    const small = buildOpenApi(new ToolRegistry([objTool as never]), {
      version: "1",
      resourceRoutes: [{ path: "/obj/:symbol", tool: "obj_tool", summary: "x" }],
      humanRoutes: [],
    });
    const get = (small.paths as Record<string, Record<string, Json>>)["/api/v1/obj/{symbol}"]!.get!;
    expect((get.parameters as Json[]).map((p) => [p.name, p.in])).toEqual([
      ["symbol", "path"],
      ["tags", "query"],
    ]);
    expect(get.description).toMatch(/`opts`.*POST/);
    expect(get.tags).toEqual(["read"]); // not defined in an area module: tagged by its annotations
  });

  it("hoists zod's $defs so recursive schemas resolve inside the document", async () => {
    // run_backtest's condition trees are recursive: zod emits $defs for them.
    const rb = components.schemas!.RunBacktestInput!;
    expect(JSON.stringify(rb)).toMatch(/#\/components\/schemas\/RunBacktestInput_schema1/);

    // A root that refers to itself ("$ref": "#") and a named (.meta({id})) schema.
    const Symbol_ = z.string().min(1).meta({ id: "TickerSymbol" });
    const Tree: z.ZodType = z.object({
      name: Symbol_,
      get kids() {
        return z.array(Tree).optional();
      },
    });
    const treeInput = z.object({
      name: Symbol_,
      get kids() {
        return z.array(Tree).optional();
      },
    });
    const treeTool = defineTool({
      name: "tree_tool",
      title: "Tree",
      description: "Recursive input, for the generator.",
      input: treeInput,
      output: z.object({ count: z.number() }),
      annotations: READ_ONLY,
      run: () => ({ count: 0 }),
      summarize: (o) => String(o.count),
    });
    const raw = z.toJSONSchema(treeInput, { io: "input", unrepresentable: "any" });
    expect(JSON.stringify(raw)).toMatch(/"\$defs"/);

    const small = buildOpenApi(new ToolRegistry([treeTool as never]), { version: "1", resourceRoutes: [], humanRoutes: [] });
    const res = await new Validator().validate(structuredClone(small));
    expect(res.errors).toBeUndefined();
    expect(JSON.stringify(small)).not.toMatch(/"\$defs"|"#\/\$defs|"\$ref":"#"/);

    const { ajv, id } = compileAll(small);
    const validate = ajv.compile({ $ref: `${id}#/components/schemas/TreeToolInput` });
    expect(validate({ name: "A", kids: [{ name: "B", kids: [{ name: "C" }] }] })).toBe(true);
    expect(validate({ name: "A", kids: [{ name: "B", kids: [{ name: "" }] }] })).toBe(false);
    expect(validate({ name: "A", kids: [{ kids: [] }] })).toBe(false);
  });
});
