import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestApp } from "../../../test/support/app.js";
import { DAILY_FIXTURES, HAS_DAILY_FIXTURES } from "../../../test/support/fixture-universe.js";

/** The shipped model was fitted and calibrated on 2000–2017 data: a replayed analysis in that period must not use it. */
describe.skipIf(!HAS_DAILY_FIXTURES)("probability model and the clock", () => {
  it("is left out of analyses dated on or before the end of its fitting data, and used after", async () => {
    const t = createTestApp({ demo: false, now: Date.parse("2017-12-29T22:00:00Z") });
    try {
      t.app.data.importCsv({ path: join(DAILY_FIXTURES, "AAPL.csv"), symbol: "AAPL" }, { trusted: true });
      const before = await t.app.analysis.analyze("AAPL");
      expect(before.probability).toBeNull();
      expect(before.modelVersion).toBeNull();
      t.clock.set(Date.parse("2018-01-03T22:00:00Z"));
      const after = await t.app.analysis.analyze("AAPL");
      expect(after.probability).toBeGreaterThan(0);
      expect(after.modelVersion).toBe("probability-v1");
    } finally {
      t.cleanup();
    }
  });
});
