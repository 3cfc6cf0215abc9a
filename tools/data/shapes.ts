import { z } from "zod";
import type { Bar } from "../../src/data/bar.js";
import type { TradingSession } from "../../src/data/calendar/nyse-calendar.js";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import type { DataSourceInfo } from "../../src/data/data-manager.js";

/** Output pieces shared by the data tools, and the functions that fill them. */

export const timeField = z.string().describe("ISO 8601 time in America/New_York with its UTC offset");

export const sourceShape = z.object({
  source: z.string().describe('Where the data came from: "synthetic-demo", "csv", ...'),
  synthetic: z.boolean().describe("True when the data is generated, not real market prices"),
  note: z.string().nullable(),
});

export const sessionShape = z.object({
  date: z.string(),
  preOpen: timeField,
  open: timeField,
  close: timeField,
  postClose: timeField,
  earlyClose: z.boolean(),
  earlyCloseReason: z.string().optional(),
});

export const barShape = z.object({
  t: timeField.describe("Bar start, America/New_York"),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  adjClose: z.number().optional().describe("Split- and dividend-adjusted close, when the source has one"),
});

export function sessionOut(s: TradingSession): z.input<typeof sessionShape> {
  return {
    date: s.date,
    preOpen: toExchangeIso(s.preOpen),
    open: toExchangeIso(s.open),
    close: toExchangeIso(s.close),
    postClose: toExchangeIso(s.postClose),
    earlyClose: s.earlyClose,
    ...(s.earlyCloseReason ? { earlyCloseReason: s.earlyCloseReason } : {}),
  };
}

export function barOut(b: Bar): z.input<typeof barShape> {
  const out: z.input<typeof barShape> = { t: toExchangeIso(b.t), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume };
  if (b.adjClose !== null && b.adjClose !== undefined) out.adjClose = b.adjClose;
  return out;
}

export function sourceOut(s: DataSourceInfo): z.input<typeof sourceShape> {
  return { source: s.source, synthetic: s.synthetic, note: s.note };
}

/** Prefix for readable text built on synthetic data, so no reader mistakes it for real prices. */
export function syntheticLabel(s: { synthetic: boolean }): string {
  return s.synthetic ? "[SYNTHETIC DEMO DATA, not real prices] " : "";
}
