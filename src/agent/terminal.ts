import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { styleText } from "node:util";
import type { ElicitRequestFormParams, ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { formatUsd, totalsOf, type TurnRecord } from "./accounting.js";
import type { AgentUi } from "./agent.js";
import type { ElicitationHandler } from "./connect.js";
import type { AgentTool, ToolCall } from "./providers/types.js";
import type { ToolRun } from "./tool-calls.js";

type Style = Parameters<typeof styleText>[0];

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The answer streams to `out` (stdout, so `argus ask ... > answer.md` keeps only the
 * answer); tool calls, their results and notices go to `trace` (stderr).
 */
export class TerminalUi implements AgentUi {
  private midLine = false;
  private readonly progressShown = new Map<string, number>();

  constructor(
    private readonly out: Writable,
    private readonly trace: Writable,
    private readonly color: boolean,
  ) {}

  private paint(style: Style, s: string): string {
    return this.color ? styleText(style, s) : s;
  }

  private traceLine(s: string): void {
    // Keep the trace off the end of a half-written answer line.
    if (this.midLine && this.out === this.trace) this.out.write("\n");
    this.midLine = false;
    this.trace.write(`${s}\n`);
  }

  text(delta: string): void {
    this.out.write(delta);
    this.midLine = !delta.endsWith("\n");
  }

  toolStart(call: ToolCall): void {
    this.traceLine(this.paint("dim", `  → ${call.name} ${oneLine(JSON.stringify(call.args), 160)}`));
  }

  toolEnd(run: ToolRun): void {
    const status = run.outcome.isError ? this.paint("red", "error") : this.paint("green", "ok");
    this.traceLine(this.paint("dim", `  ← ${run.call.name} ${status} ${Math.round(run.ms)} ms: `) + oneLine(run.outcome.content.split("\n", 1)[0] ?? "", 200));
  }

  toolProgress(call: ToolCall, done: number, total: number | undefined, message: string | undefined): void {
    // One line per tenth of the way: a backtest reports far more often than a person reads.
    const step = total ? Math.floor((10 * done) / total) : Math.floor(Math.log2(Math.max(done, 1)));
    if (this.progressShown.get(call.id) === step) return;
    this.progressShown.set(call.id, step);
    const share = total ? ` ${Math.round((100 * done) / total)}%` : ` ${done}`;
    this.traceLine(this.paint("dim", `  … ${call.name}${share}${message ? `: ${oneLine(message, 120)}` : ""}`));
  }

  notice(message: string): void {
    this.traceLine(this.paint("yellow", message));
  }

  /** Ends the answer's last line before a prompt or the next question. */
  endAnswer(): void {
    if (this.midLine) this.out.write("\n");
    this.midLine = false;
  }
}

/**
 * Lines typed by the person: chat input and answers to approval prompts share one reader.
 * Lines typed ahead while an answer is being written are kept for the next question, but
 * an approval prompt drops them: an order is approved only by a line typed after it was
 * shown. `question` resolves null at end of input (Ctrl-D, a closed pipe) or on Ctrl-C at
 * a prompt.
 */
export class LineInput {
  private readonly rl: Interface;
  private closed = false;
  private readonly typedAhead: string[] = [];
  private pending: ((line: string | null) => void) | undefined;
  /** Ctrl-C while no prompt is open (an answer is being written). */
  onInterrupt: () => void = () => undefined;

  constructor(input: Readable, output: Writable, terminal: boolean) {
    this.rl = createInterface({ input, output, terminal });
    this.rl.on("line", (line) => {
      if (this.pending) this.answer(line);
      else this.typedAhead.push(line);
    });
    this.rl.on("close", () => {
      this.closed = true;
      this.answer(null);
    });
    this.rl.on("SIGINT", () => {
      if (this.pending) this.answer(null);
      else this.onInterrupt();
    });
  }

  private answer(line: string | null): void {
    const resolve = this.pending;
    this.pending = undefined;
    resolve?.(line);
  }

  question(prompt: string, opts: { fresh?: boolean } = {}): Promise<string | null> {
    if (opts.fresh) this.typedAhead.length = 0;
    const ahead = this.typedAhead.shift();
    if (ahead !== undefined) return Promise.resolve(ahead);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.pending = resolve;
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    });
  }

  close(): void {
    this.rl.close();
  }
}

function yes(answer: string): boolean {
  return /^(y|yes)$/i.test(answer.trim());
}

/**
 * Approval prompts answered by the person at the terminal. The server's message (the
 * order, its cost estimate and every warning) is shown as sent; a yes/no field takes only
 * "y" or "yes" as yes. No answer (end of input, Ctrl-C) is a cancel: the proposal keeps
 * waiting for an out-of-band decision, it is never approved by default.
 */
export function terminalElicitation(input: () => LineInput, trace: Writable, color: boolean): ElicitationHandler {
  return async (request: ElicitRequestFormParams): Promise<ElicitResult> => {
    const bar = "─".repeat(60);
    trace.write(`\n${color ? styleText("bold", bar) : bar}\n${request.message}\n${color ? styleText("bold", bar) : bar}\n`);
    const content: Record<string, string | number | boolean> = {};
    const properties = request.requestedSchema.properties as Record<string, { type?: string; title?: string; description?: string; enum?: string[] }>;
    for (const [key, prop] of Object.entries(properties)) {
      const label = prop.title ?? key;
      if (prop.type === "boolean") {
        const line = await input().question(`${label}? [y/N] `, { fresh: true });
        if (line === null) return { action: "cancel" };
        if (!yes(line)) return { action: "decline" };
        content[key] = true;
      } else {
        const choices = prop.enum ? ` (${prop.enum.join(", ")})` : "";
        const line = await input().question(`${label}${choices}: `, { fresh: true });
        if (line === null) return { action: "cancel" };
        if (line.trim() === "") return { action: "decline" };
        content[key] = prop.type === "number" || prop.type === "integer" ? Number(line) : line.trim();
      }
    }
    return { action: "accept", content };
  };
}

export function formatCost(turns: readonly TurnRecord[]): string {
  if (turns.length === 0) return "No model calls yet.";
  const groups = new Map<string, TurnRecord[]>();
  for (const t of turns) groups.set(`${t.provider} ${t.model}`, [...(groups.get(`${t.provider} ${t.model}`) ?? []), t]);
  const lines = [...groups].map(([k, ts]) => {
    const s = totalsOf(ts);
    return `${k}: ${s.calls} call(s), ${s.inputTokens} input tokens (${s.cacheReadTokens} from cache), ${s.outputTokens} output, ${(s.latencyMs / 1000).toFixed(1)} s, ${formatUsd(s.costUsd)}`;
  });
  const all = totalsOf(turns);
  return [...lines, `total: ${formatUsd(all.costUsd)} (an estimate from list prices)`].join("\n");
}

export function formatTools(tools: readonly AgentTool[]): string {
  return tools.map((t) => `${t.readOnly ? "  " : "✎ "}${t.name.padEnd(28)} ${oneLine(t.description, 90)}`).join("\n") + "\n(✎ = may change something; orders still need your approval)";
}
