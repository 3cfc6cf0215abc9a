import type { Writable } from "node:stream";
import { isArgusError } from "../core/errors.js";
import { formatUsd, totalsOf } from "./accounting.js";
import type { Answer } from "./agent.js";
import type { AgentSession } from "./session.js";
import { formatCost, formatTools } from "./terminal.js";

export const CHAT_HELP = [
  "/tools            the tools the model may use now",
  "/mode [research|trade]  show or switch: research leaves out orders, cancels and imports",
  "/cost             tokens and estimated cost of this session",
  "/clear            forget the conversation (the cost ledger stays)",
  "/exit             leave (Ctrl-D works too)",
  "Ctrl-C stops the answer being written; at the prompt it leaves.",
].join("\n");

/** One line after each answer: what it cost. */
export function answerFooter(answer: Answer): string {
  const t = totalsOf(answer.turns);
  const model = answer.turns.at(-1)?.model ?? "";
  return `[${model} · ${t.calls} call(s) · ${t.inputTokens} in / ${t.outputTokens} out · ${(t.latencyMs / 1000).toFixed(1)} s · ${formatUsd(t.costUsd)}]`;
}

/**
 * Asks one question with Ctrl-C wired to stop it: readline's SIGINT when a prompt reader
 * is open at a terminal, the process signal otherwise. The answer streams as it comes.
 */
export async function askWithInterrupt(session: AgentSession, question: string): Promise<Answer> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on("SIGINT", stop);
  const input = session.input();
  input.onInterrupt = stop;
  try {
    return await session.agent.ask(question, controller.signal);
  } finally {
    process.off("SIGINT", stop);
    input.onInterrupt = () => undefined;
    session.ui.endAnswer();
  }
}

/** Handles a slash command; false when the line is not one. */
function command(session: AgentSession, line: string, trace: Writable): boolean | "exit" {
  const [name, arg] = line.trim().split(/\s+/, 2);
  const { agent } = session;
  switch (name) {
    case "/exit":
    case "/quit":
      return "exit";
    case "/help":
      trace.write(`${CHAT_HELP}\n`);
      return true;
    case "/tools":
      trace.write(`${formatTools(agent.tools())}\n`);
      return true;
    case "/cost":
      trace.write(`${formatCost(agent.turns())}\n`);
      return true;
    case "/clear":
      agent.clear();
      trace.write("Conversation cleared.\n");
      return true;
    case "/mode":
      if (arg === "research" || arg === "trade") agent.mode = arg;
      else if (arg !== undefined) {
        trace.write(`Unknown mode "${arg}": use /mode research or /mode trade.\n`);
        return true;
      }
      trace.write(`Mode: ${agent.mode} (${agent.tools().length} tools${agent.mode === "trade" ? "; orders need your approval here" : ", no orders, cancels or imports"}).\n`);
      return true;
    default:
      if (!name?.startsWith("/")) return false;
      trace.write(`Unknown command ${name}.\n${CHAT_HELP}\n`);
      return true;
  }
}

/** The chat loop: questions with history, slash commands, until /exit, Ctrl-D or Ctrl-C at the prompt. */
export async function runChat(session: AgentSession, trace: Writable): Promise<void> {
  const { agent } = session;
  trace.write(
    `Argus copilot: ${agent.provider.name} ${agent.provider.model}, tools ${session.connection.where} (${agent.tools().length}, ${agent.mode} mode). /help for commands.\n`,
  );
  for (;;) {
    const line = await session.input().question("\nyou› ");
    if (line === null) break;
    if (line.trim() === "") continue;
    const handled = command(session, line, trace);
    if (handled === "exit") break;
    if (handled) continue;
    try {
      const answer = await askWithInterrupt(session, line);
      if (answer.message) session.ui.notice(answer.message);
      trace.write(`${answerFooter(answer)}\n`);
    } catch (err) {
      trace.write(isArgusError(err) ? `${err.code}: ${err.message}\n` : `Error: ${(err as Error).message}\n`);
    }
  }
}
