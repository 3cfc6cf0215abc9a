import { describe, expect, it } from "vitest";
import { dayNumber, isoDate, isWeekend } from "./dates.js";
import { NyseCalendar } from "./nyse-calendar.js";
import { easterSunday } from "./rules.js";

/*
 * Expected data below is LITERAL, transcribed from the NYSE's published holiday and
 * early-close calendars (nyse.com "Holidays & Trading Hours", and the NYSE/ICE press
 * releases for the one-off closures). It is deliberately NOT generated from rules.ts:
 * the point of these tests is to catch a rule that disagrees with what the exchange
 * actually did.
 *
 * Full-day weekday closures, per year. Notes on the less obvious entries:
 *   - A New Year's Day falling on Saturday is not observed on the preceding Friday:
 *     there is no New Year closure in 2005, 2011 or 2022, and 2010-12-31, 2021-12-31
 *     and 2027-12-31 are regular trading days.
 *   - One-off closures: 2007-01-02 (National Day of Mourning, President Ford),
 *     2012-10-29/30 (Hurricane Sandy), 2018-12-05 (President G.H.W. Bush),
 *     2025-01-09 (President Carter).
 *   - Juneteenth is a holiday from 2022 (first observed Mon 2022-06-20; 2027-06-18 is
 *     the Friday observance of a Saturday Juneteenth).
 *   - Saturday July 4 / Christmas are observed the Friday before (2009-07-03,
 *     2010-12-24, 2015-07-03, 2020-07-03, 2021-12-24, 2026-07-03, 2027-12-24);
 *     Sunday ones the Monday after (2010-07-05, 2021-07-05, 2027-07-05, 2005-12-26,
 *     2011-12-26, 2016-12-26, 2022-12-26).
 */
const PUBLISHED_HOLIDAYS: Record<number, string[]> = {
  2005: ["2005-01-17", "2005-02-21", "2005-03-25", "2005-05-30", "2005-07-04", "2005-09-05", "2005-11-24", "2005-12-26"],
  2006: ["2006-01-02", "2006-01-16", "2006-02-20", "2006-04-14", "2006-05-29", "2006-07-04", "2006-09-04", "2006-11-23", "2006-12-25"],
  2007: ["2007-01-01", "2007-01-02", "2007-01-15", "2007-02-19", "2007-04-06", "2007-05-28", "2007-07-04", "2007-09-03", "2007-11-22", "2007-12-25"],
  2008: ["2008-01-01", "2008-01-21", "2008-02-18", "2008-03-21", "2008-05-26", "2008-07-04", "2008-09-01", "2008-11-27", "2008-12-25"],
  2009: ["2009-01-01", "2009-01-19", "2009-02-16", "2009-04-10", "2009-05-25", "2009-07-03", "2009-09-07", "2009-11-26", "2009-12-25"],
  2010: ["2010-01-01", "2010-01-18", "2010-02-15", "2010-04-02", "2010-05-31", "2010-07-05", "2010-09-06", "2010-11-25", "2010-12-24"],
  2011: ["2011-01-17", "2011-02-21", "2011-04-22", "2011-05-30", "2011-07-04", "2011-09-05", "2011-11-24", "2011-12-26"],
  2012: ["2012-01-02", "2012-01-16", "2012-02-20", "2012-04-06", "2012-05-28", "2012-07-04", "2012-09-03", "2012-10-29", "2012-10-30", "2012-11-22", "2012-12-25"],
  2013: ["2013-01-01", "2013-01-21", "2013-02-18", "2013-03-29", "2013-05-27", "2013-07-04", "2013-09-02", "2013-11-28", "2013-12-25"],
  2014: ["2014-01-01", "2014-01-20", "2014-02-17", "2014-04-18", "2014-05-26", "2014-07-04", "2014-09-01", "2014-11-27", "2014-12-25"],
  2015: ["2015-01-01", "2015-01-19", "2015-02-16", "2015-04-03", "2015-05-25", "2015-07-03", "2015-09-07", "2015-11-26", "2015-12-25"],
  2016: ["2016-01-01", "2016-01-18", "2016-02-15", "2016-03-25", "2016-05-30", "2016-07-04", "2016-09-05", "2016-11-24", "2016-12-26"],
  2017: ["2017-01-02", "2017-01-16", "2017-02-20", "2017-04-14", "2017-05-29", "2017-07-04", "2017-09-04", "2017-11-23", "2017-12-25"],
  2018: ["2018-01-01", "2018-01-15", "2018-02-19", "2018-03-30", "2018-05-28", "2018-07-04", "2018-09-03", "2018-11-22", "2018-12-05", "2018-12-25"],
  2019: ["2019-01-01", "2019-01-21", "2019-02-18", "2019-04-19", "2019-05-27", "2019-07-04", "2019-09-02", "2019-11-28", "2019-12-25"],
  2020: ["2020-01-01", "2020-01-20", "2020-02-17", "2020-04-10", "2020-05-25", "2020-07-03", "2020-09-07", "2020-11-26", "2020-12-25"],
  2021: ["2021-01-01", "2021-01-18", "2021-02-15", "2021-04-02", "2021-05-31", "2021-07-05", "2021-09-06", "2021-11-25", "2021-12-24"],
  2022: ["2022-01-17", "2022-02-21", "2022-04-15", "2022-05-30", "2022-06-20", "2022-07-04", "2022-09-05", "2022-11-24", "2022-12-26"],
  2023: ["2023-01-02", "2023-01-16", "2023-02-20", "2023-04-07", "2023-05-29", "2023-06-19", "2023-07-04", "2023-09-04", "2023-11-23", "2023-12-25"],
  2024: ["2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19", "2024-07-04", "2024-09-02", "2024-11-28", "2024-12-25"],
  2025: ["2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"],
  2026: ["2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25"],
  2027: ["2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24"],
};

