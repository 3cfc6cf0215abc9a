import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { estimateCost, promptTokens, totalsOf, type PriceTable, type TurnRecord } from "./accounting.js";
import { compact, estimateTokens } from "./compaction.js";
import { AgentAborted } from "./providers/errors.js";
import type { AgentMessage, AgentTool, ChatProvider, ToolCall } from "./providers/types.js";
import { ANALYSIS_WRITING_TOOLS, runToolCalls, type ToolRun } from "./tool-calls.js";

export type AgentMode = "research" | "trade";

export interface AgentLimits {
  maxSteps: number;
  tokenBudget: number;
  maxOutputTokens: number;
  compactAtTokens: number;
  maxToolResultChars: number;
}

/** What the terminal (or a test) is told while an answer is being made. */
export interface AgentUi {
  text(delta: string): void;
  toolStart(call: ToolCall): void;
  toolEnd(run: ToolRun): void;
  toolProgress(call: ToolCall, done: number, total: number | undefined, message: string | undefined): void;
  notice(message: string): void;
}

export type StopKind = "answered" | "step_limit" | "token_budget" | "max_tokens" | "aborted";

export interface Answer {
  text: string;
  stop: StopKind;
  /** Why the agent stopped without a full answer, said so a person knows what to do. */
  message?: string;
  turns: TurnRecord[];
  toolRuns: ToolRun[];
  /** Analyses the answer ran (analyze_ticker), whose log entries get this answer's cost. */
  analysisIds: string[];
}

/** Where an answer's cost goes when it ran an analysis: the analysis log's LLM fields. */
export type AnalysisCostSink = (analysisId: string, answer: { question: string; answer: Answer; provider: string; model: string }) => void | Promise<void>;

export interface AgentOptions {
  client: Client;
  provider: ChatProvider;
  system: string;
  limits: AgentLimits;
  ui: AgentUi;
  prices: PriceTable;
  mode: AgentMode;
  /** Milliseconds, for latency only (a monotonic clock is best). */
  now: () => number;
  recordAnalysisCost?: AnalysisCostSink;
}

function toAgentTool(t: Tool): AgentTool {
  return { name: t.name, description: t.description ?? t.title ?? t.name, inputSchema: t.inputSchema as Record<string, unknown>, readOnly: t.annotations?.readOnlyHint === true, destructive: t.annotations?.destructiveHint !== false && t.annotations?.readOnlyHint !== true };
}

/**
 * The copilot's tool loop, as an MCP client of Argus: the model answers or asks for
 * tools; tools run through MCP (so validation, the firewall, approval and the audit log
 * are exactly what every other client gets); their results go back; until the model
 * answers, or a limit stops it with a sentence saying which and what to do.
 */
export class Agent {
  private allTools: AgentTool[] = [];
  private history: AgentMessage[] = [];
  private readonly ledger: TurnRecord[] = [];
  mode: AgentMode;

  private constructor(private readonly opts: AgentOptions) {
    this.mode = opts.mode;
  }

  static async create(opts: AgentOptions): Promise<Agent> {
    const agent = new Agent(opts);
    let cursor: string | undefined;
    do {
      const page = await opts.client.listTools(cursor ? { cursor } : undefined);
      agent.allTools.push(...page.tools.map(toAgentTool));
      cursor = page.nextCursor;
    } while (cursor);
    return agent;
  }

  /**
   * The tools offered to the model now. Research mode leaves out the ones that change the
   * account or the data (orders, cancels, imports); analyses and backtests stay.
   */
  tools(): readonly AgentTool[] {
    return this.mode === "research" ? this.allTools.filter((t) => !t.destructive) : this.allTools;
  }

  get provider(): ChatProvider {
    return this.opts.provider;
  }

  /** Every model call of this session, for /cost. */
  turns(): readonly TurnRecord[] {
    return this.ledger;
  }

  clear(): void {
    this.history = [];
  }

  historyLength(): number {
    return this.history.length;
  }

