import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { z } from "zod";
import { ArgusError, toArgusError } from "../src/core/errors.js";
import { WithImages, type ToolContext, type ToolImage, type ToolSpec } from "./spec.js";

export type ToolResult =
  | { ok: true; structured: Record<string, unknown>; text: string; images: ToolImage[] }
  | { ok: false; error: ArgusError };

export interface ToolDescriptor {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  annotations: ToolSpec["annotations"];
}

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, target: "draft-7", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join(".") : "input"}: ${i.message}`)
    .join("; ");
}

/**
 * The one list of tools. Surfaces ask it for descriptors and call tools through it, so
 * validation, error codes and logging behave the same on MCP, REST, CLI and the agent.
 */
export class ToolRegistry {
  private readonly byName = new Map<string, ToolSpec>();
  private readonly descriptors: ToolDescriptor[];
  private readonly outputValidators = new Map<string, ValidateFunction>();

  constructor(specs: readonly ToolSpec[]) {
    for (const spec of specs) {
      if (this.byName.has(spec.name)) throw new Error(`Duplicate tool name: ${spec.name}`);
      this.byName.set(spec.name, spec);
    }
    // JSON Schemas are computed once: listing tools is on every client's start-up path.
    this.descriptors = specs.map((s) => ({
      name: s.name,
      title: s.title,
      description: s.description,
      inputSchema: jsonSchemaOf(s.input, "input"),
      outputSchema: jsonSchemaOf(s.output, "output"),
      annotations: { title: s.title, ...s.annotations },
    }));
    // Outputs are checked against the very JSON Schema clients receive, compiled once by
    // ajv: a tool that drifts from its contract fails here, loudly, not in a client.
    // (A zod parse of a year of bars costs ~18 µs a call; the compiled check a few.)
    const ajv = new Ajv({ allErrors: false, strict: false });
    addFormats(ajv);
    for (const d of this.descriptors) this.outputValidators.set(d.name, ajv.compile(d.outputSchema));
  }

  list(): readonly ToolDescriptor[] {
    return this.descriptors;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): ToolSpec | undefined {
    return this.byName.get(name);
  }

  /** Validates input, runs the tool, validates its output. Never throws. */
  async call(name: string, args: unknown, ctx: ToolContext): Promise<ToolResult> {
    const spec = this.byName.get(name);
    if (!spec) {
      return { ok: false, error: new ArgusError("UNKNOWN_TOOL", `There is no tool named "${name}"; list the tools to see the available names.`, { name }) };
    }
    const parsed = spec.input.safeParse(args ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: new ArgusError("INVALID_INPUT", `Invalid arguments for ${name}: ${describeIssues(parsed.error)}.`, {
          issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
        }),
      };
    }
    try {
      const returned = await spec.run(parsed.data, ctx);
      const images = returned instanceof WithImages ? returned.images : [];
      const structured = (returned instanceof WithImages ? returned.output : returned) as Record<string, unknown>;
      const validate = this.outputValidators.get(name)!;
      if (!validate(structured)) {
        ctx.app.logger.error({ tool: name, errors: validate.errors?.slice(0, 5) }, "tool output did not match its schema");
        return { ok: false, error: new ArgusError("INTERNAL", `${name} produced a result that does not match its declared schema; this is a bug in Argus and was logged.`) };
      }
      return { ok: true, structured, text: spec.summarize(structured as never), images };
    } catch (err) {
      const error = toArgusError(err);
      if (error.code === "INTERNAL") ctx.app.logger.error({ tool: name, err }, "tool failed");
      return { ok: false, error };
    }
  }
}