/*
 * 13:00 ET early closes, per year, from the same published NYSE calendars: the day
 * after Thanksgiving every year; July 3 when it is a Mon/Tue/Thu (and a Wednesday from
 * 2013 on: 2013, 2019, 2024); Christmas Eve Mon–Thu. No Friday July 5 falls in
 * 2005–2012, so the pre-2013 "Friday after Independence Day" rule never fires here.
 * Years where July 3 or Dec 24 is itself the observed holiday (e.g. 2009-07-03,
 * 2010-12-24) have no early close on that side.
 */
const PUBLISHED_EARLY_CLOSES: Record<number, string[]> = {
  2005: ["2005-11-25"],
  2006: ["2006-07-03", "2006-11-24"],
  2007: ["2007-07-03", "2007-11-23", "2007-12-24"],
  2008: ["2008-07-03", "2008-11-28", "2008-12-24"],
  2009: ["2009-11-27", "2009-12-24"],
  2010: ["2010-11-26"],
  2011: ["2011-11-25"],
  2012: ["2012-07-03", "2012-11-23", "2012-12-24"],
  2013: ["2013-07-03", "2013-11-29", "2013-12-24"],
  2014: ["2014-07-03", "2014-11-28", "2014-12-24"],
  2015: ["2015-11-27", "2015-12-24"],
  2016: ["2016-11-25"],
  2017: ["2017-07-03", "2017-11-24"],
  2018: ["2018-07-03", "2018-11-23", "2018-12-24"],
  2019: ["2019-07-03", "2019-11-29", "2019-12-24"],
  2020: ["2020-11-27", "2020-12-24"],
  2021: ["2021-11-26"],
  2022: ["2022-11-25"],
  2023: ["2023-07-03", "2023-11-24"],
  2024: ["2024-07-03", "2024-11-29", "2024-12-24"],
  2025: ["2025-07-03", "2025-11-28", "2025-12-24"],
  2026: ["2026-11-27", "2026-12-24"],
  2027: ["2027-11-26"],
};

const YEARS = Array.from({ length: 2027 - 2005 + 1 }, (_, i) => 2005 + i);

/** A UTC instant from an ISO string, e.g. utc("2026-03-09T13:30:00Z"). */
const utc = (iso: string): number => Date.parse(iso);

const HOUR = 3_600_000;

const cal = new NyseCalendar();

describe("published data sanity (independent of the implementation)", () => {
  it("covers 2005–2027 with weekday-only, sorted, in-year dates", () => {
    expect(Object.keys(PUBLISHED_HOLIDAYS).map(Number)).toEqual(YEARS);
    expect(Object.keys(PUBLISHED_EARLY_CLOSES).map(Number)).toEqual(YEARS);
    for (const y of YEARS) {
      for (const list of [PUBLISHED_HOLIDAYS[y]!, PUBLISHED_EARLY_CLOSES[y]!]) {
        expect([...list].sort()).toEqual(list);
        for (const d of list) {
          expect(d.startsWith(`${y}-`)).toBe(true);
          expect(isWeekend(dayNumber(d)), d).toBe(false);
        }
      }
      const closed = new Set(PUBLISHED_HOLIDAYS[y]);
      for (const d of PUBLISHED_EARLY_CLOSES[y]!) expect(closed.has(d), d).toBe(false);
    }
  });
});

