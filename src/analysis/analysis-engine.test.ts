import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, createTestApp, type TestApp } from "../../test/support/app.js";
import { createToolRegistry } from "../../tools/index.js";
import type { ToolResult } from "../../tools/registry.js";

const DAILY = join(FIXTURES, "bars", "daily");
type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe.skipIf(!existsSync(DAILY))("AnalysisEngine on real daily bars, two years back", () => {
  let t: TestApp;
  const registry = createToolRegistry();
  const call = async (name: string, args: Record<string, unknown>): Promise<Out> => {
    const r: ToolResult = await registry.call(name, args, { app: t.app });
    if (!r.ok) throw new Error(`${name}: ${r.error.code}: ${r.error.message}`);
    return r.structured;
  };
  const callError = async (name: string, args: Record<string, unknown>) => {
    const r = await registry.call(name, args, { app: t.app });
    return r.ok ? "ok" : r.error.code;
  };

  beforeAll(() => {
    // 2018-12-03 10:00 New York; the fixtures run to 2020-12-11.
    t = createTestApp({ demo: false, now: Date.parse("2018-12-03T15:00:00Z") });
    for (const s of ["AAPL", "JPM", "XOM"]) t.app.data.importCsv({ path: join(DAILY, `${s}.csv`) }, { trusted: true });
  });
  afterAll(() => t.cleanup());

  it("analyze_ticker returns every field, sees no bar after the clock, and logs the row", async () => {
    const a = await call("analyze_ticker", { symbol: "AAPL" });
    for (const key of ["analysisId", "decision", "probability", "entry", "regime", "votes", "evidence", "bars", "modelVersion", "disclaimer", "riskReward", "targets", "stop"]) {
      expect(a, key).toHaveProperty(key);
    }
    expect(a.bars.to).toBe("2018-11-30T00:00:00-05:00"); // Friday's bar; Monday's is still forming
    expect(a.entry).toBe(44.645); // AAPL close 2018-11-30 in the fixture (split-adjusted)
    expect(a.votes.map((v: Out) => v.strategy)).toEqual(["vwap", "rsi", "momentum"]);
    expect(a.bars.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.disclaimer).toMatch(/not investment advice/);
    if (a.decision !== "HOLD") {
      expect(a.stop).not.toBeNull();
      expect(a.riskReward).toBeCloseTo(2, 6);
    }
    const listed = await call("list_analyses", { symbol: "AAPL" });
    expect(listed.analyses.map((x: Out) => x.analysisId)).toContain(a.analysisId);
    // The analysis is also in the tamper-evident audit log, with the hash of its bars.
    const audited = t.app.audit.list({ kind: "analysis.logged", subject: a.analysisId, limit: 1 });
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited[0])).toContain(a.bars.dataHash);
  });

  it("explain_signal reproduces the logged numbers and re-checks the bars", async () => {
    const a = await call("analyze_ticker", { symbol: "JPM" });
    const e = await call("explain_signal", { analysisId: a.analysisId });
    expect(e.votes).toEqual(a.votes);
    expect(e.indicators).toEqual(a.indicators);
    expect(e.probability).toBe(a.probability);
    expect(e.modelVersion).toBe(a.modelVersion);
    expect(e.levels).toEqual({ entry: a.entry, stop: a.stop, targets: a.targets, riskReward: a.riskReward });
    expect(e.bars).toMatchObject({ dataHash: a.bars.dataHash, count: a.bars.count, stillMatches: true, synthetic: false });
    expect(e.regime).toBe(a.regime.regime);
    expect(e.outcome).toBeNull();
    expect(await callError("explain_signal", { analysisId: "no-such-id" })).toBe("UNKNOWN_ANALYSIS");
    // Another process rewrites one of the bars it used: the explanation says so.
    const other = createTestApp({ demo: false, env: { ARGUS_HOME: t.home } });
    other.app.db.$client.prepare("update bars set close = close + 1 where symbol = 'JPM' and timeframe = '1Day' and ts = ?").run(Date.parse("2018-11-29T05:00:00Z"));
    other.cleanup();
    expect((await call("explain_signal", { analysisId: a.analysisId })).bars.stillMatches).toBe(false);
  });

  it("score_outcomes fills outcomes from the bars that follow, once the clock allows", async () => {
    const a = await call("analyze_ticker", { symbol: "XOM" });
    const early = await call("score_outcomes", { symbol: "XOM" });
    expect(early.scoredCount).toBe(0);
    expect(early.pending).toBeGreaterThan(0);
    t.clock.set(Date.parse("2018-12-14T22:00:00Z"));
    const r = await call("score_outcomes", { symbol: "XOM" });
    const mine = r.scored.find((s: Out) => s.analysisId === a.analysisId);
    // Entry = close 2018-11-30; exit = close five sessions later: 2018-12-10, because the
    // exchange closed on 2018-12-05 (National Day of Mourning for President Bush).
    const bars = t.app.data.getBars({ symbol: "XOM", timeframe: "1Day", from: "2018-11-30", to: "2018-12-10" }).bars;
    expect(bars).toHaveLength(6);
    expect(mine.realizedReturn).toBeCloseTo(bars[5]!.close / bars[0]!.close - 1, 12);
    const e = await call("explain_signal", { analysisId: a.analysisId });
    expect(e.outcome).toMatchObject({ exitTime: "2018-12-10T00:00:00-05:00", exitPrice: bars[5]!.close });
    expect((await call("score_outcomes", { symbol: "XOM" })).scoredCount).toBe(0); // idempotent
  });

  it("rejects bad requests with stable codes", async () => {
    expect(await callError("analyze_ticker", { symbol: "NOPE" })).toBe("UNKNOWN_SYMBOL");
    expect(await callError("get_indicators", { symbol: "AAPL", indicators: [{ name: "sma", period: 0 }] })).toBe("INVALID_INPUT");
    expect(await callError("get_indicators", { symbol: "AAPL", indicators: [{ name: "rsi", period: -3 }] })).toBe("INVALID_INPUT");
    const file = join(t.home, "TINY.csv");
    const rows = ["Date,Open,High,Low,Close,Adj Close,Volume"];
    for (let d = 1; d <= 25; d++) rows.push(`2018-10-${String(d).padStart(2, "0")},10,11,9,10.5,10.5,100`);
    writeFileSync(file, rows.filter((r) => !/2018-10-(06|07|13|14|20|21)/.test(r)).join("\n"));
    t.app.data.importCsv({ path: file, skipBadRows: true }, { trusted: true });
    expect(await callError("analyze_ticker", { symbol: "TINY" })).toBe("INSUFFICIENT_HISTORY");
    expect(await callError("get_indicators", { symbol: "TINY", indicators: [{ name: "sma", period: 50 }] })).toBe("INSUFFICIENT_HISTORY");
  });

  it("get_indicators returns the latest values and aligned series", async () => {
    const r = await call("get_indicators", { symbol: "AAPL", indicators: [{ name: "rsi" }, { name: "macd" }, { name: "bollinger", period: 20, stdDev: 2 }], limit: 10 });
    expect(r.times).toHaveLength(10);
    expect(r.indicators.map((i: Out) => i.key)).toEqual(["rsi(14)", "macd(12,26,9)", "bollinger(20,2)"]);
    for (const i of r.indicators) for (const s of Object.values(i.series) as number[][]) expect(s).toHaveLength(10);
    expect(r.indicators[0].latest.value).toBeGreaterThan(0);
  });
});

