import { describe, expect, it } from "vitest";
import { CHECK_CODES, CHECK_ERROR, CHECK_PIPELINE, RiskFirewall, type PipelineEntry } from "./firewall.js";
import { baseContext, baseIntent, position, basePositions, type BaseContextOverrides } from "./test-context.js";
import type { OrderIntent, RiskCheck } from "./types.js";

const ORDER = [
  "TRADING_STATE",
  "SYMBOL_ALLOWED",
  "ORDER_SHAPE",
  "PRICE_SANITY",
  "DUPLICATE_CLIENT_ID",
  "DUPLICATE_ORDER",
  "PRICE_FRESH",
  "PRICE_COLLAR",
  "FAT_FINGER",
  "POSITION_SIZE",
  "POSITION_LIMIT",
  "GROSS_EXPOSURE",
  "MAX_OPEN_POSITIONS",
  "SECTOR_CONCENTRATION",
  "BUYING_POWER",
  "SHORTING",
  "DAILY_LOSS",
  "WEEKLY_LOSS",
  "DRAWDOWN",
  "REGIME",
  "PDT",
  "ORDER_RATE",
];

const fw = new RiskFirewall();
const failed = (r: { checks: { code: string; passed: boolean }[] }) => r.checks.filter((c) => !c.passed).map((c) => c.code);

