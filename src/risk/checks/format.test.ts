import { describe, expect, it } from "vitest";
import { pct, price, shares, usd } from "./format.js";

describe("detail formatting", () => {
  it("dollars, prices, percentages and shares read like a human wrote them", () => {
    expect(usd(31_250)).toBe("$31,250");
    expect(usd(1_234_567.89)).toBe("$1,234,568");
    expect(usd(412.5)).toBe("$412.50");
    expect(usd(-2400)).toBe("-$2,400");
    expect(price(0.4213)).toBe("$0.4213");
    expect(price(1234.5)).toBe("$1,234.50");
    expect(pct(0.025)).toBe("2.5%");
    expect(pct(0.3)).toBe("30%");
    expect(pct(0.1538)).toBe("15.4%");
    expect(shares(1200)).toBe("1,200");
    expect(shares(0.5)).toBe("0.5");
  });
});
