import type { Bar } from "../../data/bar.js";
import { exchangeOffsetMinutes } from "../../data/calendar/zone.js";
import type { Timeframe } from "../../data/timeframes.js";
import { INTRADAY_MINUTES } from "../../data/timeframes.js";
import { textWidth } from "./svg.js";

/**
 * Time-axis ticks for a bar-indexed x axis, in New York (exchange) time.
 *
 * Each bar gets a rank: the coarsest calendar boundary crossed since the previous bar
 * (a new year, half, quarter, month, week or day, or, within a day, a new 4h/2h/1h/30m/15m/
 * 5m/1m slot). The finest level whose ticks fit the width is chosen, then ticks are
 * thinned greedily, higher ranks first, so labels never overlap and a day or year change
 * wins over an hour next to it.
 */

/** Boundary levels, finest first; a bar's rank is the coarsest level it starts. */
const Level = {
  NONE: -1,
  M1: 0,
  M5: 1,
  M15: 2,
  M30: 3,
  H1: 4,
  H2: 5,
  H4: 6,
  DAY: 7,
  WEEK: 8,
  MONTH: 9,
  QUARTER: 10,
  HALF: 11,
  YEAR: 12,
  YEAR2: 13,
  YEAR5: 14,
  YEAR10: 15,
} as const;
type Level = number;

const MINUTE_LEVELS: [Level, number][] = [[Level.H4, 240], [Level.H2, 120], [Level.H1, 60], [Level.M30, 30], [Level.M15, 15], [Level.M5, 5], [Level.M1, 1]];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

interface LocalParts {
  year: number;
  month: number; // 0-11
  date: number;
  day: number; // days since epoch, local
  minute: number; // minute of day, local
}

function localParts(t: number): LocalParts {
  const ms = t + exchangeOffsetMinutes(t) * 60_000;
  const d = new Date(ms);
  const day = Math.floor(ms / 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth(), date: d.getUTCDate(), day, minute: Math.floor((ms - day * 86_400_000) / 60_000) };
}

function rankBetween(a: LocalParts, b: LocalParts): Level {
  if (a.year !== b.year) {
    if (Math.floor(a.year / 10) !== Math.floor(b.year / 10)) return Level.YEAR10;
    if (Math.floor(a.year / 5) !== Math.floor(b.year / 5)) return Level.YEAR5;
    if (Math.floor(a.year / 2) !== Math.floor(b.year / 2)) return Level.YEAR2;
    return Level.YEAR;
  }
  if (a.month !== b.month) {
    if (Math.floor(a.month / 6) !== Math.floor(b.month / 6)) return Level.HALF;
    if (Math.floor(a.month / 3) !== Math.floor(b.month / 3)) return Level.QUARTER;
    return Level.MONTH;
  }
  // Weeks start on Monday; epoch day 0 was a Thursday.
  if (Math.floor((a.day + 3) / 7) !== Math.floor((b.day + 3) / 7)) return Level.WEEK;
  if (a.day !== b.day) return Level.DAY;
  for (const [level, size] of MINUTE_LEVELS) {
    if (Math.floor(a.minute / size) !== Math.floor(b.minute / size)) return level;
  }
  return Level.NONE;
}

/** Label kinds: 0 time of day, 1 date, 2 month, 3 year. */
function labelKind(rank: Level): number {
  return rank >= Level.YEAR ? 3 : rank >= Level.MONTH ? 2 : rank >= Level.DAY ? 1 : 0;
}

function label(p: LocalParts, rank: Level): string {
  switch (labelKind(rank)) {
    case 3:
      return String(p.year);
    case 2:
      return MONTHS[p.month]!;
    case 1:
      return `${MONTHS[p.month]!} ${p.date}`;
    default:
      return `${pad(Math.floor(p.minute / 60))}:${pad(p.minute % 60)}`;
  }
}

export interface TimeTick {
  index: number;
  label: string;
  /** Coarser than the chosen level (a year among months, a day among hours): drawn bolder. */
  major: boolean;
}

/**
 * Ticks for `bars` drawn at x(i) over `plotWidth` pixels; `fontSize` sizes the labels
 * whose widths set the minimum spacing.
 */
export function timeTicks(bars: readonly Bar[], timeframe: Timeframe, x: (i: number) => number, plotWidth: number, fontSize: number): TimeTick[] {
  const n = bars.length;
  if (n === 0) return [];
  const parts = bars.map((b) => localParts(b.t));
  const ranks = new Array<Level>(n);
  // The first bar opens the visible range: it may carry its date.
  ranks[0] = Level.DAY;
  for (let i = 1; i < n; i++) ranks[i] = rankBetween(parts[i - 1]!, parts[i]!);

  const barMinutes = timeframe === "1Day" ? 24 * 60 : INTRADAY_MINUTES[timeframe];
  const finest = timeframe === "1Day" ? Level.DAY : (MINUTE_LEVELS.find(([, size]) => size === barMinutes)?.[0] ?? Level.M1);
  const gap = fontSize * 1.6;
  const spacingFor = (level: Level) => textWidth(["10:00", "May 30", "May", "2026"][labelKind(level)]!, fontSize) + gap;

  let chosen: Level = Level.YEAR10;
  for (let level = finest; level <= Level.YEAR10; level++) {
    let count = 0;
    for (let i = 0; i < n; i++) if (ranks[i]! >= level) count++;
    if (count * spacingFor(level) <= plotWidth * 0.9) {
      chosen = level;
      break;
    }
  }

  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if (ranks[i]! >= chosen) candidates.push(i);
  candidates.sort((a, b) => ranks[b]! - ranks[a]! || a - b);
  const accepted: { index: number; x: number; w: number }[] = [];
  for (const i of candidates) {
    const text = label(parts[i]!, ranks[i]!);
    const w = textWidth(text, fontSize);
    const xi = x(i);
    if (accepted.every((a) => Math.abs(a.x - xi) >= (a.w + w) / 2 + gap)) accepted.push({ index: i, x: xi, w });
  }
  accepted.sort((a, b) => a.index - b.index);
  return accepted.map(({ index }) => ({ index, label: label(parts[index]!, ranks[index]!), major: labelKind(ranks[index]!) > labelKind(chosen) }));
}
