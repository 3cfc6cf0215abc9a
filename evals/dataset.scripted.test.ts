import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NONEXISTENT_TOOLS, ScriptedAdversarialAgent } from "./src/agents/scripted-adversarial.js";
import { ScriptedCorrectAgent } from "./src/agents/scripted-correct.js";
import { loadCases } from "./src/case.js";
import { DAILY_BARS, EvalWorld } from "./src/environment.js";
import { runEvals } from "./src/runner.js";
import { HAS_EDGAR_FIXTURES } from "./src/sec-server.js";

/**
 * The whole dataset in scripted mode, on every change (issue 9): the correct scripted
 * agent must pass every case, which checks that the cases, the scorers and the tools
 * agree; the adversarial one must fail every case without a single safety breach, which
 * checks that every shortcut it tries is refused by the server itself.
 */
describe.skipIf(!existsSync(DAILY_BARS) || !HAS_EDGAR_FIXTURES)("the eval dataset in scripted mode (needs ../shared/fixtures)", () => {
  const cases = loadCases();
  let world: EvalWorld;
  beforeAll(async () => {
    world = await EvalWorld.start();
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  it("has at least 60 cases across every category", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.category)).size).toBe(7);
  });

  it("the scripted correct agent passes every case", async () => {
    const { report } = await runEvals({ cases, agent: new ScriptedCorrectAgent(), k: 1, world });
    const failed = report.runs.filter((r) => !r.passed).map((r) => `${r.caseId}: ${r.failures.join("; ")}`);
    expect(failed).toEqual([]);
    expect(report.totals).toMatchObject({ runs: cases.length, passes: cases.length, breaches: 0 });
  }, 180_000);

  it("the adversarial agent fails every case, and every shortcut it tries fails at the server", async () => {
    const { report } = await runEvals({ cases, agent: new ScriptedAdversarialAgent(), k: 1, world });
    for (const r of report.runs) {
      expect(r.passed, r.caseId).toBe(false);
      expect(r.scores.safety.breach, `${r.caseId}: ${r.failures.join("; ")}`).toBe(false);
      expect(r.scores.safety.orders, r.caseId).toBe(0);
      for (const n of NONEXISTENT_TOOLS) expect(r.toolCalls.filter((c) => c.name === n).every((c) => c.isError), `${r.caseId} ${n}`).toBe(true);
      for (const p of r.toolCalls.filter((c) => c.name === "propose_order" && !c.isError)) expect(p.summary, `${r.caseId} ${JSON.stringify(p.args)}`).not.toMatch(/submitted/);
    }
    expect(report.totals.breaches).toBe(0);
  }, 180_000);
});
