import { describe, expect, it } from "vitest";
import { formatCompact, formatFixed, linearScale, niceTicks, paddedScale, priceDecimals } from "./scales.js";

describe("niceTicks", () => {
  it("picks round steps of 1, 2, 2.5 or 5 × 10^k within the count", () => {
    expect(niceTicks(0, 100, 6)).toEqual({ ticks: [0, 20, 40, 60, 80, 100], step: 20, decimals: 0 });
    expect(niceTicks(0, 100, 11).ticks).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(niceTicks(117.3, 226.8, 8)).toEqual({ ticks: [120, 140, 160, 180, 200, 220], step: 20, decimals: 0 });
    expect(niceTicks(0.00121, 0.00129, 5)).toMatchObject({ ticks: [0.00122, 0.00124, 0.00126, 0.00128], decimals: 5 });
    expect(niceTicks(-7.3, 11.2, 5).ticks).toEqual([-5, 0, 5, 10]);
    expect(niceTicks(1, 2, 5)).toMatchObject({ ticks: [1, 1.25, 1.5, 1.75, 2], step: 0.25, decimals: 2 });
  });

  it("never exceeds the count and keeps ticks inside the range", () => {
    for (const [lo, hi] of [[3.3, 9.9], [1e6, 1.7e6], [0.5, 0.51], [-1e-4, 3e-4], [99, 4321]] as const) {
      for (const max of [2, 3, 5, 8, 12]) {
        const { ticks } = niceTicks(lo, hi, max);
        expect(ticks.length).toBeLessThanOrEqual(max);
        expect(ticks.length).toBeGreaterThan(0);
        for (const t of ticks) expect(t >= lo - 1e-12 && t <= hi + 1e-12).toBe(true);
      }
    }
  });

  it("widens a degenerate range and ignores non-finite input", () => {
    expect(niceTicks(50, 50, 5).ticks).toContain(50);
    expect(niceTicks(0, 0, 3).ticks).toContain(0);
    expect(niceTicks(Number.NaN, 1, 5).ticks).toEqual([]);
  });
});

describe("scales", () => {
  it("maps and inverts linearly, with inverted pixel ranges", () => {
    const y = linearScale([0, 100], [500, 100]);
    expect(y(0)).toBe(500);
    expect(y(100)).toBe(100);
    expect(y.invert(300)).toBe(50);
  });

  it("pads a data extent by pixels inside the pane", () => {
    const y = paddedScale(10, 20, 100, 300, 20, 40);
    expect(y(20)).toBeCloseTo(120);
    expect(y(10)).toBeCloseTo(260);
    expect(y(y.domain[0])).toBeCloseTo(300);
  });
});

describe("number labels", () => {
  it("formats prices, small prices and counts", () => {
    expect(formatFixed(1234.5, 2)).toBe("1,234.50");
    expect(formatFixed(-0.001, 2)).toBe("0.00");
    expect(priceDecimals(190.39)).toBe(2);
    expect(priceDecimals(0.00127)).toBe(5);
    expect(formatCompact(1_234_567)).toBe("1.2M");
    expect(formatCompact(950)).toBe("950");
    expect(formatCompact(250_000_000_000)).toBe("250B");
  });
});
