import { z } from "zod";
import { ArgusError } from "../../src/core/errors.js";
import { dayNumber } from "../../src/data/calendar/dates.js";
import { defineTool, READ_ONLY } from "../spec.js";
import { sessionOut, sessionShape } from "./shapes.js";

const MAX_DAYS = 3_700; // about ten years

const isoDate = z.iso.date().describe("Date as YYYY-MM-DD");

export const getTradingCalendar = defineTool({
  name: "get_trading_calendar",
  title: "Trading calendar",
  description:
    "NYSE trading sessions, holidays and early closes between two dates (inclusive, at most ten years). " +
    "Use it to count trading days, find the next session after a holiday, or check an early close. " +
    "Computed from the exchange's rules plus announced one-off closures; times in America/New_York.",
  input: z.object({
    from: isoDate,
    to: isoDate,
    includeSessions: z.boolean().default(true).describe("List every session (false: only holidays and early closes)"),
  }),
  output: z.object({
    from: z.string(),
    to: z.string(),
    tradingDays: z.number().int(),
    sessions: z.array(sessionShape).optional(),
    holidays: z.array(z.object({ date: z.string(), reason: z.string(), kind: z.enum(["holiday", "closure", "weekend"]) })),
    earlyCloses: z.array(z.object({ date: z.string(), name: z.string() })),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const span = dayNumber(input.to) - dayNumber(input.from);
    if (span < 0) throw new ArgusError("INVALID_RANGE", `from (${input.from}) is after to (${input.to}); swap them.`);
    if (span > MAX_DAYS) throw new ArgusError("INVALID_RANGE", `The range spans ${span} days; ask for at most ${MAX_DAYS} days (about ten years) at a time.`);
    const cal = app.data.calendar;
    const days = cal.tradingDays(input.from, input.to);
    return {
      from: input.from,
      to: input.to,
      tradingDays: days.length,
      ...(input.includeSessions ? { sessions: days.map((d) => sessionOut(cal.session(d)!)) } : {}),
      holidays: cal.holidays(input.from, input.to),
      earlyCloses: cal.earlyCloses(input.from, input.to),
    };
  },
  summarize(o) {
    const hol = o.holidays.length > 0 ? `; closed ${o.holidays.map((h) => `${h.date} (${h.reason})`).join(", ")}` : "";
    const early = o.earlyCloses.length > 0 ? `; early closes ${o.earlyCloses.map((e) => e.date).join(", ")}` : "";
    return `${o.tradingDays} NYSE trading days from ${o.from} to ${o.to}${hol}${early}.`;
  },
});
