import { weekday, ymd } from "./dates.js";

/**
 * NYSE holiday and early-close rules (DESIGN §6), as pure functions of the year.
 * Day numbers in, day numbers out; one-off closures live in data/calendar-overrides.json.
 */

export interface RuleDate {
  day: number;
  name: string;
}

/** The n-th given weekday (0=Sun) of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  if (n > 0) {
    const first = ymd(year, month, 1);
    return first + ((wd - weekday(first) + 7) % 7) + (n - 1) * 7;
  }
  const last = ymd(year, month + 1, 1) - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

/** Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return ymd(year, month, day);
}

/** Fixed-date holidays move Saturday → Friday and Sunday → Monday. */
function observed(day: number): number {
  const w = weekday(day);
  return w === 6 ? day - 1 : w === 0 ? day + 1 : day;
}

export function holidaysOfYear(year: number): RuleDate[] {
  const out: RuleDate[] = [];
  // New Year's Day: Sunday → Monday; a Saturday New Year is not observed on the Friday
  // before (NYSE rule 7.2: the Friday would fall in the previous year's books).
  const ny = ymd(year, 1, 1);
  if (weekday(ny) === 0) out.push({ day: ny + 1, name: "New Year's Day" });
  else if (weekday(ny) !== 6) out.push({ day: ny, name: "New Year's Day" });
  out.push({ day: nthWeekday(year, 1, 1, 3), name: "Martin Luther King Jr. Day" });
  out.push({ day: nthWeekday(year, 2, 1, 3), name: "Washington's Birthday" });
  out.push({ day: easterSunday(year) - 2, name: "Good Friday" });
  out.push({ day: nthWeekday(year, 5, 1, -1), name: "Memorial Day" });
  if (year >= 2022) out.push({ day: observed(ymd(year, 6, 19)), name: "Juneteenth National Independence Day" });
  out.push({ day: observed(ymd(year, 7, 4)), name: "Independence Day" });
  out.push({ day: nthWeekday(year, 9, 1, 1), name: "Labor Day" });
  out.push({ day: nthWeekday(year, 11, 4, 4), name: "Thanksgiving Day" });
  out.push({ day: observed(ymd(year, 12, 25)), name: "Christmas Day" });
  return out.sort((x, y) => x.day - y.day);
}

/** Early closes (13:00 ET) from the recurring rules. */
export function earlyClosesOfYear(year: number): RuleDate[] {
  const out: RuleDate[] = [];
  const jul3 = ymd(year, 7, 3);
  const w3 = weekday(jul3);
  if (w3 === 1 || w3 === 2 || w3 === 4 || (w3 === 3 && year >= 2013)) {
    out.push({ day: jul3, name: "Day before Independence Day" });
  }
  const jul5 = ymd(year, 7, 5);
  if (weekday(jul5) === 5 && year < 2013) out.push({ day: jul5, name: "Day after Independence Day" });
  out.push({ day: nthWeekday(year, 11, 4, 4) + 1, name: "Day after Thanksgiving" });
  const dec24 = ymd(year, 12, 24);
  const w24 = weekday(dec24);
  if (w24 >= 1 && w24 <= 4) out.push({ day: dec24, name: "Christmas Eve" });
  return out.sort((x, y) => x.day - y.day);
}
