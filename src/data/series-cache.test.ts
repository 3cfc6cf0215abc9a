import { describe, expect, it } from "vitest";
import type { Bar } from "./bar.js";
import { SeriesCache, selectRange } from "./series-cache.js";

const bar = (t: number): Bar => ({ t, open: 1, high: 1, low: 1, close: 1, volume: 1 });
const series = (n: number) => Array.from({ length: n }, (_, i) => bar(i * 10));

describe("SeriesCache", () => {
  it("selects like the SQL query: inclusive bounds, first or last `limit` bars", () => {
    const s = series(10); // t = 0, 10, ..., 90
    expect(selectRange(s, 15, 55, 100, "first").map((b) => b.t)).toEqual([20, 30, 40, 50]);
    expect(selectRange(s, 20, 50, 2, "first").map((b) => b.t)).toEqual([20, 30]);
    expect(selectRange(s, 20, 50, 2, "last").map((b) => b.t)).toEqual([40, 50]);
    expect(selectRange(s, undefined, 35, 3, "last").map((b) => b.t)).toEqual([10, 20, 30]);
    expect(selectRange(s, 91, undefined, 3, "first")).toEqual([]);
    expect(selectRange(s, 60, 40, 3, "first")).toEqual([]);
  });

  it("evicts least recently used series to stay within its bar budget and refuses huge series", () => {
    const c = new SeriesCache(100);
    c.set("a", series(25));
    c.set("b", series(25));
    c.set("c", series(25));
    c.get("a"); // a is now the most recent
    c.set("d", series(25));
    c.set("e", series(25)); // 125 > 100: evict the least recent, b
    expect(c.get("b")).toBeUndefined();
    expect(c.get("a")).toBeDefined();
    expect(c.size).toBeLessThanOrEqual(100);
    expect(c.accepts(26)).toBe(false);
    c.set("huge", series(26));
    expect(c.get("huge")).toBeUndefined();
  });
});
