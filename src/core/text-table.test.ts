import { describe, expect, it } from "vitest";
import { formatMoney, formatNumber, formatPercent, textTable } from "./text-table.js";

describe("textTable", () => {
  it("pads columns, right-aligns numbers, left-aligns text", () => {
    const t = textTable(["Item", "FY2023"], [["Revenue", "$383.29B"], ["EPS", "6.13"]]);
    expect(t.split("\n")).toEqual(["Item       FY2023", "-------  --------", "Revenue  $383.29B", "EPS          6.13"]);
    expect(textTable(["Name", "N"], [["a", "x1"]]).split("\n")[2]).toBe("a     x1");
  });
  it("formats money by magnitude with the sign in front", () => {
    expect(formatMoney(383_285_000_000)).toBe("$383.29B");
    expect(formatMoney(-12_500_000)).toBe("-$12.5M");
    expect(formatMoney(950.5)).toBe("$950.5");
    expect(formatMoney(2e9, "EUR")).toBe("EUR 2.00B");
    expect(formatNumber(1234567.891)).toBe("1,234,567.89");
  });
  it("formats fractions as percentages and unknowns as a dash", () => {
    expect(formatPercent(0.1234)).toBe("12.3%");
    expect(formatPercent(-0.338, 2)).toBe("-33.80%");
    expect(formatPercent(null)).toBe("—");
    expect(formatPercent(Number.NaN)).toBe("—");
  });
});
