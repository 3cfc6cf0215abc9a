import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../core/logger.js";
import { HAS_EDGAR_FIXTURES, secTestKit, startFakeSec, type FakeSec, type SecTestKit } from "../../../test/support/fake-sec.js";
import { resetSharedSecLimiterForTests } from "../client/sec-client.js";
import { isEdgarError } from "../client/errors.js";
import type { Statement } from "../statements/index.js";
import { companyFactsPath, FactsEngine } from "./facts-engine.js";
import type { FactsSummary } from "./queries.js";

const APPLE = "0000320193";

describe.skipIf(!HAS_EDGAR_FIXTURES)("FactsEngine", () => {
  let sec: FakeSec;
  let kit: SecTestKit;
  beforeAll(async () => {
    sec = await startFakeSec();
  });
  afterAll(async () => {
    await sec.close();
  });
  beforeEach(() => {
    resetSharedSecLimiterForTests();
    kit?.close();
    kit = secTestKit(sec.url);
    sec.requests.length = 0;
  });

  for (const worker of [true, false]) {
    it(`answers statements ${worker ? "from a worker thread" : "inline"}, parsing once and fetching once`, async () => {
      const engine = new FactsEngine(kit.client(), silentLogger(), { worker });
      try {
        const q = { kind: "statement", opts: { kind: "income", period: "annual", limit: 3 } } as const;
        const a = await engine.query<Statement>(APPLE, q);
        const fy2023 = a.result.columns.findIndex((c) => c.fiscalYear === 2023);
        const revenue = a.result.rows.find((r) => r.item === "revenue")?.values[fy2023];
        expect(revenue?.value).toBe(383_285_000_000);
        expect(a.source.fromCache).toBe(false);
        const b = await engine.query<FactsSummary>(APPLE, { kind: "summary" });
        expect(b.result.entityName).toBe("Apple Inc.");
        expect(b.source.fromCache).toBe(true);
        expect(sec.hits(companyFactsPath(APPLE))).toHaveLength(1);
      } finally {
        engine.close();
      }
    });
  }

  it("reports a truncated payload as SEC_BAD_RESPONSE, evicts it, and recovers on the next call", async () => {
    const engine = new FactsEngine(kit.client(), silentLogger());
    try {
      sec.truncate(companyFactsPath(APPLE), 1);
      const err = await engine.query(APPLE, { kind: "summary" }).catch((e: unknown) => e);
      expect(isEdgarError(err, "SEC_BAD_RESPONSE")).toBe(true);
      expect((err as Error).message).toMatch(/not valid JSON/);
      const ok = await engine.query<FactsSummary>(APPLE, { kind: "summary" });
      expect(ok.result.cik).toBe(320193);
      expect(sec.hits(companyFactsPath(APPLE))).toHaveLength(2);
    } finally {
      engine.close();
    }
  });

  it("turns a query error inside the worker into the same ArgusError code", async () => {
    const engine = new FactsEngine(kit.client(), silentLogger());
    try {
      const err = await engine.query(APPLE, { kind: "concept", tag: "NoSuchConceptAtAll", opts: {} }).catch((e: unknown) => e);
      expect((err as { code?: string }).code).toBe("NO_DATA");
    } finally {
      engine.close();
    }
  });
});
