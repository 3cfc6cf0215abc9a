import { performance } from "node:perf_hooks";
import type { Readable, Writable } from "node:stream";
import type { App } from "../app.js";
import type { LlmUsage } from "../analysis/analysis-engine.js";
import type { ArgusConfig } from "../core/config.js";
import { readPrompt } from "../server/mcp/instructions.js";
import type { ToolRegistry } from "../../tools/registry.js";
import { priceTable, totalsOf } from "./accounting.js";
import { Agent, type AnalysisCostSink } from "./agent.js";
import { connectInProcess, connectRemote, type ArgusConnection } from "./connect.js";
import { createProvider } from "./providers/index.js";
import type { ChatProvider } from "./providers/types.js";
import { LineInput, TerminalUi, terminalElicitation } from "./terminal.js";

export interface TerminalIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** True at a real terminal: colours, and readline's own line editing and Ctrl-C. */
  tty: boolean;
}

/** Where the tools come from: this process's app, or a running Argus over HTTP. */
export type ToolSource = { app: App; registry: ToolRegistry } | { url: string; token: string };

export interface AgentSession {
  agent: Agent;
  ui: TerminalUi;
  connection: ArgusConnection;
  /** The person's input (chat lines, approval answers), opened on first use. */
  input(): LineInput;
  close(): Promise<void>;
}

function llmUsage({ question, answer, provider, model }: Parameters<AnalysisCostSink>[1]): LlmUsage {
  const t = totalsOf(answer.turns);
  return { provider, model, prompt: question, response: answer.text, inputTokens: t.inputTokens, outputTokens: t.outputTokens, latencyMs: t.latencyMs, costUsd: t.costUsd };
}

/** The copilot's system prompt, followed by what the Argus server says about itself (its MCP instructions). */
export function copilotSystemPrompt(serverInstructions: string | undefined): string {
  const own = readPrompt("agent-system");
  return serverInstructions ? `${own}\n\n# About the Argus server\n${serverInstructions}` : own;
}

/** The analysis log's LLM fields, filled with the whole answer's totals, in this process's app. */
export function analysisCostRecorder(app: App): AnalysisCostSink {
  return (analysisId, answer) => {
    app.analysis.recordLlmUsage(analysisId, llmUsage(answer));
  };
}

/** The same, on a remote Argus: its REST route for the copilot's accounting, with the MCP token. */
export function remoteAnalysisCostRecorder(mcpUrl: string, token: string): AnalysisCostSink {
  return async (analysisId, answer) => {
    const res = await fetch(new URL(`api/v1/analyses/${encodeURIComponent(analysisId)}/llm-usage`, mcpUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(llmUsage(answer)),
    });
    if (!res.ok) {
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
      throw new Error(`${res.status} ${body.error?.code ?? ""} ${body.error?.message ?? ""}`.trim());
    }
  };
}

/**
 * Everything `argus ask` and `argus chat` run on: the provider from configuration, an MCP
 * connection to Argus whose approval prompts go to this terminal, and the agent.
 */
export async function openAgentSession(opts: {
  config: ArgusConfig["agent"];
  env: Record<string, string | undefined>;
  source: ToolSource;
  io: TerminalIo;
  provider?: ChatProvider;
}): Promise<AgentSession> {
  const { config, io } = opts;
  const provider = opts.provider ?? createProvider(config, opts.env);
  const ui = new TerminalUi(io.stdout, io.stderr, io.tty);
  let lineInput: LineInput | undefined;
  const input = () => (lineInput ??= new LineInput(io.stdin, io.stderr, io.tty));
  const elicit = terminalElicitation(input, io.stderr, io.tty);
  const connection = "app" in opts.source ? await connectInProcess(opts.source.app, opts.source.registry, elicit) : await connectRemote(opts.source.url, opts.source.token, elicit);
  try {
    const agent = await Agent.create({
      client: connection.client,
      provider,
      system: copilotSystemPrompt(connection.client.getInstructions()),
      limits: config,
      ui,
      prices: priceTable(config.prices),
      mode: config.mode,
      now: () => performance.now(),
      recordAnalysisCost: "app" in opts.source ? analysisCostRecorder(opts.source.app) : remoteAnalysisCostRecorder(opts.source.url, opts.source.token),
    });
    return {
      agent,
      ui,
      connection,
      input,
      async close() {
        lineInput?.close();
        await connection.close();
      },
    };
  } catch (err) {
    await connection.close();
    throw err;
  }
}
