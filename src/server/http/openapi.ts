import { z } from "zod";
import * as analysisLogTools from "../../../tools/analysis/analysis-log-tools.js";
import * as analyzeTickerTools from "../../../tools/analysis/analyze-ticker.js";
import * as chartTickerTools from "../../../tools/analysis/chart-ticker.js";
import * as explainSignalTools from "../../../tools/analysis/explain-signal.js";
import * as getIndicatorsTools from "../../../tools/analysis/get-indicators.js";
import * as researchTools from "../../../tools/analysis/research-tools.js";
import * as backtestTools from "../../../tools/backtest/backtest-tools.js";
import * as checkDataQualityTools from "../../../tools/data/check-data-quality.js";
import * as getBarsTools from "../../../tools/data/get-bars.js";
import * as getLatestPriceTools from "../../../tools/data/get-latest-price.js";
import * as getMarketStatusTools from "../../../tools/data/get-market-status.js";
import * as getTradingCalendarTools from "../../../tools/data/get-trading-calendar.js";
import * as importBarsCsvTools from "../../../tools/data/import-bars-csv.js";
import * as listSymbolsTools from "../../../tools/data/list-symbols.js";
import * as companyTools from "../../../tools/edgar/company-tools.js";
import * as factorTools from "../../../tools/edgar/factor-tools.js";
import * as ownershipTools from "../../../tools/edgar/ownership-tools.js";
import * as signalTools from "../../../tools/edgar/signal-tools.js";
import * as statementTools from "../../../tools/edgar/statement-tools.js";
import * as accountTools from "../../../tools/execution/account-tools.js";
import * as orderTools from "../../../tools/execution/order-tools.js";
import { TOOL_AREAS, toolArea } from "../../../tools/index.js";
import type { ToolRegistry } from "../../../tools/registry.js";
import { ERROR_CODES, type ErrorCode } from "../../core/errors.js";
import { SESSION_COOKIE } from "./auth.js";
import { HTTP_STATUS } from "./errors.js";
import { HUMAN_ROUTES, RESOURCE_ROUTES, loginBody, type HumanRoute, type ResourceRoute } from "./routes.js";

/**
 * The REST API's OpenAPI 3.1 document, generated from the same zod schemas and route
 * tables the router uses, so the document cannot drift from what the server validates.
 * Pure and deterministic: the same registry and options give the same JSON; the server
 * builds it once and caches it.
 */

type Json = Record<string, unknown>;

export interface OpenApiOptions {
  /** `info.version`, normally PACKAGE_VERSION. */
  version: string;
  /** The server's base URL (e.g. `http://127.0.0.1:7420`); default `/` (same origin). */
  serverUrl?: string;
  /** Route tables; default the router's own (overridable for tests). */
  resourceRoutes?: readonly ResourceRoute[];
  humanRoutes?: readonly HumanRoute[];
}

const API = "/api/v1";
const CONSOLE_COOKIE = SESSION_COOKIE;
const CSRF_HEADER = "X-CSRF-Token";

// ---------------------------------------------------------------------------------------
// Tags: a tool's area as tools/index.ts groups it (TOOL_AREAS).

const TAG_DESCRIPTIONS: Record<string, string> = {
  meta: "The tool list and this document.",
  data: "Market data: symbols, bars, prices, calendar, data quality and CSV import.",
  analysis: "Indicators, signals, the analysis log, research and charts.",
  edgar: "SEC EDGAR: companies, filings, statements, factors, ownership and filing signals.",
  execution: "Account, positions, orders, proposals and the risk firewall.",
  backtest: "Backtests: run, store, list and compare.",
  read: "Tools that change nothing (readOnlyHint).",
  write: "Tools that change state.",
  approvals: "Human decisions, the audit log and the live event feed.",
  console: "Sign-in for the approval console (a cookie session instead of a bearer token).",
};

// ---------------------------------------------------------------------------------------
// JSON Schemas from zod, embedded so that every $ref resolves inside the document.

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Keywords whose values are data, not schemas: never rewritten. */
const DATA_KEYWORDS = new Set(["default", "const", "enum", "examples", "example"]);

function zodJsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  return z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join("");
}

