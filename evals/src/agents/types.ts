import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { TurnRecord } from "../../../src/agent/accounting.js";
import type { EvalCase } from "../case.js";

/** One tool call an agent made, with what came back. */
export interface AgentToolCall {
  name: string;
  args: Record<string, unknown>;
  isError: boolean;
  /** The error text or the result's summary, short. */
  summary: string;
  structured?: Record<string, unknown> | undefined;
}

export interface AgentRun {
  answer: string;
  toolCalls: AgentToolCall[];
  /** Model calls (empty for scripted agents): tokens, latency and cost. */
  turns: TurnRecord[];
  /** How the agent stopped: "answered", or the limit or error that stopped it. */
  stop: string;
  /** Set when the agent could not produce an answer (a missing capture, a provider error). */
  error?: string;
}

/** Something that answers a case's question by calling Argus's tools over MCP. */
export interface EvalAgent {
  /** scripted | scripted-adversarial | anthropic | openai */
  readonly provider: string;
  readonly model: string;
  /** Who answers approval prompts in this agent's runs; default: the case's setup.human. */
  readonly human?: "approve" | "decline" | "absent";
  run(c: EvalCase, client: Client): Promise<AgentRun>;
}

/** Calls a tool and records it; never throws for a tool error (that is a result). */
export async function callTool(client: Client, name: string, args: Record<string, unknown>): Promise<AgentToolCall> {
  try {
    const r = (await client.callTool({ name, arguments: args })) as { isError?: boolean; content?: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> };
    const text = (r.content ?? []).filter((c) => c.type === "text").map((c) => c.text ?? "").join("\n");
    return { name, args, isError: r.isError === true, summary: text.slice(0, 500), structured: r.structuredContent };
  } catch (err) {
    // A protocol-level refusal (unknown tool, invalid arguments) is also just a failed call.
    return { name, args, isError: true, summary: (err as Error).message.slice(0, 500) };
  }
}
