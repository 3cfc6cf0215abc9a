/**
 * Argus's tools as LangChain structured tools (`import { argusLangChainTools } from "argus/langchain"`).
 *
 * Each tool is a thin adapter over the one tool registry: same name, same model-facing
 * description, same input JSON Schema as MCP clients see, and every call goes through
 * `registry.call`, so validation, stable error codes, the risk firewall, the approval
 * rule and the audit log behave exactly as they do over MCP. See docs/LANGCHAIN.md.
 *
 * Decisions, in short:
 * - Schema: the registry's JSON Schema (io "input"), not the zod object. LangChain renders a
 *   zod v4 object as its *output* type made strict, which marks every defaulted field
 *   required; the JSON Schema is what MCP clients get, defaults optional. LangChain checks
 *   arguments against it before the tool runs; when it refuses them, the registry is asked
 *   instead, so the model still gets `INVALID_INPUT: …` naming the field (see ArgusTool).
 * - Results: the summary line, then the structured output as JSON (models read strings).
 * - Errors are results, never throws: `"<CODE>: <message>"`, and within an agent a
 *   ToolMessage with `status: "error"` (for middleware and tracing; the code is in the text).
 * - Images (charts) are not sent to the model: a note in the text says so, and the images
 *   are in the ToolMessage's `artifact`, with the structured output, for the host to show.
 */
import { ToolMessage } from "@langchain/core/messages";
import { DynamicStructuredTool, ToolInputParsingException, type StructuredToolInterface, type ToolRunnableConfig } from "@langchain/core/tools";
import type { App } from "../app.js";
import type { ArgusConfig } from "../core/config.js";
import type { ErrorCode } from "../core/errors.js";
import { cliApp } from "../server/cli/context.js";
import { TOOL_AREAS, createToolRegistry, toolArea } from "../../tools/index.js";
import type { ToolDescriptor, ToolRegistry, ToolResult } from "../../tools/registry.js";
import type { Caller, ElicitationAnswer, ElicitationRequest, ToolContext, ToolImage } from "../../tools/spec.js";

export type { App, ArgusConfig, Caller, ElicitationAnswer, ElicitationRequest, ToolContext, ToolImage, ToolRegistry };

/** The audit identity of calls made through these tools unless the host names another. */
export const LANGCHAIN_CALLER: Caller = Object.freeze({ actor: "model", channel: "langchain" });

/** The areas `include` accepts besides tool names. */
export const ARGUS_TOOL_AREAS = Object.keys(TOOL_AREAS) as (keyof typeof TOOL_AREAS)[];

export interface ArgusLangChainOptions {
  /** The Argus app the tools act on (see `openArgus`, or `createApp` in-process). */
  app: App;
  /** The tool registry (default: every Argus tool, `createToolRegistry()`). */
  registry?: ToolRegistry;
  /**
   * Only these tools: names (`"get_bars"`) or areas (`"data"`, `"analysis"`, `"edgar"`,
   * `"execution"`, `"backtest"`), mixed freely. Default: all. An unknown entry throws.
   */
  include?: string[];
  /** Only tools annotated `readOnlyHint: true` (no proposals, cancels, imports or stored analyses). */
  readOnly?: boolean;
  /**
   * Who is calling, for the audit log (default `{ actor: "model", channel: "langchain" }`).
   * A label only: no identity grants the right to approve an order.
   */
  caller?: Caller;
  /**
   * Lets `propose_order` ask the human at the host's UI directly (like MCP elicitation),
   * when `execution.elicitationApproval` is on. The answer must come from a person, never
   * from the model: it is an approval channel. Without it, proposals wait for a human out
   * of band (the approval console or `argus approve`).
   */
  elicit?: ToolContext["elicit"];
}

