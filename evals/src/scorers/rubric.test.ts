import { describe, expect, it } from "vitest";
import type { ChatProvider, ModelRequest } from "../../../src/agent/providers/types.js";
import type { RubricItem } from "../case.js";
import { assertDifferentJudge, scoreRubric } from "./rubric.js";

const item = (id: string, o: Partial<RubricItem> = {}): RubricItem => ({ id, text: `criterion ${id}`, mustPass: true, forbid: false, ...o });

function fakeJudge(model: string, reply: (req: ModelRequest) => string): ChatProvider & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    name: "openai",
    model,
    requests,
    async complete(req) {
      requests.push(req);
      return { text: reply(req), toolCalls: [], stop: "end", usage: { inputTokens: 100, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0 }, model };
    },
  };
}

describe("scoreRubric", () => {
  const answer = "Apple's FY2023 revenue was $383.3 billion (10-K, accession 0000320193-23-000106).";

  it("scores pattern items deterministically, case-insensitive, with forbid inverting", async () => {
    const s = await scoreRubric(answer, [
      item("cites", { pattern: "0000320193-23-000106" }),
      item("currency", { pattern: "\\$\\s?383", mustPass: false }),
      item("no_certainty", { pattern: "guaranteed|certainly will", forbid: true }),
      item("says_q4", { pattern: "fourth quarter" }),
    ]);
    expect(s.items.map((i) => i.verdict)).toEqual(["pass", "pass", "pass", "fail"]);
    expect(s.mustPassFailed).toEqual(["says_q4"]);
    expect(s.score).toBe(0.75);
    expect((await scoreRubric("Revenue is GUARANTEED to grow", [item("no_certainty", { pattern: "guaranteed", forbid: true })])).mustPassFailed).toEqual(["no_certainty"]);
  });

  it("without a judge, items without a pattern are unscored, not failed", async () => {
    const s = await scoreRubric(answer, [item("explains", { mustPass: true })]);
    expect(s.items[0]).toMatchObject({ verdict: "unscored", by: "none" });
    expect(s.mustPassUnscored).toEqual(["explains"]);
    expect(s.mustPassFailed).toEqual([]);
    expect(s.score).toBe(1);
  });

  it("asks the judge for items without a pattern, and counts its tokens", async () => {
    const judge = fakeJudge("gpt-4.1", (req) => (String((req.messages[0] as { text: string }).text).includes("criterion good") ? '{"pass": true, "reason": "ok"}' : 'Sure! {"pass": false, "reason": "no"}'));
    const s = await scoreRubric(answer, [item("good"), item("bad"), item("pat", { pattern: "revenue" })], { judge, testedModel: "claude-sonnet-4-6", question: "What was Apple's FY2023 revenue?" });
    expect(s.items.map((i) => [i.id, i.verdict, i.by])).toEqual([["good", "pass", "judge"], ["bad", "fail", "judge"], ["pat", "pass", "pattern"]]);
    expect(judge.requests).toHaveLength(2);
    expect(judge.requests[0]!.tools).toEqual([]);
    expect(s.judgeTurns).toHaveLength(2);
    expect(s.judgeTurns[0]!.costUsd).toBeGreaterThan(0);
  });

  it("an unreadable judge reply fails the item and says why", async () => {
    const s = await scoreRubric(answer, [item("x")], { judge: fakeJudge("gpt-4.1", () => "I think it is fine"), testedModel: "other" });
    expect(s.items[0]).toMatchObject({ verdict: "fail", by: "judge" });
    expect(s.items[0]!.reason).toMatch(/unreadable/);
  });

  it("refuses a judge that is the model under test, dated snapshots included", async () => {
    expect(() => assertDifferentJudge({ model: "gpt-4.1" }, "gpt-4.1")).toThrow(/judge/);
    expect(() => assertDifferentJudge({ model: "gpt-4.1-2025-04-14" }, "gpt-4.1")).toThrow(/judge/);
    expect(() => assertDifferentJudge({ model: "claude-opus-4-6" }, "gpt-4.1")).not.toThrow();
    await expect(scoreRubric(answer, [item("x")], { judge: fakeJudge("gpt-4.1", () => "{}"), testedModel: "gpt-4.1" })).rejects.toThrow(/judge/);
  });
});