describe("RiskFirewall.evaluate", () => {
  it("runs every check once, in the DESIGN's order, and approves a sound order", () => {
    expect(CHECK_CODES).toEqual(ORDER);
    expect(CHECK_PIPELINE.map((e) => e.code)).toEqual(ORDER);
    const ctx = baseContext();
    const r = fw.evaluate(baseIntent(), ctx);
    expect(r.checks.map((c) => c.code)).toEqual(ORDER);
    expect(new Set(r.checks.map((c) => c.code)).size).toBe(ORDER.length);
    expect(failed(r)).toEqual([]);
    expect(r.approved).toBe(true);
    expect(r.estimate).toEqual({ price: 400, qty: 20, notional: 8000 });
    expect(r.limits).toBe(ctx.limits);
    expect(r.state).toBe("ACTIVE");
    expect(r.evaluatedAt).toBe(ctx.now);
    expect(r.warnings).toEqual([]);
    for (const c of r.checks) expect(c.detail.length, c.code).toBeGreaterThan(10);
  });

  it("never short-circuits: a hopeless order still gets the full list", () => {
    const r = fw.evaluate(baseIntent({ qty: 100_000, type: "limit" }), baseContext({ state: "HALTED", price: null }));
    expect(r.approved).toBe(false);
    expect(r.checks.map((c) => c.code)).toEqual(ORDER);
    expect(failed(r)).toEqual(expect.arrayContaining(["TRADING_STATE", "ORDER_SHAPE", "PRICE_FRESH", "FAT_FINGER", "BUYING_POWER"]));
  });

  it("HALTED blocks an otherwise sound order, reducing ones too", () => {
    expect(failed(fw.evaluate(baseIntent(), baseContext({ state: "HALTED" })))).toEqual(["TRADING_STATE"]);
    const reduce = fw.evaluate(baseIntent({ symbol: "AAPL", side: "sell", qty: 40 }), baseContext({ orderSymbol: "AAPL", state: "HALTED" }));
    expect(reduce.approved).toBe(false);
    expect(failed(reduce)).toEqual(["TRADING_STATE"]);
  });

  describe("REDUCING", () => {
    const ctx = (o: Parameters<typeof baseContext>[0] = {}) => baseContext({ state: "REDUCING", ...o });
    it("a reducing sell is approved", () => {
      const r = fw.evaluate(baseIntent({ symbol: "AAPL", side: "sell", qty: 40 }), ctx({ orderSymbol: "AAPL" }));
      expect(failed(r)).toEqual([]);
      expect(r.approved).toBe(true);
    });
    it("a buy covering a short is approved", () => {
      const r = fw.evaluate(baseIntent({ qty: 10 }), ctx({ positions: [...basePositions(), position("MSFT", -10)] }));
      expect(failed(r)).toEqual([]);
    });
    it("opening from flat fails", () => {
      expect(failed(fw.evaluate(baseIntent(), ctx()))).toEqual(["TRADING_STATE"]);
    });
    it("flipping a long into a short fails", () => {
      const r = fw.evaluate(baseIntent({ symbol: "AAPL", side: "sell", qty: 100 }), ctx({ orderSymbol: "AAPL" }));
      expect(failed(r)).toEqual(expect.arrayContaining(["TRADING_STATE", "SHORTING"]));
      expect(r.approved).toBe(false);
    });
  });

  it("shares derived values within one evaluation only: nothing stale leaks into the next", () => {
    const ctx = baseContext();
    const intent = baseIntent({ qty: 30 });
    expect(failed(fw.evaluate(intent, ctx))).toEqual(["SECTOR_CONCENTRATION"]); // Technology $30,400
    ctx.positions = ctx.positions.filter((p) => p.symbol !== "AAPL");
    expect(fw.evaluate(intent, ctx).approved).toBe(true);
    ctx.positions = [...ctx.positions, position("AAPL", 80), position("MSFT", -30)];
    const r = fw.evaluate(intent, ctx); // now a buy of 30 only covers the short
    expect(r.approved).toBe(true);
    expect(r.checks.find((c) => c.code === "POSITION_SIZE")!.detail).toMatch(/Reduces an existing position/);
  });

  it("collects warnings, prefixed by their code", () => {
    const r = fw.evaluate(baseIntent(), baseContext({ regime: null, marketOpen: false, price: { price: 400, asOf: baseContext().now - 3_600_000, sessionsSince: 0 } }));
    expect(r.approved).toBe(true);
    expect(r.warnings).toEqual([expect.stringMatching(/^ORDER_SHAPE: The regular session is closed/), expect.stringMatching(/^REGIME: The MSFT regime is unknown/)]);
  });

  it("fails closed on an empty context: no account, price, equity, symbol or sector", () => {
    const r = fw.evaluate(baseIntent(), baseContext({ account: null, price: null, equity: null, symbol: null, atr: null, sectorOf: () => null, priceOf: () => null }));
    expect(r.approved).toBe(false);
    expect(r.estimate).toEqual({ price: null, qty: 20, notional: null });
    expect(failed(r)).toEqual([
      "SYMBOL_ALLOWED",
      "PRICE_FRESH",
      "FAT_FINGER",
      "POSITION_SIZE",
      "POSITION_LIMIT",
      "GROSS_EXPOSURE",
      "SECTOR_CONCENTRATION",
      "BUYING_POWER",
      "DAILY_LOSS",
      "WEEKLY_LOSS",
      "DRAWDOWN",
    ]);
  });

  describe("CHECK_ERROR", () => {
    const ok: RiskCheck = () => ({ code: "OK", passed: true, detail: "fine" });
    const pipeline = (check: RiskCheck): PipelineEntry[] => [
      { code: "OK", check: ok },
      { code: "BROKEN", check },
      { code: "OK2", check: () => ({ code: "OK2", passed: true, detail: "fine too" }) },
    ];

    it("a throwing check becomes a failed CHECK_ERROR result and the rest still run", () => {
      const r = new RiskFirewall(
        pipeline(() => {
          throw new Error("boom");
        }),
      ).evaluate(baseIntent(), baseContext());
      expect(r.approved).toBe(false);
      expect(r.checks.map((c) => c.code)).toEqual(["OK", CHECK_ERROR, "OK2"]);
      expect(r.checks[1]).toEqual({ code: CHECK_ERROR, passed: false, detail: "The BROKEN check could not be evaluated (boom); the order is blocked until it can be." });
    });
    it("a malformed result or the wrong code is a CHECK_ERROR too", () => {
      const junk = new RiskFirewall(pipeline(() => ({ passed: "yes" }) as unknown as ReturnType<RiskCheck>)).evaluate(baseIntent(), baseContext());
      expect(junk.checks[1]).toMatchObject({ code: CHECK_ERROR, passed: false });
      const wrong = new RiskFirewall(pipeline(() => ({ code: "OK", passed: true, detail: "impostor" }))).evaluate(baseIntent(), baseContext());
      expect(wrong.checks[1]!.detail).toMatch(/answered with code OK/);
      expect(wrong.approved).toBe(false);
    });
    it("a real check whose context throws fails closed inside the full pipeline", () => {
      const ctx = baseContext({
        sectorOf: () => {
          throw new Error("sector lookup failed");
        },
      });
      const r = fw.evaluate(baseIntent(), ctx);
      expect(r.approved).toBe(false);
      expect(r.checks).toHaveLength(ORDER.length);
      expect(r.checks[ORDER.indexOf("SECTOR_CONCENTRATION")]).toMatchObject({ code: CHECK_ERROR, passed: false, detail: expect.stringMatching(/SECTOR_CONCENTRATION check could not be evaluated \(sector lookup failed\)/) });
    });
    it("garbage input never throws out of evaluate", () => {
      const r = fw.evaluate({ side: "buy" } as unknown as OrderIntent, baseContext());
      expect(r.approved).toBe(false);
      expect(r.checks).toHaveLength(ORDER.length);
      expect(r.checks.some((c) => c.code === CHECK_ERROR)).toBe(true);
    });
  });
});

