import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { parseTimeBound } from "../../src/data/time-input.js";
import { defineTool, READ_ONLY } from "../spec.js";
import { sessionOut, sessionShape, timeField } from "./shapes.js";

export const getMarketStatus = defineTool({
  name: "get_market_status",
  title: "Market status",
  description:
    "Whether the US stock market (NYSE calendar) is open now, in which session (pre, regular, post, closed), " +
    "today's session times including early closes, and the next and last sessions. Pass `at` to ask about another instant. " +
    "Times are in America/New_York. In backtest mode 'now' is the replay clock.",
  input: z.object({
    at: z.string().optional().describe("ISO date-time to evaluate instead of now, e.g. 2026-11-27T12:30:00-05:00"),
  }),
  output: z.object({
    exchange: z.literal("NYSE"),
    now: timeField,
    clock: z.enum(["real", "backtest"]),
    phase: z.enum(["pre", "regular", "post", "closed"]),
    isOpen: z.boolean().describe("True during the regular session only"),
    today: sessionShape.nullable(),
    closedReason: z.string().nullable().describe("Why there is no session today (weekend, holiday name)"),
    nextSession: sessionShape,
    lastClosedSession: sessionShape,
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const at = input.at === undefined ? app.clock.now() : parseTimeBound(input.at, "from", "at");
    const s = app.data.marketStatus(at);
    return {
      exchange: "NYSE" as const,
      now: toExchangeIso(s.now),
      clock: app.clock.kind,
      phase: s.phase,
      isOpen: s.isOpen,
      today: s.today ? sessionOut(s.today) : null,
      closedReason: s.closedReason,
      nextSession: sessionOut(s.nextSession),
      lastClosedSession: sessionOut(s.lastClosedSession),
    };
  },
  summarize(o) {
    const state = o.isOpen ? "OPEN (regular session)" : o.phase === "closed" ? `CLOSED${o.closedReason ? ` (${o.closedReason})` : ""}` : `in the ${o.phase}-market session`;
    const next = o.isOpen && o.today ? `closes at ${o.today.close}${o.today.earlyClose ? " (early close)" : ""}` : `next regular open ${o.nextSession.open}`;
    return `NYSE is ${state} at ${o.now}; ${next}.`;
  },
});
