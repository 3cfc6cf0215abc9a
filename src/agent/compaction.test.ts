import { describe, expect, it } from "vitest";
import { compact, estimateTokens } from "./compaction.js";
import type { AgentMessage } from "./providers/types.js";

function round(q: string, resultChars: number): AgentMessage[] {
  return [
    { role: "user", text: q },
    { role: "assistant", text: "", toolCalls: [{ id: `${q}-1`, name: "get_bars", args: { symbol: "NOVA.DEMO" } }] },
    { role: "tool", outcomes: [{ callId: `${q}-1`, name: "get_bars", content: `Summary of ${q}\n${"x".repeat(resultChars)}`, isError: false }] },
    { role: "assistant", text: `answer ${q}`, toolCalls: [] },
  ];
}

describe("compaction", () => {
  it("does nothing under the budget", () => {
    const h = round("q1", 100);
    expect(compact(h, 10_000, estimateTokens(h))).toBeUndefined();
    expect(h).toEqual(round("q1", 100));
  });

  it("cuts older tool results to their summary line and keeps the latest round whole", () => {
    const h = [...round("q1", 40_000), ...round("q2", 40_000)];
    const note = compact(h, 15_000, estimateTokens(h));
    expect(note).toBe("Context compacted: 1 older tool result(s) cut to their summaries.");
    const tools = h.filter((m) => m.role === "tool");
    expect(tools[0]!.outcomes[0]!.content).toMatch(/^Summary of q1 \[compacted to its summary/);
    expect(tools[1]!.outcomes[0]!.content).toHaveLength("Summary of q2\n".length + 40_000);
    // Calls and their results stay paired: providers refuse a result without its call.
    expect(h.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "user", "assistant", "tool", "assistant"]);
    // Compacting twice changes nothing more.
    expect(compact(h, 15_000, estimateTokens(h) + 20_000)).toBeUndefined();
  });

  it("drops the oldest whole questions when summaries are not enough, keeping the last two", () => {
    const h: AgentMessage[] = [];
    for (const q of ["q1", "q2", "q3", "q4"]) h.push({ role: "user", text: `${q} ${"long question ".repeat(2000)}` }, { role: "assistant", text: "ok", toolCalls: [] });
    const note = compact(h, 10_000, estimateTokens(h));
    expect(note).toMatch(/2 oldest question\(s\) dropped/);
    expect(h.filter((m) => m.role === "user").map((m) => (m as { text: string }).text.slice(0, 2))).toEqual(["q3", "q4"]);
  });
});
