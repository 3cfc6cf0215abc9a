import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAS_EDGAR_FIXTURES, secTestKit, startFakeSec, type FakeSec, type SecTestKit } from "../../../test/support/fake-sec.js";
import { isEdgarError } from "../client/errors.js";
import { padCik, TickerDirectory, TICKERS_TTL_MS } from "./tickers.js";

describe("padCik", () => {
  it("zero-pads valid CIKs in every accepted spelling", () => {
    for (const x of ["320193", "0000320193", "CIK0000320193", "cik320193", " 320193 ", 320193]) expect(padCik(x)).toBe("0000320193");
  });
  it("rejects malformed CIKs as INVALID_INPUT", () => {
    for (const x of ["12ab", "12345678901", "", "0", "-5", "3.5", 1.5, 0]) {
      expect(() => padCik(x)).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
    }
  });
});

describe.skipIf(!HAS_EDGAR_FIXTURES)("TickerDirectory over the real company_tickers.json", () => {
  let fake: FakeSec;
  let kit: SecTestKit;
  let dir: TickerDirectory;
  beforeAll(async () => {
    fake = await startFakeSec();
    kit = secTestKit(fake.url);
    dir = new TickerDirectory(kit.client(), kit.clock);
  });
  afterAll(async () => {
    kit.close();
    await fake.close();
  });

  it("resolves tickers and CIKs in any spelling, fetching the file once", async () => {
    const apple = { cik: "0000320193", ticker: "AAPL", name: "Apple Inc." };
    for (const x of ["AAPL", "aapl", " AAPL ", "320193", "0000320193", "CIK0000320193"]) expect(await dir.resolve(x)).toEqual(apple);
    expect(fake.hits("/files/company_tickers.json")).toHaveLength(1);
    expect(fake.requests[0]?.headers["user-agent"]).toMatch(/@/);
  });

  it("normalises share-class punctuation (BRK.B → BRK-B)", async () => {
    const brk = await dir.resolve("brk.b");
    expect(brk.ticker).toBe("BRK-B");
    expect(brk.cik).toBe("0001067983");
  });

  it("rejects a malformed CIK as INVALID_INPUT", async () => {
    await expect(dir.resolve("12ab")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(dir.resolve("12345678901")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(dir.resolve("")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("explains an unknown ticker with fuzzy suggestions", async () => {
    const err = await dir.resolve("APPL").catch((e: unknown) => e);
    expect(isEdgarError(err, "UNKNOWN_COMPANY")).toBe(true);
    expect((err as Error).message).toMatch(/Unknown ticker "APPL".*Did you mean .*AAPL \(Apple Inc\.\)/);
    const suggestions = (err as { details: { suggestions: Array<{ ticker: string }> } }).details.suggestions;
    expect(suggestions.map((s) => s.ticker)).toContain("AAPL");
  });

  it("an unlisted but well-formed CIK is UNKNOWN_COMPANY from resolve, and passes through resolveCik", async () => {
    await expect(dir.resolve("0000000042")).rejects.toMatchObject({ code: "UNKNOWN_COMPANY" });
    expect(await dir.resolveCik("42")).toBe("0000000042");
    expect(await dir.resolveCik("msft")).toBe("0000789019");
  });

  it("searches by name and ticker, best first", async () => {
    const apple = await dir.search("apple", 5);
    expect(apple[0]).toMatchObject({ cik: "0000320193", ticker: "AAPL" });
    expect(apple.map((m) => m.name)).toContain("Apple Hospitality REIT, Inc.");
    expect((await dir.search("MSFT", 3))[0]?.ticker).toBe("MSFT");
    expect((await dir.search("microsft", 3))[0]?.ticker).toBe("MSFT"); // typo
    expect((await dir.search("coca cola", 3))[0]?.cik).toBe("0000021344");
    expect((await dir.search("tesla", 3))[0]?.ticker).toBe("TSLA");
    const walmart = await dir.search("walmart", 10);
    expect(walmart[0]?.cik).toBe("0000104169");
    expect(new Set(walmart.map((m) => m.cik)).size).toBe(walmart.length); // one row per company
    await expect(dir.search("", 5)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(dir.search("x", 0)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("reloads after 24 hours (revalidating with the SEC)", async () => {
    const before = fake.hits("/files/company_tickers.json").length;
    kit.clock.advance(TICKERS_TTL_MS + 1);
    await dir.resolve("AAPL");
    const after = fake.hits("/files/company_tickers.json");
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)?.status).toBe(304);
  });
});