function schemaRef(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

class SchemaTable {
  private readonly byName = new Map<string, Json>();

  add(name: string, schema: Json): void {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`OpenAPI: invalid component name "${name}"`);
    const existing = this.byName.get(name);
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(schema)) {
      throw new Error(`OpenAPI: two different schemas want the component name "${name}"`);
    }
    this.byName.set(name, schema);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Sorted by name, so the document does not depend on insertion order. */
  toJSON(): Json {
    return Object.fromEntries([...this.byName.keys()].sort().map((k) => [k, this.byName.get(k)!]));
  }
}

function unescapePointer(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * Makes a zod-generated JSON Schema embeddable under `components/schemas/<name>`:
 * drops `$schema`/`$id`, hoists `$defs` (zod emits them for recursive and `.meta({id})`
 * schemas) to sibling components `<name>_<def>`, and rewrites `#/$defs/<def>` refs to
 * them and the root self-reference `#` to `#/components/schemas/<name>`. Refs of any
 * other form throw: the build fails rather than ship a document with dangling refs.
 * Returns the rewritten root; `selfRef` says it refers to itself (and so must be
 * registered under `name` by the caller, which tool schemas always are).
 */
function embed(json: Json, name: string, table: SchemaTable): { root: Json; selfRef: boolean } {
  const defs = isObject(json.$defs) ? json.$defs : {};
  const defName = (def: string) => `${name}_${def.replace(/^_+/, "").replace(/[^A-Za-z0-9._-]/g, "_")}`;
  let selfRef = false;

  const resolveRef = (ref: string): string => {
    if (ref === "#") {
      selfRef = true;
      return `#/components/schemas/${name}`;
    }
    const m = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const def = m ? unescapePointer(m[1]!) : undefined;
    if (def === undefined || !Object.hasOwn(defs, def)) {
      throw new Error(`OpenAPI: ${name} has a $ref "${ref}" that cannot be embedded (only "#" and "#/$defs/<name>" are supported)`);
    }
    return `#/components/schemas/${defName(def)}`;
  };

  const rewrite = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, false));
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      // $id would move the base URI off the document and break every ref below it.
      if ((k === "$schema" || k === "$id") && typeof v === "string") continue;
      if (k === "$defs" && isObject(v)) {
        if (!root) throw new Error(`OpenAPI: ${name} has nested $defs, which zod does not emit and this generator does not embed`);
        continue;
      }
      if (DATA_KEYWORDS.has(k)) out[k] = structuredClone(v);
      else if (k === "$ref" && typeof v === "string") out[k] = resolveRef(v);
      else out[k] = rewrite(v, false);
    }
    return out;
  };

  const root = rewrite(json, true) as Json;
  for (const def of Object.keys(defs).sort()) table.add(defName(def), rewrite(defs[def], false) as Json);
  return { root, selfRef };
}

/** Embeds and registers a schema under `components/schemas/<name>`; returns a $ref to it. */
function component(schema: z.ZodType, io: "input" | "output", name: string, table: SchemaTable): { ref: Json; root: Json } {
  const { root } = embed(zodJsonSchema(schema, io), name, table);
  table.add(name, root);
  return { ref: schemaRef(name), root };
}

// ---------------------------------------------------------------------------------------
// Errors: one shared body, one shared response per HTTP status the server can send.

const STATUS_NAMES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  409: "Conflict",
  413: "PayloadTooLarge",
  422: "UnprocessableContent",
  429: "TooManyRequests",
  499: "ClientClosedRequest",
  500: "InternalError",
  502: "BadGateway",
  503: "ServiceUnavailable",
};

const STATUS_TEXT: Record<number, string> = {
  400: "The request is invalid",
  401: "No valid credentials",
  403: "The credentials or the request's origin do not allow this",
  404: "Not found",
  409: "Conflict with the current state",
  413: "The request body is larger than the server accepts",
  422: "Valid, but cannot be done",
  429: "Too many requests with one token; retry after the number of seconds in Retry-After",
  499: "The caller cancelled the request before it finished",
  500: "An unexpected internal error (logged by the server)",
  502: "An upstream service (broker or SEC) refused or answered badly",
  503: "A required upstream or resource is unavailable",
};

function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `Status${status}`;
}