/** What the tools leave in a ToolMessage's `artifact` (never shown to the model). */
export type ArgusToolArtifact =
  | { ok: true; structured: Record<string, unknown>; images: ToolImage[] }
  | { ok: false; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

/**
 * Argus's tools as LangChain structured tools, for `createAgent({ model, tools })` or any
 * model's `bindTools`. Tools are listed in the registry's order.
 */
export function argusLangChainTools(opts: ArgusLangChainOptions): StructuredToolInterface[] {
  const registry = opts.registry ?? createToolRegistry();
  const wanted = opts.include ? resolveInclude(registry, opts.include) : undefined;
  const caller = opts.caller ?? LANGCHAIN_CALLER;
  return registry
    .list()
    .filter((d) => (wanted ? wanted.has(d.name) : true))
    .filter((d) => (opts.readOnly ? d.annotations.readOnlyHint === true : true))
    .map((d) => new ArgusTool(d, (args, config) => runTool(registry, d.name, args, config, { app: opts.app, caller, ...(opts.elicit ? { elicit: opts.elicit } : {}) })));
}

/**
 * An Argus app and the full tool registry from the usual configuration (ARGUS_HOME,
 * config file, ARGUS_* environment), as the `argus` CLI builds it. Logs go to stderr,
 * warnings only unless ARGUS_LOG_LEVEL says otherwise. Call `close()` when done.
 */
export function openArgus(opts: { overrides?: Record<string, unknown>; quiet?: boolean } = {}): { app: App; registry: ToolRegistry; config: ArgusConfig; close(): void } {
  const { app, registry, config } = cliApp({ quiet: opts.quiet ?? true, ...(opts.overrides ? { overrides: opts.overrides } : {}) });
  return { app, registry, config, close: () => app.close() };
}

function resolveInclude(registry: ToolRegistry, include: readonly string[]): Set<string> {
  const names = new Set<string>();
  const all = registry.names();
  for (const entry of include) {
    if (registry.get(entry)) {
      names.add(entry);
      continue;
    }
    const inArea = all.filter((n) => toolArea(n) === entry);
    if (inArea.length === 0) {
      throw new Error(`argusLangChainTools: "${entry}" is neither a tool name nor an area (${ARGUS_TOOL_AREAS.join(", ")}).`);
    }
    for (const n of inArea) names.add(n);
  }
  return names;
}

type Runner = (args: unknown, config: ToolRunnableConfig | undefined) => Promise<string | ToolMessage>;

async function runTool(registry: ToolRegistry, name: string, args: unknown, config: ToolRunnableConfig | undefined, base: ToolContext): Promise<string | ToolMessage> {
  // A signal already aborted means the host cancelled the run: nothing is started.
  config?.signal?.throwIfAborted();
  const result = await registry.call(name, args, { ...base, ...(config?.signal ? { signal: config.signal } : {}) });
  const { content, artifact } = renderToolResult(result);
  const toolCallId = config?.toolCall?.id ?? (config as { toolCallId?: string } | undefined)?.toolCallId;
  // Within an agent (a tool call) the answer is a ToolMessage, so an error can carry
  // status "error" and the artifact rides along; invoked with plain arguments, a string.
  if (!toolCallId) return content;
  return new ToolMessage({ content, artifact, tool_call_id: toolCallId, name, status: result.ok ? "success" : "error" });
}

/** The text a model reads, and the artifact the host keeps. */
export function renderToolResult(result: ToolResult): { content: string; artifact: ArgusToolArtifact } {
  if (!result.ok) {
    const { code, message, details } = result.error;
    return { content: `${code}: ${message}`, artifact: { ok: false, error: details === undefined ? { code, message } : { code, message, details } } };
  }
  const { text, structured, images } = result;
  const note =
    images.length === 0
      ? ""
      : `\n[${images.length} image${images.length === 1 ? "" : "s"} (${[...new Set(images.map((i) => i.mimeType))].join(", ")}) not included here; ` +
        `the application has ${images.length === 1 ? "it" : "them"} in this tool result's artifact.]`;
  return { content: `${text}\n${JSON.stringify(structured)}${note}`, artifact: { ok: true, structured, images } };
}

function isToolCall(input: unknown): input is { id?: string; args: unknown; type: "tool_call" } {
  return typeof input === "object" && input !== null && (input as { type?: unknown }).type === "tool_call" && "args" in input;
}

/**
 * A DynamicStructuredTool over one registry tool. Its schema is the registry's JSON Schema,
 * which LangChain checks arguments against before `func` runs; a refusal there would reach
 * the model as LangChain's generic "did not match expected schema" (or throw, outside an
 * agent). The registry is the validator of record, so such a call is handed to it as is:
 * it answers INVALID_INPUT with its stable code and the field at fault, exactly as on MCP.
 */
class ArgusTool extends DynamicStructuredTool {
  constructor(
    descriptor: ToolDescriptor,
    private readonly runner: Runner,
  ) {
    super({
      name: descriptor.name,
      description: descriptor.description,
      schema: descriptor.inputSchema,
      metadata: { argus: { title: descriptor.title, area: toolArea(descriptor.name) ?? null, annotations: descriptor.annotations } },
      func: (args: unknown, _runManager: unknown, config?: ToolRunnableConfig) => runner(args, config),
    });
  }

  // The generic signature of StructuredTool.invoke is kept by delegation; only the one
  // exception type is intercepted.
  override async invoke(input: any, config?: any): Promise<any> {
    try {
      return await super.invoke(input, config);
    } catch (err) {
      if (!(err instanceof ToolInputParsingException)) throw err;
      const call = isToolCall(input) ? input : undefined;
      const cfg = (call ? { ...config, toolCall: call } : config) as ToolRunnableConfig | undefined;
      return this.runner(call ? call.args : input, cfg);
    }
  }
}
