import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { AgentTool, ToolCall, ToolOutcome } from "./providers/types.js";

/** Without progress for this long, a call is given up: long enough for a person reading an order before answering. */
const TOOL_CALL_TIMEOUT_MS = 15 * 60_000;

/** Tools whose result is a new entry in the analysis log; the agent records its own cost there. */
export const ANALYSIS_WRITING_TOOLS: ReadonlySet<string> = new Set(["analyze_ticker"]);

export interface ToolRun {
  call: ToolCall;
  outcome: ToolOutcome;
  structured: Record<string, unknown> | undefined;
  ms: number;
}

/** What the model reads from a tool result: the summary, then the JSON; errors as "CODE: sentence". */
export function outcomeText(result: CallToolResult, maxChars: number): string {
  const texts = result.content.filter((c) => c.type === "text").map((c) => (c as { text: string }).text);
  const images = result.content.filter((c) => c.type === "image").length;
  const parts = [...texts];
  // A server with mcp.textJson already appends the JSON to the text; don't send it twice.
  const json = result.structuredContent && !result.isError ? JSON.stringify(result.structuredContent) : undefined;
  if (json && !texts.some((t) => t.endsWith(json))) parts.push(json);
  if (images > 0) parts.push(`[${images} image(s) not shown: the terminal cannot display them]`);
  const text = parts.join("\n");
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n[cut: ${text.length - maxChars} more characters; ask for a narrower range or fewer rows]` : text;
}

export interface ToolRunnerOptions {
  client: Client;
  /** The tools offered in the current mode; a call to any other name is refused without running. */
  available: () => readonly AgentTool[];
  maxResultChars: number;
  now: () => number;
  onStart: (call: ToolCall) => void;
  onEnd: (run: ToolRun) => void;
  /** Progress of a long call (a backtest): asking for it also keeps the call's timeout from firing while it advances. */
  onProgress: (call: ToolCall, done: number, total: number | undefined, message: string | undefined) => void;
}

/**
 * Runs one model turn's tool calls through the MCP client. Consecutive read-only calls run
 * together; a call that may change something runs alone, in the order the model gave, so
 * an order never races the reads it was based on and only one approval prompt is open.
 */
export async function runToolCalls(calls: readonly ToolCall[], opts: ToolRunnerOptions, signal: AbortSignal): Promise<ToolRun[]> {
  const tools = new Map(opts.available().map((t) => [t.name, t]));
  const runs: ToolRun[] = [];
  let batch: ToolCall[] = [];
  const flush = async () => {
    runs.push(...(await Promise.all(batch.map((c) => runOne(c, tools.get(c.name), opts, signal)))));
    batch = [];
  };
  for (const call of calls) {
    if (tools.get(call.name)?.readOnly) {
      batch.push(call);
      continue;
    }
    await flush();
    runs.push(await runOne(call, tools.get(call.name), opts, signal));
  }
  await flush();
  return runs;
}

async function runOne(call: ToolCall, tool: AgentTool | undefined, opts: ToolRunnerOptions, signal: AbortSignal): Promise<ToolRun> {
  const started = opts.now();
  opts.onStart(call);
  const refuse = (content: string): ToolRun => ({ call, outcome: { callId: call.id, name: call.name, content, isError: true }, structured: undefined, ms: 0 });
  let run: ToolRun;
  if (call.argsError) run = refuse(`INVALID_INPUT: ${call.argsError}`);
  else if (!tool) run = refuse(`UNKNOWN_TOOL: ${call.name} is not offered in this session (research mode leaves out orders, cancels and imports); use one of the tools you were given.`);
  else {
    try {
      const result = (await opts.client.callTool({ name: call.name, arguments: call.args }, undefined, {
        signal,
        timeout: TOOL_CALL_TIMEOUT_MS,
        resetTimeoutOnProgress: true,
        onprogress: (p) => opts.onProgress(call, p.progress, p.total, p.message),
      })) as CallToolResult;
      run = {
        call,
        outcome: { callId: call.id, name: call.name, content: outcomeText(result, opts.maxResultChars), isError: result.isError === true },
        structured: result.structuredContent,
        ms: opts.now() - started,
      };
    } catch (err) {
      if (signal.aborted) throw err;
      run = { ...refuse(`INTERNAL: the call did not complete (${(err as Error).message}).`), ms: opts.now() - started };
    }
  }
  opts.onEnd(run);
  return run;
}