  async ask(question: string, signal: AbortSignal = new AbortController().signal): Promise<Answer> {
    const { provider, limits, ui } = this.opts;
    const mark = this.history.length;
    this.history.push({ role: "user", text: question });
    const turns: TurnRecord[] = [];
    const toolRuns: ToolRun[] = [];
    let text = "";
    let contextTokens = estimateTokens(this.history);
    const finish = async (stop: StopKind, message?: string): Promise<Answer> => {
      const analysisIds = toolRuns.flatMap((r) =>
        ANALYSIS_WRITING_TOOLS.has(r.call.name) && !r.outcome.isError && typeof r.structured?.analysisId === "string" ? [r.structured.analysisId] : [],
      );
      const answer: Answer = { text, stop, ...(message ? { message } : {}), turns, toolRuns, analysisIds };
      for (const id of new Set(analysisIds)) {
        try {
          await this.opts.recordAnalysisCost?.(id, { question, answer, provider: provider.name, model: turns.at(-1)?.model ?? provider.model });
        } catch (err) {
          // The answer stands; only its bookkeeping failed, and the person is told.
          ui.notice(`Could not record this answer's cost in the analysis log for ${id}: ${(err as Error).message}`);
        }
      }
      return answer;
    };
    try {
      for (let step = 0; ; step++) {
        if (step >= limits.maxSteps) {
          return finish("step_limit", `Stopped after ${limits.maxSteps} model steps without a final answer (agent.maxSteps, ARGUS_AGENT_MAX_STEPS). The tool results so far stay in the conversation: ask to continue, or raise the limit.`);
        }
        const spent = totalsOf(turns);
        if (spent.inputTokens + spent.outputTokens >= limits.tokenBudget) {
          return finish("token_budget", `Stopped: this question used ${spent.inputTokens + spent.outputTokens} tokens, over the budget of ${limits.tokenBudget} (agent.tokenBudget, ARGUS_AGENT_TOKEN_BUDGET). Ask a narrower question or raise the budget.`);
        }
        const compacted = compact(this.history, limits.compactAtTokens, contextTokens);
        if (compacted) ui.notice(compacted);
        const started = this.opts.now();
        // Text from an earlier step of this answer ends its own line before the next step's text.
        let separate = text !== "";
        const turn = await provider.complete({
          system: this.opts.system,
          messages: this.history,
          tools: this.tools(),
          maxOutputTokens: limits.maxOutputTokens,
          signal,
          onText: (d) => {
            if (separate) ui.text("\n");
            separate = false;
            ui.text(d);
          },
        });
        const record: TurnRecord = { provider: provider.name, model: turn.model, usage: turn.usage, latencyMs: this.opts.now() - started, costUsd: estimateCost(turn.model, turn.usage, this.opts.prices) };
        turns.push(record);
        this.ledger.push(record);
        contextTokens = promptTokens(turn.usage) + turn.usage.outputTokens || estimateTokens(this.history);
        this.history.push({ role: "assistant", text: turn.text, toolCalls: turn.toolCalls });
        if (turn.text) text += (text ? "\n" : "") + turn.text;
        if (turn.toolCalls.length === 0) {
          return turn.stop === "max_tokens"
            ? finish("max_tokens", `The answer was cut at ${limits.maxOutputTokens} tokens (agent.maxOutputTokens); ask for a shorter answer or raise the limit.`)
            : finish("answered");
        }
        const runs = await runToolCalls(
          turn.toolCalls,
          { client: this.opts.client, available: () => this.tools(), maxResultChars: limits.maxToolResultChars, now: this.opts.now, onStart: (c) => ui.toolStart(c), onEnd: (r) => ui.toolEnd(r), onProgress: (...p) => ui.toolProgress(...p) },
          signal,
        );
        toolRuns.push(...runs);
        this.history.push({ role: "tool", outcomes: runs.map((r) => r.outcome) });
      }
    } catch (err) {
      // A question stopped halfway would leave tool calls without results, which no
      // provider accepts: the whole exchange leaves the history.
      this.history.length = mark;
      if (!signal.aborted && !(err instanceof AgentAborted)) throw err;
      return finish("aborted", "Stopped. This question was left out of the conversation.");
    }
  }
}