describe("NyseCalendar matches the published NYSE calendar, 2005–2027", () => {
  it.each(YEARS)("%i: full-day closures", (y) => {
    expect(cal.holidays(`${y}-01-01`, `${y}-12-31`).map((h) => h.date)).toEqual(PUBLISHED_HOLIDAYS[y]);
  });

  it.each(YEARS)("%i: early closes", (y) => {
    expect(cal.earlyCloses(`${y}-01-01`, `${y}-12-31`).map((e) => e.date)).toEqual(PUBLISHED_EARLY_CLOSES[y]);
  });

  it("isTradingDay and session().earlyClose agree with the published lists on every weekday", () => {
    const closed = new Set(YEARS.flatMap((y) => PUBLISHED_HOLIDAYS[y]!));
    const early = new Set(YEARS.flatMap((y) => PUBLISHED_EARLY_CLOSES[y]!));
    const mismatches: string[] = [];
    let weekdays = 0;
    for (let d = dayNumber("2005-01-01"), end = dayNumber("2027-12-31"); d <= end; d++) {
      const date = isoDate(d);
      if (isWeekend(d)) {
        if (cal.isTradingDay(date)) mismatches.push(`${date}: weekend reported as trading day`);
        continue;
      }
      weekdays++;
      const expectTrading = !closed.has(date);
      if (cal.isTradingDay(date) !== expectTrading) mismatches.push(`${date}: isTradingDay should be ${expectTrading}`);
      const s = cal.session(date);
      if (expectTrading) {
        if (!s) mismatches.push(`${date}: missing session`);
        else if (s.earlyClose !== early.has(date)) mismatches.push(`${date}: earlyClose should be ${early.has(date)}`);
      } else if (s) {
        mismatches.push(`${date}: closed day has a session`);
      }
    }
    expect(mismatches).toEqual([]);
    // 23 years, 6 of them leap years (2008, 2012, 2016, 2020, 2024): sanity on the loop.
    expect(weekdays).toBeGreaterThan(23 * 260);
  });

  it("labels holidays, closures and weekends", () => {
    expect(cal.closedReason("2012-10-29")).toMatchObject({ kind: "closure", reason: "Hurricane Sandy" });
    expect(cal.closedReason("2022-06-20")).toMatchObject({ kind: "holiday" });
    expect(cal.closedReason("2026-03-07")).toMatchObject({ kind: "weekend" });
    expect(cal.closedReason("2026-03-09")).toBeUndefined();
    expect(cal.session("2026-11-27")?.earlyCloseReason).toBe("Day after Thanksgiving");
  });
});

describe("sessions across DST (America/New_York)", () => {
  it("EDT session on 2026-03-09 (first Monday after the spring-forward)", () => {
    expect(cal.session("2026-03-09")).toEqual({
      date: "2026-03-09",
      preOpen: utc("2026-03-09T08:00:00Z"),
      open: utc("2026-03-09T13:30:00Z"),
      close: utc("2026-03-09T20:00:00Z"),
      postClose: utc("2026-03-10T00:00:00Z"),
      earlyClose: false,
    });
  });

  it("EST session on 2026-03-06 (last Friday before the spring-forward)", () => {
    expect(cal.session("2026-03-06")).toEqual({
      date: "2026-03-06",
      preOpen: utc("2026-03-06T09:00:00Z"),
      open: utc("2026-03-06T14:30:00Z"),
      close: utc("2026-03-06T21:00:00Z"),
      postClose: utc("2026-03-07T01:00:00Z"),
      earlyClose: false,
    });
  });

  it("fall-back week: 2026-10-30 is EDT, 2026-11-02 is EST", () => {
    expect(cal.session("2026-10-30")?.open).toBe(utc("2026-10-30T13:30:00Z"));
    expect(cal.session("2026-11-02")?.open).toBe(utc("2026-11-02T14:30:00Z"));
  });

  it("early close on 2026-11-27: 13:00 EST close, post until 17:00 EST", () => {
    expect(cal.session("2026-11-27")).toEqual({
      date: "2026-11-27",
      preOpen: utc("2026-11-27T09:00:00Z"),
      open: utc("2026-11-27T14:30:00Z"),
      close: utc("2026-11-27T18:00:00Z"),
      postClose: utc("2026-11-27T22:00:00Z"),
      earlyClose: true,
      earlyCloseReason: "Day after Thanksgiving",
    });
  });

  it("early close in summer: 2025-07-03 closes 13:00 EDT = 17:00Z", () => {
    const s = cal.session("2025-07-03")!;
    expect(s.close).toBe(utc("2025-07-03T17:00:00Z"));
    expect(s.postClose).toBe(utc("2025-07-03T21:00:00Z"));
  });

  it("no session on holidays or weekends", () => {
    expect(cal.session("2026-07-03")).toBeNull();
    expect(cal.session("2026-03-07")).toBeNull();
  });
});

