import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { EvalCase } from "../case.js";
import { callTool, type AgentRun, type AgentToolCall, type EvalAgent } from "./types.js";

/** RFC 6901: the value at `pointer` in `doc`, or undefined when a segment is missing. */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === "") return doc;
  if (!pointer.startsWith("/")) throw new Error(`JSON Pointer must start with "/": ${pointer}`);
  let cur: unknown = doc;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9]\d*)$/.test(key)) return undefined;
      cur = cur[Number(key)];
    } else if (cur !== null && typeof cur === "object" && Object.hasOwn(cur, key)) {
      cur = (cur as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Fills `{name}` placeholders; an unknown name is an error (the plan and the template disagree). */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`answer template uses {${name}} but no step captured it`);
    const v = values[name];
    return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v);
  });
}

/**
 * A step's arguments with earlier captures filled in: a string that is exactly "{name}"
 * becomes the captured value itself (a number stays a number); "{name}" inside a longer
 * string is filled as text. A placeholder nothing captured is an error.
 */
export function fillArgs(value: unknown, captured: Record<string, unknown>): unknown {
  if (typeof value === "string") {
    const whole = /^\{([a-zA-Z_][a-zA-Z0-9_]*)\}$/.exec(value);
    if (whole) {
      if (!Object.hasOwn(captured, whole[1]!)) throw new Error(`argument uses {${whole[1]}} but no earlier step captured it`);
      return captured[whole[1]!];
    }
    return /\{[a-zA-Z_][a-zA-Z0-9_]*\}/.test(value) ? fillTemplate(value, captured) : value;
  }
  if (Array.isArray(value)) return value.map((v) => fillArgs(v, captured));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillArgs(v, captured)]));
  return value;
}

/**
 * The reference agent: runs the case's scripted plan over MCP, captures values from each
 * result's structuredContent by JSON Pointer, passes captures on to later steps' arguments
 * ("{name}"), and fills the answer template. A failed
 * call or a missing capture stops it with an error: the case (or Argus) is wrong, and the
 * run fails rather than answering from nothing.
 */
export class ScriptedCorrectAgent implements EvalAgent {
  readonly provider = "scripted";
  readonly model = "correct";

  async run(c: EvalCase, client: Client): Promise<AgentRun> {
    const toolCalls: AgentToolCall[] = [];
    const captured: Record<string, unknown> = {};
    try {
      for (const [i, step] of c.scripted.steps.entries()) {
        const call = await callTool(client, step.tool, fillArgs(step.args, captured) as Record<string, unknown>);
        toolCalls.push(call);
        if (call.isError) throw new Error(`step ${i + 1} (${step.tool}) failed: ${call.summary}`);
        for (const [name, pointer] of Object.entries(step.capture)) {
          const v = resolvePointer(call.structured, pointer);
          if (v === undefined) throw new Error(`step ${i + 1} (${step.tool}): capture ${name} — nothing at ${pointer} in the structured result`);
          captured[name] = v;
        }
      }
      return { answer: fillTemplate(c.scripted.answer, captured), toolCalls, turns: [], stop: "answered" };
    } catch (err) {
      return { answer: "", toolCalls, turns: [], stop: "error", error: (err as Error).message };
    }
  }
}
