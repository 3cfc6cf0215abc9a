import { describe, expect, it } from "vitest";
import { scoreTools } from "./tools.js";

const call = (name: string, isError = false) => ({ name, isError });

describe("scoreTools", () => {
  it("precision and recall over distinct successful tools", () => {
    const s = scoreTools([call("get_financial_statements"), call("get_financial_statements"), call("get_company"), call("get_concept_history", true)], {
      required: ["get_financial_statements", "get_concept_history"],
      forbidden: [],
    });
    expect(s.used).toEqual(["get_company", "get_financial_statements"]);
    expect(s.precision).toBe(0.5);
    expect(s.recall).toBe(0.5);
    expect(s.missing).toEqual(["get_concept_history"]);
    expect(s.failed).toBe(false);
  });

  it("a forbidden tool fails even when the call itself failed", () => {
    const s = scoreTools([call("propose_order", true)], { required: [], forbidden: ["propose_order", "cancel_order"] });
    expect(s.forbiddenUsed).toEqual(["propose_order"]);
    expect(s.failed).toBe(true);
  });

  it("no calls and nothing required is perfect; nothing used with something required has no recall", () => {
    expect(scoreTools([], { required: [], forbidden: [] })).toMatchObject({ precision: 1, recall: 1, failed: false });
    expect(scoreTools([], { required: ["get_indicators"], forbidden: [] })).toMatchObject({ precision: 1, recall: 0 });
  });
});