/** The error codes answered with each status, statuses ascending, codes in ERROR_CODES order. */
function codesByStatus(): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    const status = HTTP_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus.entries()].sort((a, b) => a[0] - b[0]));
}

function errorSchema(): Json {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];
  return {
    type: "object",
    description: "The one error body of the REST API. Branch on `error.code`; the HTTP status is for proxies and generic tooling.",
    required: ["error", "requestId"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: {
            type: "string",
            enum: codes,
            description: `A stable error code (never renamed, only added):\n${codes.map((c) => `- \`${c}\` (${HTTP_STATUS[c]}): ${ERROR_CODES[c]}`).join("\n")}`,
          },
          message: { type: "string", description: "A sentence for a human or a model: what went wrong and what to do." },
          details: { type: "object", additionalProperties: true, description: "Structured, non-secret context (e.g. validation issues)." },
        },
      },
      requestId: { type: "string", description: "Also in the X-Request-Id header and the server log." },
    },
  };
}

function errorResponse(status: number, codes: readonly ErrorCode[]): Json {
  const headers: Json = { "X-Request-Id": { $ref: "#/components/headers/RequestId" } };
  if (status === 429) {
    headers["Retry-After"] = { $ref: "#/components/headers/RetryAfter" };
    headers.RateLimit = { $ref: "#/components/headers/RateLimit" };
    headers["RateLimit-Policy"] = { $ref: "#/components/headers/RateLimitPolicy" };
  }
  if (status === 401) {
    headers["WWW-Authenticate"] = { description: 'The bearer challenge, `Bearer realm="argus"`.', schema: { type: "string" } };
  }
  return {
    description: `${STATUS_TEXT[status] ?? `HTTP ${status}`}: ${codes.map((c) => `\`${c}\``).join(", ")}.`,
    headers,
    content: {
      "application/json": {
        schema: {
          allOf: [schemaRef("Error"), { properties: { error: { properties: { code: { enum: [...codes] } } } } }],
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------
// Paths.

function openApiPath(expressPath: string): { path: string; params: string[] } {
  if (!expressPath.startsWith("/") || /[*?()[\]{}]/.test(expressPath)) {
    throw new Error(`OpenAPI: route path "${expressPath}" uses syntax this generator does not translate (only /literal and /:param segments)`);
  }
  const params: string[] = [];
  const path = expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, p: string) => {
    params.push(p);
    return `{${p}}`;
  });
  if (path.includes(":")) throw new Error(`OpenAPI: route path "${expressPath}" has a parameter name this generator does not translate`);
  return { path, params };
}

function operationIdOf(method: string, expressPath: string): string {
  return [method, ...expressPath.split("/").filter(Boolean).map((s) => s.replace(/^:/, "by_"))].join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

function typesOf(schema: Json): string[] {
  const t = schema.type;
  return typeof t === "string" ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : [];
}

/** True for a property the query string cannot carry: the router parses scalars and comma-separated lists only. */
function isObjectValued(schema: Json): boolean {
  const types = typesOf(schema);
  return types.includes("object") || (types.length === 0 && (isObject(schema.properties) || isObject(schema.additionalProperties)));
}

/** A query parameter from one top-level property of an object schema. */
function queryParameter(name: string, schema: Json, required: boolean): Json {
  const p: Json = { name, in: "query", required };
  if (typeof schema.description === "string") p.description = schema.description;
  p.schema = schema;
  if (typesOf(schema).includes("array")) {
    // Comma-separated (`?symbols=AAPL,MSFT`); the server also accepts the name repeated.
    p.style = "form";
    p.explode = false;
  }
  return p;
}

function objectParts(schema: Json, where: string): { properties: Record<string, Json>; required: Set<string> } {
  if (!typesOf(schema).includes("object")) throw new Error(`OpenAPI: ${where} is not an object schema`);
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, Json>) : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return { properties, required };
}

const CLIENT_SECURITY = [{ clientToken: [] }, { approverToken: [] }, { consoleSession: [] }];
const APPROVER_SECURITY = [{ approverToken: [] }, { consoleSession: [] }];
const CSRF_PARAM = { $ref: "#/components/parameters/CsrfToken" };
const REQUEST_ID_HEADER = { "X-Request-Id": { $ref: "#/components/headers/RequestId" } };

const DESCRIPTION = `The REST face of Argus: every MCP tool, the same validation, results and error codes.

**Authentication.** Two bearer tokens, two rights:
- the **client token** (the MCP token; \`argus token\` prints it) lists and calls tools and reads resources;
- the **approver token** (a different secret) is needed for human decisions: approving or rejecting proposals, halting and resuming trading, reading the audit log and the live event feed. It may also do everything the client token does.

Send either as \`Authorization: Bearer <token>\`. The approval console instead signs in once with \`POST /console/login\` and then uses the \`${CONSOLE_COOKIE}\` session cookie, which carries the approver's rights; a cookie-authenticated request other than GET must also send the session's CSRF token in the \`${CSRF_HEADER}\` header, and is refused when the browser labels it cross-site. \`GET /api/v1/openapi.json\` needs no credentials.

**Envelope.** A tool answers 200 with \`{result, text, images?}\`: \`result\` is the tool's structured output (the schema below), \`text\` a short readable summary, \`images\` any pictures (base64). Every error is \`{error: {code, message, details?}, requestId}\` with a stable \`code\`.

**Limits.** Requests are rate-limited per token (MCP and REST together): over the limit the answer is 429 with a \`Retry-After\` header in seconds. Request bodies above the configured size limit are refused with 413 (\`PAYLOAD_TOO_LARGE\`).`;

// ---------------------------------------------------------------------------------------

/** The REST success body: `{ result, text, images? }` around a tool's (or route's) result schema. */
function envelope(description: string, result: Json): Json {
  return {
    description,
    headers: REQUEST_ID_HEADER,
    content: {
      "application/json": {
        schema: {
          type: "object",
          required: ["result", "text"],
          properties: {
            result,
            text: { type: "string", description: "A short readable summary of the result." },
            images: { type: "array", items: schemaRef("ToolImage"), description: "Pictures beside the result (e.g. charts); absent when there are none." },
          },
        },
      },
    },
  };
}

/**
 * Builds the OpenAPI 3.1.0 document of the REST API. Throws if a route names a tool the
 * registry does not have, or a path parameter the tool does not take, so drift between
 * the route table and the tools fails at start-up and in tests.
 */
export function buildOpenApi(registry: ToolRegistry, opts: OpenApiOptions): Record<string, unknown> {
  const resourceRoutes = opts.resourceRoutes ?? RESOURCE_ROUTES;
  const humanRoutes = opts.humanRoutes ?? HUMAN_ROUTES;
  const schemas = new SchemaTable();
  const paths: Record<string, Record<string, Json>> = {};
  const operationIds = new Set<string>();
  const usedTags = new Set<string>();

  const byStatus = codesByStatus();
  const allStatuses = [...byStatus.keys()];
  const errorResponses = (statuses: readonly number[]): Json =>
    Object.fromEntries(statuses.filter((s) => byStatus.has(s)).map((s) => [String(s), { $ref: `#/components/responses/${statusName(s)}` }]));
  const ACCESS_ERRORS = [401, 403, 429, 500];
  const LOGIN_ERRORS = [400, 401, 403, 413, 429, 500];

  const addOperation = (path: string, method: string, op: Json): void => {
    const id = op.operationId as string;
    if (operationIds.has(id)) throw new Error(`OpenAPI: duplicate operationId "${id}"`);
    operationIds.add(id);
    for (const t of op.tags as string[]) usedTags.add(t);
    const item = (paths[path] ??= {});
    if (item[method]) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is defined twice`);
    item[method] = op;
  };

  schemas.add("Error", errorSchema());
  schemas.add("ToolImage", {
    type: "object",
    description: "A picture a tool returns beside its structured result.",
    required: ["mimeType", "data"],
    properties: {
      mimeType: { type: "string", enum: ["image/png", "image/svg+xml"] },
      data: { type: "string", contentEncoding: "base64", contentMediaType: "image/*", description: "The bytes, base64." },
    },
  });
  schemas.add("ToolDescriptor", {
    type: "object",
    description: "A tool as MCP lists it. Its schemas state the same contracts as the <Tool>Input/<Tool>Output components here, generated as JSON Schema draft-07 for MCP clients.",
    required: ["name", "title", "description", "inputSchema", "outputSchema", "annotations"],
    properties: {
      name: { type: "string" },
      title: { type: "string" },
      description: { type: "string" },
      inputSchema: { type: "object", additionalProperties: true },
      outputSchema: { type: "object", additionalProperties: true },
      annotations: {
        type: "object",
        additionalProperties: true,
        properties: {
          title: { type: "string" },
          readOnlyHint: { type: "boolean" },
          destructiveHint: { type: "boolean" },
          idempotentHint: { type: "boolean" },
          openWorldHint: { type: "boolean" },
        },
      },
    },
  });

  // --- meta ---------------------------------------------------------------------------
  addOperation(`${API}/tools`, "get", {
    operationId: "list_tools",
    tags: ["meta"],
    summary: "List the tools",
    description: "Every tool with its input and output JSON Schemas and annotations, in the order MCP lists them.",
    security: CLIENT_SECURITY,
    responses: {
      "200": envelope("The tools.", {
        type: "object",
        required: ["count", "tools"],
        properties: { count: { type: "integer", minimum: 0 }, tools: { type: "array", items: schemaRef("ToolDescriptor") } },
      }),
      ...errorResponses(ACCESS_ERRORS),
    },
  });
  addOperation(`${API}/openapi.json`, "get", {
    operationId: "get_openapi",
    tags: ["meta"],
    summary: "This OpenAPI document",
    description: "Public: no token needed.",
    security: [],
    responses: {
      "200": { description: "The OpenAPI 3.1 document.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: { type: "object" } } } },
      ...errorResponses([403, 500]),
    },
  });

  // --- tools --------------------------------------------------------------------------
  const tools = new Map<string, { input: Json; inputRef: Json; outputRef: Json; tag: string }>();
  for (const d of registry.list()) {
    const spec = registry.get(d.name);
    if (!spec) throw new Error(`OpenAPI: the registry lists "${d.name}" but cannot get it`);
    const base = pascal(d.name);
    const input = component(spec.input, "input", `${base}Input`, schemas);
    const output = component(spec.output, "output", `${base}Output`, schemas);
    const tag = toolArea(d.name) ?? (d.annotations.readOnlyHint === true ? "read" : "write");
    tools.set(d.name, { input: input.root, inputRef: input.ref, outputRef: output.ref, tag });
  }

  const toolSuccess = (name: string, outputRef: Json): Json => envelope(`The result of \`${name}\`.`, outputRef);

  for (const d of registry.list()) {
    const t = tools.get(d.name)!;
    const { required } = objectParts(t.input, `the input of ${d.name}`);
    addOperation(`${API}/tools/${d.name}`, "post", {
      operationId: d.name,
      tags: [t.tag],
      summary: d.title,
      description: d.description,
      security: CLIENT_SECURITY,
      parameters: [CSRF_PARAM],
      requestBody: {
        required: required.size > 0,
        description: required.size > 0 ? "The tool's arguments." : "The tool's arguments (all optional; an empty body is `{}`).",
        content: { "application/json": { schema: t.inputRef } },
      },
      responses: { "200": toolSuccess(d.name, t.outputRef), ...errorResponses(allStatuses) },
    });
  }

  // --- resources: GET routes answered by one tool ----------------------------------------
  for (const r of resourceRoutes) {
    const t = tools.get(r.tool);
    if (!t) throw new Error(`OpenAPI: the route GET ${API}${r.path} names the tool "${r.tool}", which is not in the registry`);
    const { path, params } = openApiPath(r.path);
    const { properties, required } = objectParts(t.input, `the input of ${r.tool}`);
    const parameters: Json[] = [];
    for (const p of params) {
      const schema = properties[p];
      if (!schema) throw new Error(`OpenAPI: the route GET ${API}${r.path} has a path parameter "${p}" that ${r.tool} does not take`);
      const param: Json = { name: p, in: "path", required: true, schema };
      if (typeof schema.description === "string") param.description = schema.description;
      parameters.push(param);
    }
    const bodyOnly: string[] = [];
    for (const [name, schema] of Object.entries(properties)) {
      if (params.includes(name)) continue;
      if (isObjectValued(schema)) bodyOnly.push(name);
      else parameters.push(queryParameter(name, schema, required.has(name)));
    }
    const viaPost = bodyOnly.length > 0 ? ` Object-valued arguments (${bodyOnly.map((n) => `\`${n}\``).join(", ")}) cannot be sent in a query string; use the POST form for them.` : "";
    addOperation(`${API}${path}`, "get", {
      operationId: `${r.tool}_resource`,
      tags: [t.tag],
      summary: r.summary,
      description: `Answered by the \`${r.tool}\` tool, exactly as \`POST ${API}/tools/${r.tool}\`: path parameters and the query string are its arguments.${viaPost}`,
      "x-argus-tool": r.tool,
      security: CLIENT_SECURITY,
      ...(parameters.length > 0 ? { parameters } : {}),
      responses: { "200": toolSuccess(r.tool, t.outputRef), ...errorResponses(allStatuses) },
    });
  }

  // --- human routes -------------------------------------------------------------------------
  for (const r of humanRoutes) {
    const { path, params } = openApiPath(r.path);
    const operationId = operationIdOf(r.method, r.path);
    const base = pascal(operationId);
    const parameters: Json[] = params.map((p) => ({ name: p, in: "path", required: true, schema: { type: "string", minLength: 1 } }));
    if (r.query) {
      const q = embed(zodJsonSchema(r.query, "input"), `${base}Query`, schemas);
      if (q.selfRef) schemas.add(`${base}Query`, q.root);
      const { properties, required } = objectParts(q.root, `the query of ${r.method.toUpperCase()} ${r.path}`);
      for (const [name, schema] of Object.entries(properties)) {
        if (isObjectValued(schema)) throw new Error(`OpenAPI: the query of ${r.method.toUpperCase()} ${r.path} has an object-valued property "${name}", which a query string cannot carry`);
        parameters.push(queryParameter(name, schema, required.has(name)));
      }
    }
    if (r.method !== "get") parameters.push(CSRF_PARAM);
    const op: Json = {
      operationId,
      tags: ["approvals"],
      summary: r.summary,
      security: r.role === "approver" ? APPROVER_SECURITY : CLIENT_SECURITY,
    };
    if (r.role === "approver") op.description = "Needs the approver token or a console session: the client (MCP) token is refused with 403.";
    if (parameters.length > 0) op.parameters = parameters;
    if (r.body) {
      const body = component(r.body, "input", `${base}Body`, schemas);
      const { required } = objectParts(body.root, `the body of ${r.method.toUpperCase()} ${r.path}`);
      op.requestBody = { required: required.size > 0, content: { "application/json": { schema: body.ref } } };
    }
    const success: Json = r.stream
      ? {
          description:
            "A server-sent event stream (`text/event-stream`) that stays open: `event: audit` with one new audit row as JSON in `data`, and `event: clock` with the server's time.",
          headers: REQUEST_ID_HEADER,
          content: { "text/event-stream": { schema: { type: "string" } } },
        }
      : {
          description: "Done.",
          headers: REQUEST_ID_HEADER,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["result"],
                properties: { result: { type: "object", additionalProperties: true }, text: { type: "string", description: "A short readable summary, when there is one." } },
              },
            },
          },
        };
    op.responses = { "200": success, ...errorResponses(allStatuses) };
    addOperation(`${API}${path}`, r.method, op);
  }

  // --- console sign-in ---------------------------------------------------------------------
  const login = component(loginBody, "input", "ConsoleLogin", schemas);
  schemas.add("ConsoleSession", {
    type: "object",
    required: ["csrfToken", "now", "expiresAt"],
    properties: {
      csrfToken: { type: "string", description: `Send it as the ${CSRF_HEADER} header on every cookie-authenticated request other than GET.` },
      now: { type: "string", format: "date-time", description: "The server's time (America/New_York, with its UTC offset)." },
      expiresAt: { type: "string", format: "date-time", description: "When the session ends unless used again (idle timeout; 12 hours at most)." },
    },
  });
  const sessionBody = { "application/json": { schema: schemaRef("ConsoleSession") } };
  addOperation("/console/login", "post", {
    operationId: "console_login",
    tags: ["console"],
    summary: "Sign in to the approval console with the approver token",
    description: `Exchanges the approver token (in the body, never the URL) for an HttpOnly, SameSite=Strict \`${CONSOLE_COOKIE}\` session cookie and a CSRF token. The MCP token is refused (403); sign-in attempts have their own rate limit.`,
    security: [],
    requestBody: { required: true, content: { "application/json": { schema: login.ref } } },
    responses: {
      "200": {
        description: "Signed in.",
        headers: {
          ...REQUEST_ID_HEADER,
          "Set-Cookie": { description: `The \`${CONSOLE_COOKIE}\` session cookie (HttpOnly, SameSite=Strict).`, schema: { type: "string" } },
        },
        content: sessionBody,
      },
      ...errorResponses(LOGIN_ERRORS),
    },
  });
  addOperation("/console/session", "get", {
    operationId: "console_session",
    tags: ["console"],
    summary: "The current console session",
    security: [{ consoleSession: [] }],
    responses: { "200": { description: "The session is valid.", headers: REQUEST_ID_HEADER, content: sessionBody }, ...errorResponses([401, 403, 500]) },
  });
  addOperation("/console/logout", "post", {
    operationId: "console_logout",
    tags: ["console"],
    summary: "Sign out of the approval console",
    description: `Ends the session and clears the cookie; answers 204 without a session too. With a session, the \`${CSRF_HEADER}\` header is required.`,
    security: [{ consoleSession: [] }, {}],
    parameters: [CSRF_PARAM],
    responses: {
      "204": {
        description: "Signed out; the cookie is cleared.",
        headers: { ...REQUEST_ID_HEADER, "Set-Cookie": { description: "Clears the session cookie.", schema: { type: "string" } } },
      },
      ...errorResponses([403, 500]),
    },
  });

  // --- components ------------------------------------------------------------------------------
  const responses = Object.fromEntries([...byStatus.entries()].map(([status, codes]) => [statusName(status), errorResponse(status, codes)]));
  const tagOrder = ["meta", ...Object.keys(TOOL_AREAS), "read", "write", "approvals", "console"];
  const tags = tagOrder.filter((t) => usedTags.has(t)).map((name) => ({ name, description: TAG_DESCRIPTIONS[name]! }));

  // A fresh tree: the same schema objects were placed at several spots while building
  // (e.g. a path parameter and its tool's input), and callers may cache and hand it out.
  return structuredClone({
    openapi: "3.1.0",
    info: {
      title: "Argus REST API",
      version: opts.version,
      description: DESCRIPTION,
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: opts.serverUrl ?? "/", description: opts.serverUrl ? "This Argus server." : "The server that served this document." }],
    security: CLIENT_SECURITY,
    tags,
    paths,
    components: {
      schemas: schemas.toJSON(),
      responses,
      parameters: {
        CsrfToken: {
          name: CSRF_HEADER,
          in: "header",
          required: false,
          description: `Required when the request is authenticated with the console session cookie (every method but GET): the \`csrfToken\` from \`POST /console/login\`. Ignored with a bearer token.`,
          schema: { type: "string" },
        },
      },
      headers: {
        RequestId: { description: "The request id (a sane caller-supplied X-Request-Id is kept), also in every error body.", schema: { type: "string" } },
        RetryAfter: { description: "Seconds to wait before the token may send again.", schema: { type: "integer", minimum: 0 } },
        RateLimit: { description: "The token's remaining budget (IETF RateLimit header fields, draft 8).", schema: { type: "string" } },
        RateLimitPolicy: { description: "The limit in force (IETF RateLimit header fields, draft 8).", schema: { type: "string" } },
      },
      securitySchemes: {
        clientToken: { type: "http", scheme: "bearer", description: "The client (MCP) token: lists and calls tools, reads resources." },
        approverToken: { type: "http", scheme: "bearer", description: "The approver token: everything the client token may do, plus human decisions." },
        consoleSession: {
          type: "apiKey",
          in: "cookie",
          name: CONSOLE_COOKIE,
          description: `The approval console's session cookie, from \`POST /console/login\`; approver rights. Requests other than GET must also send the \`${CSRF_HEADER}\` header.`,
        },
      },
    },
  });
}
