import type { ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import type { App } from "../src/app.js";

/** What a tool handler may use: the managers, never the database or a surface. */
export interface ToolContext {
  app: App;
  signal?: AbortSignal;
  /**
   * True only when a human at a terminal made the call (the CLI's own commands). It
   * relaxes file-path sandboxing for imports; it never relaxes a risk check.
   */
  trusted?: boolean;
  /**
   * Asks the human at the client directly (MCP elicitation), when the client declared it.
   * The answer comes from the user's UI, not from the model: it is an approval channel.
   */
  elicit?: (request: ElicitationRequest) => Promise<ElicitationAnswer>;
  /**
   * Reports progress of a long call (MCP progress notifications when the client sent a
   * progress token; a progress bar in the CLI). Absent when nobody is listening.
   */
  progress?: (done: number, total: number, message?: string) => void;
  /**
   * Who is calling, for the audit log of what the call writes (a proposal, a cancel).
   * Default: the model over MCP. A caller names itself; it gains no rights by doing so.
   */
  caller?: Caller;
}

export interface Caller {
  actor: string;
  channel: string;
}

/** The audit identity of a tool call whose context names none: the model, over MCP. */
export const MODEL_OVER_MCP: Caller = { actor: "model", channel: "mcp" };

export interface ElicitationRequest {
  message: string;
  /** A flat JSON Schema object of primitive properties (MCP's restriction). */
  requestedSchema: { type: "object"; properties: Record<string, unknown>; required?: string[] };
}

export interface ElicitationAnswer {
  action: "accept" | "decline" | "cancel";
  content?: Record<string, unknown>;
}

/**
 * A capability defined once and served by every surface (MCP, REST, CLI, agent).
 * `description` is written for a model: what the tool is for, when to use it, what it
 * returns. `summarize` is the short readable text that accompanies structured output.
 */
export interface ToolSpec<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run(input: z.output<I>, ctx: ToolContext): ToolReturn<z.input<O>> | Promise<ToolReturn<z.input<O>>>;
  summarize(output: z.output<O>): string;
}

/** A picture a tool returns beside its structured output (MCP image content). */
export interface ToolImage {
  /** Base64 of the bytes. */
  data: string;
  mimeType: "image/png" | "image/svg+xml";
}

/** Structured output plus images: images stay out of structuredContent, which must match the schema. */
export class WithImages<T> {
  constructor(
    readonly output: T,
    readonly images: ToolImage[],
  ) {}
}

export type ToolReturn<T> = T | WithImages<T>;

/** Identity helper that keeps the input and output types of a spec tied together. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(spec: ToolSpec<I, O>): ToolSpec<I, O> {
  return spec;
}

// Annotation presets: every tool states whether it changes anything.
export const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Reads only, but reaches outside Argus (the SEC): answers can change between calls. */
export const READ_ONLY_OPEN_WORLD: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
