import { describe, expect, it } from "vitest";
import { BacktestClock, RealClock } from "./clock.js";

describe("clocks", () => {
  it("the real clock follows the system time", () => {
    const before = Date.now();
    const t = new RealClock().now();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });

  it("the backtest clock moves only when told, and never backwards", () => {
    const c = new BacktestClock(Date.parse("2020-01-02T14:30:00Z"));
    expect(c.kind).toBe("backtest");
    c.advance(60_000);
    expect(c.now()).toBe(Date.parse("2020-01-02T14:31:00Z"));
    expect(() => c.set(Date.parse("2020-01-02T14:00:00Z"))).toThrow(/backwards/);
    expect(() => new BacktestClock(Number.NaN)).toThrow(RangeError);
  });
});
