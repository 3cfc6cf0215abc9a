import type { Bar } from "../bar.js";
import type { NyseCalendar } from "../calendar/nyse-calendar.js";
import { exchangeZone, toExchangeIso } from "../calendar/zone.js";
import type { GapRange } from "./types.js";


export interface GapScan {
  ranges: GapRange[];
  missingSessions: number;
  missingBars: number;
  /** Intraday: missing slots per date, only dates with gaps, in order. */
  days: { date: string; missing: number }[];
}

/** Trading sessions between the first and last bar's dates that have no bar, merged into runs. */
export function dailyGaps(dates: Set<string>, first: string, last: string, calendar: NyseCalendar): GapScan {
  const ranges: GapRange[] = [];
  let run: GapRange | null = null;
  for (const d of calendar.tradingDays(first, last)) {
    if (dates.has(d)) {
      run = null;
    } else if (run) {
      run.to = d;
      run.sessions++;
      run.bars++;
    } else {
      run = { from: d, to: d, sessions: 1, bars: 1 };
      ranges.push(run);
    }
  }
  const missing = ranges.reduce((n, r) => n + r.sessions, 0);
  return { ranges, missingSessions: missing, missingBars: missing, days: [] };
}

/**
 * The grid phase of intraday bars: where, within a bar length, bars start relative to
 * New York midnight. Minute bars sit on whole minutes, but vendors disagree for hourly
 * bars (09:00 vs 09:30 starts), so the most common phase in the data is used rather than
 * assuming one and calling every bar missing.
 */
function gridPhase(bars: Bar[], barMs: number): number {
  const counts = new Map<number, number>();
  for (const b of bars) {
    const p = (((b.t - exchangeZone.startOfDay(exchangeZone.dateOf(b.t))) % barMs) + barMs) % barMs;
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  let best = 0;
  let bestN = -1;
  for (const [p, n] of counts) if (n > bestN) [best, bestN] = [p, n];
  return best;
}

/**
 * Missing bar slots inside regular sessions, from the first bar to the last. A slot is a
 * bar-length interval on the data's grid that overlaps the regular session (so a 1Hour
 * bar starting 09:00 counts). Sessions with no bars at all are whole-session gaps; other
 * days report runs of missing slots. Pre- and post-market slots are never required:
 * many sources publish regular hours only.
 */
export function intradayGaps(bars: Bar[], barMs: number, calendar: NyseCalendar): GapScan {
  const out: GapScan = { ranges: [], missingSessions: 0, missingBars: 0, days: [] };
  const firstBar = bars[0];
  const lastBar = bars.at(-1);
  if (!firstBar || !lastBar) return out;
  const phase = gridPhase(bars, barMs);
  const present = new Set(bars.map((b) => b.t));
  const datesWithBars = new Set(bars.map((b) => exchangeZone.dateOf(b.t)));
  let sessionRun: GapRange | null = null;

  for (const date of calendar.tradingDays(exchangeZone.dateOf(firstBar.t), exchangeZone.dateOf(lastBar.t))) {
    const s = calendar.session(date);
    if (!s) continue;
    const dayStart = exchangeZone.startOfDay(date);
    const offset = (((s.open - dayStart - phase) % barMs) + barMs) % barMs;
    const slots: number[] = [];
    for (let t = s.open - offset; t < s.close; t += barMs) {
      // Only the span the data covers: a file that starts at noon is not missing the morning.
      if (t + barMs > firstBar.t && t <= lastBar.t) slots.push(t);
    }
    if (!datesWithBars.has(date)) {
      out.missingSessions++;
      out.missingBars += slots.length;
      out.days.push({ date, missing: slots.length });
      if (sessionRun) {
        sessionRun.to = date;
        sessionRun.sessions++;
        sessionRun.bars += slots.length;
      } else {
        sessionRun = { from: date, to: date, sessions: 1, bars: slots.length };
        out.ranges.push(sessionRun);
      }
      continue;
    }
    sessionRun = null;
    let missing = 0;
    let run: GapRange | null = null;
    for (const t of slots) {
      if (present.has(t)) {
        run = null;
        continue;
      }
      missing++;
      const iso = toExchangeIso(t);
      if (run) {
        run.to = iso;
        run.bars++;
      } else {
        run = { from: iso, to: iso, sessions: 0, bars: 1 };
        out.ranges.push(run);
      }
    }
    if (missing > 0) out.days.push({ date, missing });
    out.missingBars += missing;
  }
  return out;
}
