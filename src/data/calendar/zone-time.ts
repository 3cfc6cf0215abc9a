import { DateTime } from "luxon";

const DAY_MS = 86_400_000;
const WINDOW_MS = 7 * DAY_MS;
const pad = (n: number) => String(n).padStart(2, "0");

interface WindowChange {
  before: number;
  after: number;
  /** First instant with the `after` offset. */
  at: number;
}

/**
 * Fast wall-clock arithmetic in one IANA zone. luxon costs ~10–30 µs per zone lookup,
 * which dominates parsing and quality checks of long daily files (one new date per row).
 * A zone's UTC offset is constant between DST changes, so it is looked up at both ends
 * of each 7-day window and reused inside the window when both agree; only windows that
 * contain a change fall back to luxon per call. Results match luxon's (see the test),
 * with one fixed rule where luxon's depends on the date it runs: a local time skipped by
 * spring-forward has no instant (null), and a repeated fall-back time resolves to its
 * earlier occurrence.
 */
export class ZoneTime {
  /** Per 7-day window: its constant offset, or the one change inside it. */
  private readonly windows = new Map<number, number | WindowChange | null>();
  constructor(readonly zone: string) {}

  private luxonOffset(ms: number): number {
    return DateTime.fromMillis(ms, { zone: this.zone }).offset;
  }

  /** UTC offset in minutes at an instant. */
  offsetAt(ms: number): number {
    const w = Math.floor(ms / WINDOW_MS);
    let off = this.windows.get(w);
    if (off === undefined) {
      off = this.describeWindow(w);
      this.windows.set(w, off);
    }
    if (typeof off === "number") return off;
    if (off !== null) return ms < off.at ? off.before : off.after;
    return this.luxonOffset(ms);
  }

  /**
   * A window's offset, or — when it holds a DST change — the instant of that change,
   * found by bisection on whole minutes (zones change on minute boundaries) and then
   * checked: null (luxon per call) unless exactly one change explains both ends.
   */
  private describeWindow(w: number): number | WindowChange | null {
    const start = w * WINDOW_MS;
    const end = (w + 1) * WINDOW_MS - 1;
    const before = this.luxonOffset(start);
    const after = this.luxonOffset(end);
    if (before === after) return before;
    let lo = start;
    let hi = end;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (this.luxonOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    let at = hi;
    while (at > lo && this.luxonOffset(at - 1) !== before) at -= 1;
    const single = this.luxonOffset(at - 1) === before && this.luxonOffset(at) === after && this.luxonOffset(Math.floor((start + at) / 2)) === before && this.luxonOffset(Math.floor((at + end) / 2)) === after;
    return single ? { before, after, at } : null;
  }

  /** Epoch ms of a local wall-clock time, or null when that time does not exist in the zone. */
  toMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number | null {
    const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
    // The offsets in force a day either side are the only candidates (no zone changes
    // twice within two days). A candidate is right when the offset at its instant is the
    // one that produced it; none → the time was skipped, two → repeated, take the earlier.
    const before = this.offsetAt(asUtc - DAY_MS);
    const after = this.offsetAt(asUtc + DAY_MS);
    let best: number | null = null;
    for (const o of before === after ? [before] : [before, after]) {
      const t = asUtc - o * 60_000;
      if (this.offsetAt(t) === o && (best === null || t < best)) best = t;
    }
    return best;
  }

  /** The local calendar date (YYYY-MM-DD) of an instant. */
  dateOf(ms: number): string {
    const local = new Date(ms + this.offsetAt(ms) * 60_000);
    return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  }

  /** The first instant of a local date (midnight, or the first valid time if midnight was skipped). */
  startOfDay(date: string): number {
    const [y, mo, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
    return this.toMillis(y, mo, d) ?? DateTime.fromISO(date, { zone: this.zone }).startOf("day").toMillis();
  }
}
