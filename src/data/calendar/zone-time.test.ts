import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { ZoneTime } from "./zone-time.js";

describe("ZoneTime agrees with luxon", () => {
  for (const zone of ["America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata"]) {
    it(`${zone}: instants → dates, local times → instants, across DST changes`, () => {
      const z = new ZoneTime(zone);
      const from = Date.parse("2023-12-25T00:00:00Z");
      for (let ms = from; ms < from + 400 * 86_400_000; ms += 37 * 60_000) {
        expect(z.dateOf(ms)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
      }
      for (let day = 0; day < 400; day++) {
        const d = DateTime.fromObject({ year: 2024, month: 1, day: 1 }, { zone: "UTC" }).plus({ days: day });
        expect(z.startOfDay(d.toISODate()!)).toBe(DateTime.fromISO(d.toISODate()!, { zone }).startOf("day").toMillis());
        for (const [h, m] of [[1, 30], [2, 30], [3, 0], [9, 30], [16, 0]] as const) {
          const lx = DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: h, minute: m }, { zone });
          const exists = lx.hour === h && lx.minute === m;
          // A repeated (fall-back) wall time has two instants; luxon's pick depends on the
          // date it runs, so ZoneTime's rule is fixed: the earlier one.
          const same = (t: number) => {
            const o = DateTime.fromMillis(t, { zone });
            return o.day === d.day && o.hour === h && o.minute === m;
          };
          const twins = [lx.toMillis() - 3_600_000, lx.toMillis(), lx.toMillis() + 3_600_000].filter(same);
          expect(z.toMillis(d.year, d.month, d.day, h, m)).toBe(exists ? Math.min(...twins) : null);
        }
      }
    });
  }
});