describe("phaseAt / isMarketOpen boundaries (2026-03-09, EDT = UTC−4)", () => {
  const cases: [string, string][] = [
    ["2026-03-09T07:59:59.999Z", "closed"], // 03:59:59.999 ET
    ["2026-03-09T08:00:00.000Z", "pre"], // 04:00 ET
    ["2026-03-09T13:29:59.999Z", "pre"], // 09:29:59.999 ET
    ["2026-03-09T13:30:00.000Z", "regular"], // 09:30 ET
    ["2026-03-09T19:59:59.999Z", "regular"], // 15:59:59.999 ET
    ["2026-03-09T20:00:00.000Z", "post"], // 16:00 ET
    ["2026-03-09T23:59:59.999Z", "post"], // 19:59:59.999 ET
    ["2026-03-10T00:00:00.000Z", "closed"], // 20:00 ET
  ];
  it.each(cases)("%s → %s", (iso, phase) => {
    const t = utc(iso);
    expect(cal.phaseAt(t).phase).toBe(phase);
    expect(cal.isMarketOpen(t)).toBe(phase === "regular");
  });

  it("early-close day: post starts at 13:00 and ends at 17:00 ET", () => {
    expect(cal.phaseAt(utc("2026-11-27T17:59:59.999Z")).phase).toBe("regular");
    expect(cal.phaseAt(utc("2026-11-27T18:00:00Z")).phase).toBe("post");
    expect(cal.phaseAt(utc("2026-11-27T21:59:59.999Z")).phase).toBe("post");
    expect(cal.phaseAt(utc("2026-11-27T22:00:00Z")).phase).toBe("closed");
  });

  it("weekends and holidays are closed all day", () => {
    for (const iso of ["2026-03-07T15:00:00Z", "2026-03-08T15:00:00Z", "2026-07-03T15:00:00Z", "2026-12-25T15:00:00Z"]) {
      expect(cal.phaseAt(utc(iso))).toEqual({ phase: "closed", session: null });
      expect(cal.isMarketOpen(utc(iso))).toBe(false);
    }
  });
});

describe("trading-day navigation", () => {
  it("nextTradingDay skips the Good Friday weekend", () => {
    expect(cal.nextTradingDay("2026-04-02")).toBe("2026-04-06");
    expect(cal.nextTradingDay("2026-04-03")).toBe("2026-04-06");
    expect(cal.nextTradingDay("2026-04-06")).toBe("2026-04-07");
  });

  it("previousTradingDay skips the MLK weekend", () => {
    expect(cal.previousTradingDay("2026-01-20")).toBe("2026-01-16");
    expect(cal.previousTradingDay("2026-01-19")).toBe("2026-01-16");
  });

  it("crosses year ends and one-off closures", () => {
    expect(cal.nextTradingDay("2021-12-30")).toBe("2021-12-31"); // Sat New Year not observed
    expect(cal.nextTradingDay("2021-12-31")).toBe("2022-01-03");
    expect(cal.nextTradingDay("2006-12-29")).toBe("2007-01-03"); // New Year + Ford mourning
    expect(cal.nextTradingDay("2012-10-26")).toBe("2012-10-31"); // Hurricane Sandy
    expect(cal.previousTradingDay("2025-01-10")).toBe("2025-01-08"); // Carter mourning
  });

  it("tradingDays counts: 2019 has 252 sessions, 2026 has 251", () => {
    // 2019: 261 weekdays − 9 holidays; 2026: 261 weekdays − 10 holidays.
    expect(cal.tradingDays("2019-01-01", "2019-12-31")).toHaveLength(252);
    expect(cal.tradingDays("2026-01-01", "2026-12-31")).toHaveLength(251);
    expect(cal.tradingDays("2026-04-01", "2026-04-07")).toEqual(["2026-04-01", "2026-04-02", "2026-04-06", "2026-04-07"]);
  });
});

