import { readFileSync } from "node:fs";
import { z } from "zod";
import { fromRoot } from "../../core/package-root.js";
import { dayNumber, isoDate, isWeekend, yearOf } from "./dates.js";
import { earlyClosesOfYear, holidaysOfYear } from "./rules.js";

export { EXCHANGE_ZONE } from "./zone.js";
import { exchangeZone } from "./zone.js";

const overridesSchema = z.object({
  closures: z.array(z.object({ date: z.iso.date(), reason: z.string().min(1) })).default([]),
  earlyCloses: z
    .array(z.object({ date: z.iso.date(), reason: z.string().min(1), close: z.string().regex(/^\d{2}:\d{2}$/).default("13:00") }))
    .default([]),
});
export type CalendarOverrides = z.infer<typeof overridesSchema>;

export function loadCalendarOverrides(path = fromRoot("data", "calendar-overrides.json")): CalendarOverrides {
  return overridesSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

export type MarketPhase = "pre" | "regular" | "post" | "closed";

/** One trading day's sessions as UTC epoch milliseconds. */
export interface TradingSession {
  date: string;
  preOpen: number;
  open: number;
  close: number;
  postClose: number;
  earlyClose: boolean;
  /** Why the day closes early, when it does. */
  earlyCloseReason?: string;
}

export interface ClosedDay {
  date: string;
  reason: string;
  kind: "weekend" | "holiday" | "closure";
}

export interface CalendarEvent {
  date: string;
  name: string;
}

interface DayInfo {
  closed?: { reason: string; kind: ClosedDay["kind"] };
  early?: { reason: string; close: string };
}

/**
 * The NYSE trading calendar computed from rules (DESIGN §6) plus an overrides file
 * for one-off closures. Sessions are in America/New_York: pre 04:00–09:30, regular
 * 09:30–16:00 (13:00 on early closes), post until 20:00 (17:00 on early closes).
 */
export class NyseCalendar {
  private readonly closures = new Map<number, string>();
  private readonly extraEarly = new Map<number, { reason: string; close: string }>();
  private readonly years = new Map<number, { holidays: Map<number, string>; early: Map<number, string> }>();
  private readonly sessions = new Map<number, TradingSession>();

  constructor(overrides: CalendarOverrides = loadCalendarOverrides()) {
    for (const c of overrides.closures) this.closures.set(dayNumber(c.date), c.reason);
    for (const e of overrides.earlyCloses) this.extraEarly.set(dayNumber(e.date), { reason: e.reason, close: e.close });
  }

  private year(y: number) {
    let entry = this.years.get(y);
    if (!entry) {
      entry = {
        holidays: new Map(holidaysOfYear(y).map((h) => [h.day, h.name])),
        early: new Map(earlyClosesOfYear(y).map((h) => [h.day, h.name])),
      };
      this.years.set(y, entry);
    }
    return entry;
  }

  private info(day: number): DayInfo {
    if (isWeekend(day)) return { closed: { reason: "Weekend", kind: "weekend" } };
    const closure = this.closures.get(day);
    if (closure) return { closed: { reason: closure, kind: "closure" } };
    const y = this.year(yearOf(day));
    const holiday = y.holidays.get(day);
    if (holiday) return { closed: { reason: holiday, kind: "holiday" } };
    const extra = this.extraEarly.get(day);
    if (extra) return { early: extra };
    const early = y.early.get(day);
    return early ? { early: { reason: early, close: "13:00" } } : {};
  }

  isTradingDay(date: string): boolean {
    return !this.info(dayNumber(date)).closed;
  }

  /** Why the market is closed that day, or undefined on a trading day. */
  closedReason(date: string): ClosedDay | undefined {
    const c = this.info(dayNumber(date)).closed;
    return c ? { date, ...c } : undefined;
  }

  /** Full-day closures on weekdays (rule holidays and one-off closures), inclusive range. */
  holidays(from: string, to: string): ClosedDay[] {
    const out: ClosedDay[] = [];
    for (let d = dayNumber(from), end = dayNumber(to); d <= end; d++) {
      const c = this.info(d).closed;
      if (c && c.kind !== "weekend") out.push({ date: isoDate(d), ...c });
    }
    return out;
  }

  earlyCloses(from: string, to: string): CalendarEvent[] {
    const out: CalendarEvent[] = [];
    for (let d = dayNumber(from), end = dayNumber(to); d <= end; d++) {
      const info = this.info(d);
      if (!info.closed && info.early) out.push({ date: isoDate(d), name: info.early.reason });
    }
    return out;
  }

  /** The sessions of a trading day, or null when the exchange is closed that day. */
  session(date: string): TradingSession | null {
    const day = dayNumber(date);
    const cached = this.sessions.get(day);
    if (cached) return cached;
    const info = this.info(day);
    if (info.closed) return null;
    const [y, mo, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
    // Session times never fall in a DST gap (changes happen at 02:00), so toMillis always answers.
    const at = (hhmm: string) => {
      const [h, m] = hhmm.split(":").map(Number) as [number, number];
      return exchangeZone.toMillis(y, mo, d, h, m)!;
    };
    const close = at(info.early?.close ?? "16:00");
    const session: TradingSession = {
      date,
      preOpen: at("04:00"),
      open: at("09:30"),
      close,
      postClose: info.early ? close + 4 * 3_600_000 : at("20:00"),
      earlyClose: info.early !== undefined,
      ...(info.early ? { earlyCloseReason: info.early.reason } : {}),
    };
    this.sessions.set(day, session);
    return session;
  }

  /** The exchange-local calendar date of an instant. */
  dateAt(t: number): string {
    return exchangeZone.dateOf(t);
  }

  /** Midnight America/New_York of a date, in epoch ms: the timestamp of its 1Day bar. */
  startOfDay(date: string): number {
    return exchangeZone.startOfDay(date);
  }

  phaseAt(t: number): { phase: MarketPhase; session: TradingSession | null } {
    const session = this.session(this.dateAt(t));
    if (!session || t < session.preOpen || t >= session.postClose) return { phase: "closed", session };
    if (t < session.open) return { phase: "pre", session };
    if (t < session.close) return { phase: "regular", session };
    return { phase: "post", session };
  }

  /** True during the regular session only. */
  isMarketOpen(t: number): boolean {
    return this.phaseAt(t).phase === "regular";
  }

  nextTradingDay(date: string): string {
    let d = dayNumber(date) + 1;
    while (this.info(d).closed) d++;
    return isoDate(d);
  }

  previousTradingDay(date: string): string {
    let d = dayNumber(date) - 1;
    while (this.info(d).closed) d--;
    return isoDate(d);
  }

  /** Trading dates in [from, to], inclusive. */
  tradingDays(from: string, to: string): string[] {
    const out: string[] = [];
    for (let d = dayNumber(from), end = dayNumber(to); d <= end; d++) if (!this.info(d).closed) out.push(isoDate(d));
    return out;
  }

  /** The next regular open strictly after t, and the close of the session open at t (or next). */
  nextOpen(t: number): TradingSession {
    let date = this.dateAt(t);
    let s = this.session(date);
    if (s && t < s.open) return s;
    for (;;) {
      date = this.nextTradingDay(date);
      s = this.session(date);
      if (s) return s;
    }
  }

  /** The most recent regular session that has fully closed at t. */
  lastClosedSession(t: number): TradingSession {
    let date = this.dateAt(t);
    let s = this.session(date);
    if (s && t >= s.close) return s;
    for (;;) {
      date = this.previousTradingDay(date);
      s = this.session(date);
      if (s) return s;
    }
  }
}