describe.skipIf(!existsSync(DAILY))("optimize_weights from scored history", () => {
  it("records per-regime weights once enough analyses are scored, and later analyses use them", async () => {
    const t = createTestApp({ demo: false, now: Date.parse("2016-01-04T21:30:00Z") });
    try {
      const symbols = ["AAPL", "JPM", "XOM", "KO"];
      for (const s of symbols) t.app.data.importCsv({ path: join(DAILY, `${s}.csv`) }, { trusted: true });
      // Weekly analyses through 2016-2017, after each Monday's close.
      for (let week = 0; week < 100; week++) {
        t.clock.set(Date.parse("2016-01-04T21:30:00Z") + week * 7 * 86_400_000);
        for (const s of symbols) await t.app.analysis.analyze(s);
      }
      t.clock.advance(14 * 86_400_000);
      const scored = t.app.analysis.scoreOutcomes({ limit: 10_000 });
      expect(scored.scored.length).toBe(400);
      const proposals = t.app.analysis.optimizeWeights();
      const recorded = proposals.filter((p) => p.weightSetId !== null);
      expect(recorded.length).toBeGreaterThan(0);
      for (const p of recorded) {
        expect(p.sampleSize).toBeGreaterThanOrEqual(30);
        expect(p.weights.vwap + p.weights.rsi + p.weights.momentum).toBeCloseTo(1, 12);
        // The recorded weights are exactly the shrinkage formula applied to the evidence.
        const base = { vwap: 0.35, rsi: 0.3, momentum: 0.35 };
        const shrunk = (["vwap", "rsi", "momentum"] as const).map((k) => {
          const lambda = p.evidence[k].samples / (p.evidence[k].samples + 30);
          return lambda * p.evidence[k].rawWeight + (1 - lambda) * base[k];
        });
        const total = shrunk.reduce((a, b) => a + b, 0);
        expect([p.weights.vwap, p.weights.rsi, p.weights.momentum].map((w) => Number(w.toFixed(12)))).toEqual(shrunk.map((w) => Number((w / total).toFixed(12))));
      }
      t.clock.advance(86_400_000);
      const regimes = new Set(recorded.map((p) => p.regime));
      let used = false;
      for (const s of symbols) {
        const a = await t.app.analysis.analyze(s);
        if (regimes.has(a.regime.regime)) {
          expect(a.weightSetId).toBe(recorded.find((p) => p.regime === a.regime.regime)!.weightSetId);
          used = true;
        } else expect(a.weightSetId).toBeNull();
      }
      expect(used).toBe(true);
    } finally {
      t.cleanup();
    }
  });
});