describe("nextOpen / lastClosedSession", () => {
  it("nextOpen before the open returns the same day's session", () => {
    expect(cal.nextOpen(utc("2026-03-09T12:00:00Z")).open).toBe(utc("2026-03-09T13:30:00Z"));
  });

  it("nextOpen at/after the open moves to the next trading day", () => {
    expect(cal.nextOpen(utc("2026-03-09T13:30:00Z")).date).toBe("2026-03-10");
    expect(cal.nextOpen(utc("2026-03-09T21:00:00Z")).date).toBe("2026-03-10");
  });

  it("nextOpen over a holiday weekend (Thu evening before Good Friday)", () => {
    const s = cal.nextOpen(utc("2026-04-02T22:00:00Z"));
    expect(s.date).toBe("2026-04-06");
    expect(s.open).toBe(utc("2026-04-06T13:30:00Z"));
  });

  it("nextOpen on a Saturday across the DST change returns Monday's EDT open", () => {
    expect(cal.nextOpen(utc("2026-03-07T15:00:00Z")).open).toBe(utc("2026-03-09T13:30:00Z"));
  });

  it("lastClosedSession during the session is the previous trading day", () => {
    const s = cal.lastClosedSession(utc("2026-03-09T15:00:00Z"));
    expect(s.date).toBe("2026-03-06");
    expect(s.close).toBe(utc("2026-03-06T21:00:00Z"));
  });

  it("lastClosedSession at/after the close is today", () => {
    expect(cal.lastClosedSession(utc("2026-03-09T20:00:00Z")).date).toBe("2026-03-09");
    expect(cal.lastClosedSession(utc("2026-11-27T18:00:00Z")).date).toBe("2026-11-27");
  });

  it("lastClosedSession on a holiday Monday is the Friday before", () => {
    expect(cal.lastClosedSession(utc("2026-01-19T15:00:00Z")).date).toBe("2026-01-16");
  });
});

describe("easterSunday", () => {
  it.each([
    [2005, "2005-03-27"],
    [2008, "2008-03-23"],
    [2011, "2011-04-24"],
    [2019, "2019-04-21"],
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2038, "2038-04-25"],
  ])("%i → %s", (y, date) => {
    expect(isoDate(easterSunday(y))).toBe(date);
  });
});

describe("dateAt / startOfDay near midnight ET", () => {
  it("maps instants to the New York calendar date", () => {
    expect(cal.dateAt(utc("2026-03-10T03:59:59.999Z"))).toBe("2026-03-09"); // 23:59:59.999 EDT
    expect(cal.dateAt(utc("2026-03-10T04:00:00Z"))).toBe("2026-03-10"); // 00:00 EDT
    expect(cal.dateAt(utc("2026-01-16T04:59:59.999Z"))).toBe("2026-01-15"); // 23:59:59.999 EST
    expect(cal.dateAt(utc("2026-01-16T05:00:00Z"))).toBe("2026-01-16"); // 00:00 EST
  });

  it("startOfDay is midnight New York time", () => {
    expect(cal.startOfDay("2026-03-09")).toBe(utc("2026-03-09T04:00:00Z"));
    expect(cal.startOfDay("2026-01-16")).toBe(utc("2026-01-16T05:00:00Z"));
    expect(cal.startOfDay("2026-03-08")).toBe(utc("2026-03-08T05:00:00Z")); // DST day starts in EST
  });
});

describe("overrides and input validation", () => {
  it("one-off closures come from the overrides, not the rules", () => {
    const bare = new NyseCalendar({ closures: [], earlyCloses: [] });
    expect(bare.isTradingDay("2012-10-29")).toBe(true);
    expect(bare.isTradingDay("2025-01-09")).toBe(true);
    expect(bare.isTradingDay("2025-01-01")).toBe(false);
  });

  it("an override early close applies its own close time", () => {
    const c = new NyseCalendar({ closures: [], earlyCloses: [{ date: "2026-03-09", reason: "Test", close: "14:00" }] });
    const s = c.session("2026-03-09")!;
    expect(s.earlyClose).toBe(true);
    expect(s.close).toBe(utc("2026-03-09T18:00:00Z"));
    expect(s.postClose).toBe(s.close + 4 * HOUR);
    expect(c.earlyCloses("2026-03-01", "2026-03-31")).toEqual([{ date: "2026-03-09", name: "Test" }]);
  });

  it.each(["2026-02-30", "2025-02-29", "2026-13-01", "2026-1-5", "20260105", ""])("rejects invalid date %j", (bad) => {
    expect(() => cal.isTradingDay(bad)).toThrow(RangeError);
    expect(() => cal.session(bad)).toThrow(RangeError);
  });
});
