import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EDGAR_FIXTURES, HAS_EDGAR_FIXTURES, secTestKit, startFakeSec, TEST_USER_AGENT, type FakeSec, type SecTestKit } from "../../../test/support/fake-sec.js";
import { isEdgarError } from "./errors.js";
import { resetSharedSecLimiterForTests, SecClient } from "./sec-client.js";

const HOUR = 3_600_000;
const APPLE = "/submissions/CIK0000320193.json";

describe.skipIf(!HAS_EDGAR_FIXTURES)("SecClient against the fake SEC (real fixtures)", () => {
  let fake: FakeSec;
  let kit: SecTestKit;

  beforeAll(async () => {
    fake = await startFakeSec();
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => {
    kit?.close();
  });
  const fresh = () => {
    fake.requests.length = 0;
    kit = secTestKit(fake.url);
    return kit;
  };

  it("sends the User-Agent and gzip Accept-Encoding, decodes gzip, then serves from cache without a request", async () => {
    const sec = fresh().client();
    const first = await sec.getJson<{ name: string; cik: string }>(APPLE, { base: "data", ttlMs: HOUR });
    expect(first.data.name).toBe("Apple Inc.");
    expect(first.fromCache).toBe(false);
    expect(first.url).toBe(`${fake.url}${APPLE}`);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.headers["user-agent"]).toBe(TEST_USER_AGENT);
    expect(fake.requests[0]?.headers["accept-encoding"]).toMatch(/gzip/);
    expect(fake.requests[0]?.contentEncoding).toBe("gzip");

    kit.clock.advance(HOUR - 1);
    const second = await sec.getJson<{ name: string }>(APPLE, { base: "data", ttlMs: HOUR });
    expect(second.fromCache).toBe(true);
    expect(second.data.name).toBe("Apple Inc.");
    expect(second.fetchedAt).toBe(first.fetchedAt);
    expect(fake.requests).toHaveLength(1);

    // Another client on the same database shares the cache.
    const other = kit.client();
    expect((await other.getJson(APPLE, { base: "data", ttlMs: HOUR })).fromCache).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it("revalidates a stale entry with If-None-Match; a 304 refreshes the expiry", async () => {
    const sec = fresh().client();
    await sec.getJson(APPLE, { base: "data", ttlMs: HOUR });
    kit.clock.advance(HOUR + 1);
    const again = await sec.getJson<{ name: string }>(APPLE, { base: "data", ttlMs: HOUR });
    expect(again.fromCache).toBe(true);
    expect(again.data.name).toBe("Apple Inc.");
    expect(again.fetchedAt).toBe(kit.clock.now());
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]?.headers["if-none-match"]).toMatch(/^".+"$/);
    expect(fake.requests[1]?.headers["if-modified-since"]).toBeDefined();
    expect(fake.requests[1]?.status).toBe(304);
    expect(fake.requests[1]?.headers["user-agent"]).toBe(TEST_USER_AGENT);
    // Fresh again: no request.
    kit.clock.advance(HOUR - 1);
    await sec.getJson(APPLE, { base: "data", ttlMs: HOUR });
    expect(fake.requests).toHaveLength(2);
  });

  it("retries a 503 with backoff and then succeeds; honours Retry-After", async () => {
    const sec = fresh().client();
    fake.fail("/files/company_tickers.json", 503, 2, { retryAfter: "0" });
    const res = await sec.getJson<Record<string, unknown>>("/files/company_tickers.json", { base: "www", ttlMs: HOUR });
    expect(Object.keys(res.data).length).toBeGreaterThan(9000);
    expect(fake.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(fake.requests.every((r) => r.headers["user-agent"] === TEST_USER_AGENT)).toBe(true);
  });

  it("waits out a 429's Retry-After before retrying", async () => {
    const sec = fresh().client();
    fake.fail("/api/xbrl/companyfacts/CIK0000104169.json", 429, 1, { retryAfter: "1" });
    const res = await sec.getJson<{ entityName: string }>("/api/xbrl/companyfacts/CIK0000104169.json", { base: "data", ttlMs: HOUR });
    expect(res.data.entityName).toMatch(/walmart/i);
    const [first, second] = fake.requests;
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect((second?.hr as number) - (first?.hr as number)).toBeGreaterThanOrEqual(950);
  });

  it("gives up after 4 attempts on persistent 5xx with a readable error", async () => {
    const sec = fresh().client();
    fake.fail("/submissions/CIK0000789019.json", 500, 10);
    const err = await sec.getJson("/submissions/CIK0000789019.json", { base: "data", ttlMs: HOUR }).catch((e: unknown) => e);
    expect(isEdgarError(err, "SEC_UNAVAILABLE")).toBe(true);
    expect((err as Error).message).toMatch(/could not be reached .* after 4 attempts/);
    expect(fake.hits("/submissions/CIK0000789019.json")).toHaveLength(4);
    fake.fail("/submissions/CIK0000789019.json", 500, 0); // drain
  });

  it("does not retry a 403 and explains the fair-access block", async () => {
    const sec = fresh().client();
    fake.fail("/submissions/CIK0000050863.json", 403, 5);
    const err = await sec.getJson("/submissions/CIK0000050863.json", { base: "data", ttlMs: HOUR }).catch((e: unknown) => e);
    expect(isEdgarError(err, "SEC_FORBIDDEN")).toBe(true);
    expect((err as Error).message).toContain("SEC refused the request (403)");
    expect((err as Error).message).toMatch(/fair-access block.*wait ~10 minutes/);
    expect(fake.requests).toHaveLength(1);
  });

  it("maps a 404 to SEC_NOT_FOUND naming the URL, without retrying", async () => {
    const sec = fresh().client();
    const err = await sec.getJson("/submissions/CIK0000000001.json", { base: "data", ttlMs: HOUR }).catch((e: unknown) => e);
    expect(isEdgarError(err, "SEC_NOT_FOUND")).toBe(true);
    expect((err as { code: string }).code).toBe("SEC_NOT_FOUND");
    expect((err as Error).message).toContain(`${fake.url}/submissions/CIK0000000001.json`);
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses to send anything without a User-Agent", async () => {
    fresh();
    for (const userAgent of [undefined, "", "   "]) {
      const sec = kit.client({ userAgent });
      const err = await sec.getJson(APPLE, { base: "data", ttlMs: HOUR }).catch((e: unknown) => e);
      expect(isEdgarError(err, "SEC_USER_AGENT_REQUIRED")).toBe(true);
      expect((err as Error).message).toContain("SEC fair access requires a User-Agent with a name and contact email; set ARGUS_SEC_USER_AGENT");
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("reports truncated JSON clearly and does not cache it", async () => {
    const sec = fresh().client();
    fake.truncate("/submissions/CIK0000909832.json");
    const err = await sec.getJson("/submissions/CIK0000909832.json", { base: "data", ttlMs: HOUR }).catch((e: unknown) => e);
    expect(isEdgarError(err, "SEC_BAD_RESPONSE")).toBe(true);
    expect((err as Error).message).toContain(`the SEC response for ${fake.url}/submissions/CIK0000909832.json is not valid JSON (truncated?)`.replace(/^t/, "T"));
    const ok = await sec.getJson<{ name: string }>("/submissions/CIK0000909832.json", { base: "data", ttlMs: HOUR });
    expect(ok.fromCache).toBe(false);
    expect(ok.data.name).toMatch(/COSTCO/i);
  });

  it("retries a request that times out", async () => {
    const sec = fresh().client({ timeoutMs: 200 });
    fake.delay("/submissions/CIK0001637459.json", 1_000, 1);
    const res = await sec.getJson<{ name: string }>("/submissions/CIK0001637459.json", { base: "data", ttlMs: HOUR });
    expect(res.data.name).toMatch(/Kraft Heinz/i);
    expect(fake.hits("/submissions/CIK0001637459.json").length).toBeGreaterThanOrEqual(2);
  });

  it("serves a stale cached body when the SEC is unreachable", async () => {
    const sec = fresh().client();
    await sec.getText("/files/company_tickers.json", { base: "www", ttlMs: HOUR });
    kit.clock.advance(2 * HOUR);
    fake.fail("/files/company_tickers.json", 503, 4);
    const res = await sec.getText("/files/company_tickers.json", { base: "www", ttlMs: HOUR });
    expect(res.stale).toBe(true);
    expect(res.fromCache).toBe(true);
    expect(res.data.length).toBeGreaterThan(100_000);
  });

  it("shares one in-flight request between concurrent callers of the same URL", async () => {
    const sec = fresh().client();
    const [a, b] = await Promise.all([
      sec.getJson<{ name: string }>("/submissions/CIK0000021344.json", { base: "data", ttlMs: HOUR }),
      sec.getJson<{ name: string }>("/submissions/CIK0000021344.json", { base: "data", ttlMs: HOUR }),
    ]);
    expect(a.data.name).toBe(b.data.name);
    expect(fake.requests).toHaveLength(1);
  });

  it("limits every client in the process together to ~9 requests per second", async () => {
    resetSharedSecLimiterForTests();
    fresh();
    for (let i = 0; i < 30; i++) fake.setFile(`/rate/${i}.json`, JSON.stringify({ i }));
    // Three clients, as three managers would hold; the bucket is shared.
    const clients = [kit.client({ requestsPerSecond: 9 }), kit.client({ requestsPerSecond: 9 }), kit.client({ requestsPerSecond: 9 })];
    const t0 = performance.now();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (clients[i % 3] as SecClient).getJson<{ i: number }>(`/rate/${i}.json`, { base: "data", ttlMs: HOUR })),
    );
    const elapsedMs = performance.now() - t0;
    expect(results.map((r) => r.data.i)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(fake.requests).toHaveLength(30);
    expect(elapsedMs).toBeGreaterThanOrEqual(((30 - 9) / 9) * 1000 - 50);
    const times = fake.requests.map((r) => r.hr).sort((a, b) => a - b);
    let busiest = 0;
    for (const start of times) busiest = Math.max(busiest, times.filter((t) => t >= start && t < start + 1000).length);
    expect(busiest).toBeLessThanOrEqual(10);
    const span = ((times.at(-1) as number) - (times[0] as number)) / 1000;
    const rate = (times.length - 1) / span;
    console.log(`SEC rate limit: 30 requests in ${(elapsedMs / 1000).toFixed(2)} s, ${rate.toFixed(2)} req/s between first and last, busiest 1-s window ${busiest}`);
    expect(rate).toBeLessThanOrEqual(9.5);
    resetSharedSecLimiterForTests();
  });

  it("rejects an out-of-range requestsPerSecond", () => {
    fresh();
    expect(() => kit.client({ requestsPerSecond: 11 })).toThrow(/at most 10 requests per second/);
    expect(() => kit.client({ requestsPerSecond: 0 })).toThrow();
  });
});

describe.skipIf(!HAS_EDGAR_FIXTURES)("SecClient offline mode", () => {
  let dir: string;
  let kit: SecTestKit;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "argus-sec-offline-"));
    mkdirSync(join(dir, "submissions"), { recursive: true });
    mkdirSync(join(dir, "api/xbrl/companyfacts"), { recursive: true });
    mkdirSync(join(dir, "files"), { recursive: true });
    cpSync(join(EDGAR_FIXTURES, "submissions/CIK0000320193.json"), join(dir, "submissions/CIK0000320193.json"));
    cpSync(join(EDGAR_FIXTURES, "companyfacts/CIK0000320193.json"), join(dir, "api/xbrl/companyfacts/CIK0000320193.json"));
    cpSync(join(EDGAR_FIXTURES, "company_tickers.json"), join(dir, "files/company_tickers.json"));
    // Nothing listens here: any network use would fail.
    kit = secTestKit("http://127.0.0.1:9");
  });
  afterAll(() => {
    kit.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads SEC paths from the directory, with no User-Agent and no network", async () => {
    const sec = kit.client({ offlineDir: dir, userAgent: undefined });
    const subs = await sec.getJson<{ name: string }>(APPLE, { base: "data", ttlMs: HOUR });
    expect(subs.data.name).toBe("Apple Inc.");
    const facts = await sec.getJson<{ entityName: string }>("/api/xbrl/companyfacts/CIK0000320193.json", { base: "data", ttlMs: HOUR });
    expect(facts.data.entityName).toBe("Apple Inc.");
    const tickers = await sec.getText("/files/company_tickers.json", { base: "www", ttlMs: HOUR });
    expect(tickers.data).toContain("AAPL");
  });

  it("names the missing file, and stays inside the directory", async () => {
    const sec = kit.client({ offlineDir: dir });
    const err = await sec.getJson("/submissions/CIK0000789019.json", { base: "data", ttlMs: HOUR }).catch((e: unknown) => e);
    expect(isEdgarError(err, "SEC_NOT_FOUND")).toBe(true);
    expect((err as Error).message).toContain(join(dir, "submissions/CIK0000789019.json"));
    const escape = await sec.getText("/../../etc/passwd", { base: "www", ttlMs: HOUR }).catch((e: unknown) => e);
    expect(isEdgarError(escape)).toBe(true);
  });
});
