import type { AgentMessage } from "./providers/types.js";

const COMPACTED = "[compacted to its summary to save context; call the tool again if you need the details]";

/** A rough token count (4 characters a token) for when the provider has not reported one yet. */
export function estimateTokens(messages: readonly AgentMessage[]): number {
  let chars = 0;
  for (const m of messages) {
    if (m.role === "user") chars += m.text.length;
    else if (m.role === "assistant") chars += m.text.length + JSON.stringify(m.toolCalls).length;
    else for (const o of m.outcomes) chars += o.content.length;
  }
  return Math.ceil(chars / 4);
}

/**
 * Shrinks the history in place when it grows past the budget. First, tool results older
 * than the latest round are cut to their first line (the tool's own summary); if that is
 * not enough, the oldest whole questions are dropped, keeping the last two. The current
 * question and its latest tool round are never touched, and a tool round is never split
 * from the call that asked for it. Returns what it did, for the terminal.
 */
export function compact(history: AgentMessage[], budgetTokens: number, contextTokens: number): string | undefined {
  if (contextTokens <= budgetTokens) return undefined;
  let cut = 0;
  const lastTool = history.findLastIndex((m) => m.role === "tool");
  history.forEach((m, i) => {
    if (m.role !== "tool" || i === lastTool) return;
    for (const o of m.outcomes) {
      if (o.content.endsWith(COMPACTED)) continue;
      o.content = `${o.content.split("\n", 1)[0]!.slice(0, 300)} ${COMPACTED}`;
      cut++;
    }
  });
  let dropped = 0;
  const questionStarts = () => history.flatMap((m, i) => (m.role === "user" ? [i] : []));
  while (estimateTokens(history) > budgetTokens && questionStarts().length > 2) {
    history.splice(0, questionStarts()[1]!);
    dropped++;
  }
  if (cut === 0 && dropped === 0) return undefined;
  return `Context compacted: ${cut} older tool result(s) cut to their summaries${dropped ? `, ${dropped} oldest question(s) dropped` : ""}.`;
}
