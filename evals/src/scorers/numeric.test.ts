import { describe, expect, it } from "vitest";
import type { ExpectedNumber } from "../case.js";
import { extractNumbers, interpretations, scoreNumbers, withinTolerance } from "./numeric.js";

const num = (value: number, unit: ExpectedNumber["unit"], tolerance: ExpectedNumber["tolerance"] = { rel: 0.001 }): ExpectedNumber => ({ id: "x", label: "x", value, unit, tolerance, source: "test" });
const found = (answer: string, e: ExpectedNumber) => scoreNumbers(answer, [e]).allFound;

describe("extractNumbers", () => {
  it("reads scale words, currency, percent and signs", () => {
    const c = extractNumbers("Revenue was $383.3 billion (383,285 million), USD 1.2bn, up 12.5%, 0.125, −4.2%, -$5 and (1,234) or 3.5x.");
    const brief = c.map((x) => [x.raw, x.scale, x.percent, x.multiple]);
    expect(brief).toEqual([
      [383.3, 1e9, false, false],
      [383285, 1e6, false, false],
      [1.2, 1e9, false, false],
      [12.5, 1, true, false],
      [0.125, 1, false, false],
      [-4.2, 1, true, false],
      [-5, 1, false, false],
      [-1234, 1, false, false],
      [3.5, 1, false, true],
    ]);
    expect(c[0]!.text).toBe("$383.3 billion");
  });

  it("does not read a date's dash or a range as a minus sign", () => {
    expect(extractNumbers("2023-09-30").map((x) => x.raw)).toEqual([2023, 9, 30]);
    expect(extractNumbers("10-20 shares").map((x) => x.raw)).toEqual([10, 20]);
  });

  it("keeps words that merely start with a scale letter apart", () => {
    const [c] = extractNumbers("3 bars and 5 months");
    expect(c!.scale).toBe(1);
    expect(extractNumbers("5 months")[0]!.scale).toBe(1);
    expect(extractNumbers("$12k")[0]!.scale).toBe(1e3);
    expect(extractNumbers("2.1 trillion")[0]!.scale).toBe(1e12);
  });

  it("reads accounting negatives only when the parentheses hold just the number", () => {
    expect(extractNumbers("($12.5 million)")[0]!.raw).toBe(-12.5);
    expect(extractNumbers("(USD 383,285 million)")[0]!.raw).toBe(383285);
    expect(extractNumbers("(about 5)")[0]!.raw).toBe(5);
  });
});

describe("unit normalisation", () => {
  const usd = num(383_285_000_000, "usd", { rel: 0.001 });
  it.each(["$383.3 billion", "383,285 million", "USD 383.285bn", "383285000000", "$383,285,000,000", "US$0.383 trillion"])("usd: %s", (a) => expect(found(`Revenue: ${a}.`, usd)).toBe(true));
  it.each(["$38.3 billion", "383.3", "383.3%"])("usd rejects %s", (a) => expect(found(`Revenue: ${a}.`, usd)).toBe(false));

  it("percent from %, percent words or a bare fraction", () => {
    const p = num(12.5, "percent", { abs: 0.05 });
    for (const a of ["12.5%", "12.5 percent", "12.5 per cent", "0.125", "12.5"]) expect(found(a, p), a).toBe(true);
    expect(found("1.25%", p)).toBe(false);
    expect(found("12.5 million", p)).toBe(false);
  });

  it("ratio from a fraction or a percent", () => {
    const r = num(0.125, "ratio", { abs: 0.001 });
    expect(found("12.5%", r)).toBe(true);
    expect(found("0.125", r)).toBe(true);
    expect(found("12.5", r)).toBe(false);
  });

  it("shares and counts with scale words", () => {
    expect(found("1,234 shares", num(1234, "shares", { abs: 0 }))).toBe(true);
    expect(found("1.2 million shares", num(1_200_000, "shares", { rel: 0.01 }))).toBe(true);
    expect(found("15.6 billion shares outstanding", num(15_550_061_000, "shares", { rel: 0.01 }))).toBe(true);
  });

  it("negative values, parenthesised or signed", () => {
    const neg = num(-1234, "usd", { abs: 0.5 });
    expect(found("Net loss (1,234)", neg)).toBe(true);
    expect(found("Net loss -1,234", neg)).toBe(true);
    expect(found("Net loss 1,234", neg)).toBe(false);
    expect(found("EPS of $(0.52)", num(-0.52, "usd_per_share", { abs: 0.005 }))).toBe(true);
  });

  it("an unsigned number after a word of decline may be read as negative, never the other way", () => {
    expect(found("JNJ fell 25.38% over the crash", num(-25.38, "percent", { abs: 0.05 }))).toBe(true);
    expect(found("revenue declined by 2.8% year over year", num(-2.8, "percent", { abs: 0.05 }))).toBe(true);
    expect(found("a net loss of $59.61 million", num(-59_610_000, "usd", { rel: 0.001 }))).toBe(true);
    // A rise stays a rise, and a decline word far away or in another sentence does not count.
    expect(found("revenue rose 2.8%", num(-2.8, "percent", { abs: 0.05 }))).toBe(false);
    expect(found("Costs fell. Revenue grew 2.8%", num(-2.8, "percent", { abs: 0.05 }))).toBe(false);
    expect(found("JNJ fell 25.38%", num(25.38, "percent", { abs: 0.05 }))).toBe(true);
  });

  it("price and per-share values in plain dollars", () => {
    expect(found("SMA(50) is 75.04 dollars", num(75.0401499, "price", { abs: 0.01 }))).toBe(true);
    expect(found("EPS $6.13", num(6.13, "usd_per_share", { abs: 0.005 }))).toBe(true);
    expect(interpretations({ text: "5%", raw: 5, scale: 1, percent: true, multiple: false, falling: false }, "price")).toEqual([]);
  });
});

describe("tolerance and scoring", () => {
  it("abs or rel, either is enough", () => {
    expect(withinTolerance(101, { value: 100, tolerance: { abs: 1 } })).toBe(true);
    expect(withinTolerance(101.5, { value: 100, tolerance: { abs: 1, rel: 0.02 } })).toBe(true);
    expect(withinTolerance(103, { value: 100, tolerance: { abs: 1, rel: 0.02 } })).toBe(false);
  });

  it("reports each expected number and what matched it", () => {
    const s = scoreNumbers("Revenue $383.3 billion, gross margin 44.1%.", [
      { ...num(383_285_000_000, "usd", { rel: 0.001 }), id: "revenue" },
      { ...num(44.13, "percent", { abs: 0.05 }), id: "margin" },
      { ...num(96_995_000_000, "usd", { rel: 0.001 }), id: "net_income" },
    ]);
    expect(s.found).toBe(2);
    expect(s.allFound).toBe(false);
    expect(s.numbers[0]).toMatchObject({ found: true, matched: "$383.3 billion", readAs: 383.3e9 });
    expect(s.numbers[2]).toMatchObject({ id: "net_income", found: false });
    expect(scoreNumbers("anything", []).allFound).toBe(true);
  });
});
