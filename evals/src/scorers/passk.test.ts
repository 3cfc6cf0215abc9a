import { describe, expect, it } from "vitest";
import { passHatK, summarizePassK } from "./passk.js";

describe("pass^k", () => {
  it("with n = k a case passes^k only when every run passed", () => {
    expect(passHatK(3, 3, 3)).toBe(1);
    expect(passHatK(3, 2, 3)).toBe(0);
  });

  it("with n > k it is the chance k draws all pass", () => {
    expect(passHatK(4, 3, 2)).toBeCloseTo(3 / 6);
    expect(passHatK(5, 5, 1)).toBe(1);
    expect(() => passHatK(2, 2, 3)).toThrow(RangeError);
  });

  it("summarises pass@1 (mean run pass rate) and pass^k over cases", () => {
    const s = summarizePassK({ a: [true, true, true], b: [true, false, true], c: [false, false, false] }, 3);
    expect(s.cases).toBe(3);
    expect(s.passAt1).toBeCloseTo((1 + 2 / 3 + 0) / 3);
    expect(s.passHatK).toBeCloseTo(1 / 3);
    expect(s.casesPassingAll).toBe(1);
    expect(summarizePassK(new Map(), 1).cases).toBe(0);
  });
});
