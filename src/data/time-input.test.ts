import { describe, expect, it } from "vitest";
import { ArgusError } from "../core/errors.js";
import { toExchangeIso } from "./calendar/zone.js";
import { parseTimeBound, parseTimeRange } from "./time-input.js";

describe("time bounds", () => {
  it("reads a bare date as a whole New York day, across DST", () => {
    expect(parseTimeBound("2026-03-08", "from", "from")).toBe(Date.parse("2026-03-08T05:00:00Z"));
    expect(parseTimeBound("2026-03-08", "to", "to")).toBe(Date.parse("2026-03-09T03:59:59.999Z")); // DST began at 02:00
    expect(parseTimeBound("2026-07-01", "from", "from")).toBe(Date.parse("2026-07-01T04:00:00Z"));
  });

  it("takes offsets as written and naive times as New York time", () => {
    expect(parseTimeBound("2019-02-11T09:30:00", "from", "from")).toBe(Date.parse("2019-02-11T14:30:00Z"));
    expect(parseTimeBound("2019-02-11T09:30:00Z", "from", "from")).toBe(Date.parse("2019-02-11T09:30:00Z"));
    expect(parseTimeBound("2019-02-11T09:30:00+01:00", "from", "from")).toBe(Date.parse("2019-02-11T08:30:00Z"));
  });

  it("rejects impossible dates, garbage and reversed ranges with stable codes", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as ArgusError).code;
      }
      return "none";
    };
    expect(code(() => parseTimeBound("2026-02-30", "from", "from"))).toBe("INVALID_INPUT");
    expect(code(() => parseTimeBound("last tuesday", "from", "from"))).toBe("INVALID_INPUT");
    expect(code(() => parseTimeRange("2026-02-01", "2026-01-01"))).toBe("INVALID_RANGE");
    expect(parseTimeRange("2026-01-01", "2026-01-01")).toEqual({ fromT: Date.parse("2026-01-01T05:00:00Z"), toT: Date.parse("2026-01-02T04:59:59.999Z") });
  });

  it("formats instants in New York time with the offset of that instant", () => {
    expect(toExchangeIso(Date.parse("2026-03-08T06:59:00Z"))).toBe("2026-03-08T01:59:00-05:00");
    expect(toExchangeIso(Date.parse("2026-03-08T07:00:00Z"))).toBe("2026-03-08T03:00:00-04:00");
    expect(toExchangeIso(Date.parse("2026-11-01T05:30:00Z"))).toBe("2026-11-01T01:30:00-04:00");
    expect(toExchangeIso(Date.parse("2026-11-01T06:30:00Z"))).toBe("2026-11-01T01:30:00-05:00");
    expect(toExchangeIso(Date.parse("2026-11-01T06:30:00Z"))).toBe("2026-11-01T01:30:00-05:00"); // cached
  });
});