describe("RiskFirewall.signals", () => {
  const signalsFor = (equity: BaseContextOverrides["equity"], state: "ACTIVE" | "REDUCING" | "HALTED" = "ACTIVE") => fw.signals(fw.evaluate(baseIntent(), baseContext({ equity, state })));

  it("nothing breached → no action", () => {
    const s = signalsFor({});
    expect(s).toEqual({ reason: "No loss limit or drawdown level is breached." });
  });
  it("daily loss → REDUCING", () => {
    const s = signalsFor({ previousClose: 102_500 }); // −2.44%
    expect(s.stateShouldBe).toBe("REDUCING");
    expect(s.killSwitch).toBeUndefined();
    expect(s.reason).toMatch(/^DAILY_LOSS: /);
  });
  it("weekly loss → HALTED (the stronger state wins)", () => {
    const s = signalsFor({ previousClose: 102_500, startOfWeek: 106_000, peak: 106_000 }); // −2.4% day, −5.7% week
    expect(s.stateShouldBe).toBe("HALTED");
    expect(s.reason).toMatch(/DAILY_LOSS: .* WEEKLY_LOSS: /);
  });
  it("drawdown at the kill level → kill switch", () => {
    const s = signalsFor({ peak: 120_000 }); // −16.7%
    expect(s).toMatchObject({ killSwitch: true, stateShouldBe: "HALTED" });
    expect(s.reason).toMatch(/DRAWDOWN: .*kill switch/);
  });
  it("only escalations: nothing when the book is already there", () => {
    expect(signalsFor({ previousClose: 102_500 }, "REDUCING").stateShouldBe).toBeUndefined();
    const halted = signalsFor({ peak: 120_000 }, "HALTED");
    expect(halted.killSwitch).toBeUndefined();
    expect(halted.stateShouldBe).toBeUndefined();
    expect(signalsFor({ previousClose: 102_500, startOfWeek: 106_000 }, "REDUCING").stateShouldBe).toBe("HALTED");
  });
  it("works on a stored (JSON round-tripped) result", () => {
    const stored = JSON.parse(JSON.stringify(fw.evaluate(baseIntent(), baseContext({ equity: { peak: 120_000 } })))) as ReturnType<RiskFirewall["evaluate"]>;
    expect(fw.signals(stored).killSwitch).toBe(true);
  });
});
