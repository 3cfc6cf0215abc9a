import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../test/support/app.js";
import { EDGAR_FIXTURES, filedDates, HAS_EDGAR_FIXTURES, startFakeSec, TEST_USER_AGENT, type FakeSec } from "../../test/support/fake-sec.js";
import { createMcpServer } from "../../src/server/mcp/server.js";
import { resetSharedSecLimiterForTests } from "../../src/edgar/client/sec-client.js";
import { parseOwnershipDocument } from "../../src/edgar/forms/ownership.js";
import { createToolRegistry } from "../index.js";

// The EDGAR tools over MCP, with the real SecClient pointed at a local server that serves
// the real SEC payloads from ../shared/fixtures/edgar.

const APPLE_FACTS = "/api/xbrl/companyfacts/CIK0000320193.json";

interface Harness {
  t: TestApp;
  client: Client;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

async function harness(sec: FakeSec, env: Record<string, string> = {}, now?: number): Promise<Harness> {
  resetSharedSecLimiterForTests();
  const t = createTestApp({
    demo: false,
    env: { ARGUS_SEC_USER_AGENT: TEST_USER_AGENT, ARGUS_SEC_DATA_URL: sec.url, ARGUS_SEC_WWW_URL: sec.url, ...env },
    ...(now !== undefined ? { now } : {}),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "edgar-test", version: "1" });
  await Promise.all([createMcpServer(t.app, createToolRegistry()).connect(b), client.connect(a)]);
  return {
    t,
    client,
    call: (name, args) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: async () => {
      await client.close();
      t.cleanup();
    },
  };
}

const text = (r: CallToolResult) => (r.content[0] as { text: string }).text;
const code = (r: CallToolResult) => (r.isError ? text(r).split(":")[0] : "ok");
const ok = (r: CallToolResult) => {
  expect(r.isError, JSON.stringify(r.content).slice(0, 500)).toBeFalsy();
  return r.structuredContent as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe.skipIf(!HAS_EDGAR_FIXTURES)("EDGAR tools over MCP against a local SEC", () => {
  let sec: FakeSec;
  let h: Harness;
  beforeAll(async () => {
    sec = await startFakeSec();
    h = await harness(sec);
  });
  afterAll(async () => {
    await h.close();
    await sec.close();
  });
  beforeEach(() => {
    sec.requests.length = 0;
  });

  it("Apple FY2023 revenue is 383,285,000,000 USD from 0000320193-23-000106 filed 2023-11-03, and a second call makes no request", async () => {
    const r = ok(await h.call("get_financial_statements", { company: "AAPL", statement: "income", period: "annual", limit: 5 }));
    expect(r.company).toEqual({ cik: "0000320193", name: "Apple Inc.", ticker: "AAPL" });
    const i = r.columns.findIndex((c: { label: string }) => c.label === "FY2023");
    const revenue = r.rows.find((row: { item: string }) => row.item === "revenue").values[i];
    expect(revenue).toMatchObject({ value: 383_285_000_000, accn: "0000320193-23-000106", filed: "2023-11-03", form: "10-K", derived: false });
    expect(revenue.url).toBe("https://www.sec.gov/Archives/edgar/data/320193/000032019323000106/0000320193-23-000106-index.htm");
    expect(r.source.url).toBe("https://data.sec.gov/api/xbrl/companyfacts/CIK0000320193.json");
    expect(text(await h.call("get_financial_statements", { company: "AAPL", statement: "income" }))).toMatch(/Revenue\s.*\$383\.29B/);
    // Every request carried the User-Agent; the facts were fetched once for both calls.
    expect(sec.hits(APPLE_FACTS)).toHaveLength(1);
    for (const req of sec.requests) expect(req.headers["user-agent"]).toBe(TEST_USER_AGENT);
    await h.call("get_concept_history", { company: "AAPL", tag: "Revenues" });
    expect(sec.hits(APPLE_FACTS)).toHaveLength(1);
  });

  it("as of 2023-06-30 Apple's latest annual statement is FY2022 and nothing filed later appears", async () => {
    for (const statement of ["income", "balance", "cashflow"]) {
      const r = ok(await h.call("get_financial_statements", { company: "AAPL", statement, asOf: "2023-06-30", limit: 40 }));
      expect(r.columns[0].label).toBe("FY2022");
      expect(r.asOf).toBe("2023-06-30");
      const dates = filedDates(r.rows);
      expect(dates.length).toBeGreaterThan(20);
      expect(dates.every((d) => d <= "2023-06-30")).toBe(true);
    }
    const q = ok(await h.call("get_financial_statements", { company: "AAPL", statement: "income", period: "quarterly", asOf: "2023-06-30", limit: 40 }));
    expect(q.columns[0].end).toBe("2023-04-01"); // Q2 FY2023, filed 2023-05-05
    expect(filedDates(q.rows).every((d) => d <= "2023-06-30")).toBe(true);
    const c = ok(await h.call("get_concept_history", { company: "AAPL", tag: "RevenueFromContractWithCustomerExcludingAssessedTax", asOf: "2023-06-30", limit: 500 }));
    expect(c.values.every((v: { filed: string }) => v.filed <= "2023-06-30")).toBe(true);
    const f = ok(await h.call("list_filings", { company: "AAPL", forms: ["10-K"], asOf: "2023-06-30", limit: 3 }));
    expect(f.filings[0]).toMatchObject({ form: "10-K", filingDate: "2022-10-28" });
  });

  it("a backtest clock hides later filings without any asOf, and a later asOf is cut back to the clock", async () => {
    const past = await harness(sec, {}, Date.parse("2023-06-30T20:00:00Z"));
    try {
      const r = ok(await past.call("get_financial_statements", { company: "AAPL", statement: "income", asOf: "2024-12-31" }));
      expect(r.columns[0].label).toBe("FY2022");
      expect(r).toMatchObject({ asOf: "2023-06-30", asOfRequested: "2024-12-31" });
      expect(filedDates(r.rows).every((d) => d <= "2023-06-30")).toBe(true);
      const f = ok(await past.call("list_filings", { company: "AAPL", limit: 5 }));
      expect(f.filings.every((x: { filingDate: string }) => x.filingDate <= "2023-06-30")).toBe(true);
    } finally {
      await past.close();
    }
  });

  it("search, profile and filings read the real submissions", async () => {
    const s = ok(await h.call("search_companies", { query: "apple" }));
    expect(s.matches[0]).toMatchObject({ ticker: "AAPL", cik: "0000320193" });
    const p = ok(await h.call("get_company", { company: "320193" }));
    expect(p).toMatchObject({ name: "Apple Inc.", fiscalYearEnd: "0926", sic: "3571", tickers: ["AAPL"] });
    expect(text(await h.call("get_company", { company: "AAPL" }))).toContain("<<<SEC FILING DATA");
    const f = ok(await h.call("list_filings", { company: "AAPL", forms: ["8-K"], from: "2023-01-01", to: "2023-12-31" }));
    expect(f.filings.length).toBeGreaterThan(3);
    expect(f.filings.some((x: { items: string[] }) => x.items.includes("2.02"))).toBe(true);
  });

  it("bad input comes back as isError with a stable code and loses nothing", async () => {
    expect(code(await h.call("get_financial_statements", { company: "ZZZZQ", statement: "income" }))).toBe("UNKNOWN_COMPANY");
    expect(text(await h.call("get_company", { company: "APPL" }))).toMatch(/Did you mean AAPL/);
    expect(code(await h.call("get_company", { company: "12345678901" }))).toBe("INVALID_INPUT");
    expect(code(await h.call("get_company", { company: "0000000000" }))).toBe("INVALID_INPUT");
    expect(code(await h.call("get_financial_statements", { company: "AAPL", statement: "income", asOf: "2023-02-30" }))).toBe("INVALID_INPUT");
    expect(code(await h.call("get_financial_statements", { company: "AAPL", statement: "income", fiscalYear: 1850 }))).toBe("INVALID_INPUT");
    expect(code(await h.call("get_financial_statements", { company: "AAPL", statement: "quarterly" }))).toBe("INVALID_INPUT");
    const noYear = await h.call("get_financial_statements", { company: "AAPL", statement: "income", fiscalYear: 2001 });
    expect(code(noYear)).toBe("NO_DATA");
    expect(text(noYear)).toMatch(/fiscal years available: 20\d\d–20\d\d/);
    expect(code(await h.call("get_concept_history", { company: "AAPL", tag: "Revenue; DROP TABLE" }))).toBe("INVALID_INPUT");
    expect(code(await h.call("get_concept_history", { company: "AAPL", tag: "NoSuchConcept" }))).toBe("NO_DATA");
    expect(code(await h.call("list_filings", { company: "AAPL", from: "2024-01-01", to: "2023-01-01" }))).toBe("INVALID_RANGE");
    // Nothing was lost: the next good call still answers.
    ok(await h.call("get_financial_statements", { company: "AAPL", statement: "balance" }));
  });

  it("a truncated or invalid companyfacts payload is SEC_BAD_RESPONSE, is not cached, and the next call recovers", async () => {
    const path = "/api/xbrl/companyfacts/CIK0000909832.json"; // Costco
    sec.truncate(path, 1);
    const cut = await h.call("get_financial_statements", { company: "COST", statement: "income" });
    expect(code(cut)).toBe("SEC_BAD_RESPONSE");
    expect(text(cut)).toMatch(/not valid JSON/);
    ok(await h.call("get_financial_statements", { company: "COST", statement: "income" }));
    expect(sec.hits(path)).toHaveLength(2);

    sec.setFile("/api/xbrl/companyfacts/CIK0000021344.json", JSON.stringify({ cik: 21344, entityName: "Coca-Cola", facts: { "us-gaap": { Revenues: { units: { USD: [{ end: "not-a-date", val: 1 }] } } } } }));
    const bad = await h.call("get_financial_statements", { company: "KO", statement: "income" });
    expect(code(bad)).toBe("SEC_BAD_RESPONSE");
    expect(text(bad)).toMatch(/not a companyfacts document/);
  });

  it("a 503 is retried; a 403 is reported as a fair-access block", async () => {
    const wmt = "/api/xbrl/companyfacts/CIK0000104169.json";
    sec.fail(wmt, 503, 1);
    ok(await h.call("get_financial_statements", { company: "WMT", statement: "income" }));
    expect(sec.hits(wmt).map((r) => r.status)).toEqual([503, 200]);

    sec.fail("/submissions/CIK0001637459.json", 403, 1);
    const blocked = await h.call("get_company", { company: "KHC" });
    expect(code(blocked)).toBe("SEC_FORBIDDEN");
    expect(text(blocked)).toMatch(/fair-access block.*wait/);
    expect(sec.hits("/submissions/CIK0001637459.json")).toHaveLength(1); // not retried
  });

  it("without a User-Agent every EDGAR tool says how to set one, and no request is made", async () => {
    const noUa = await harness(sec, { ARGUS_SEC_USER_AGENT: "" });
    try {
      const before = sec.requests.length;
      const r = await noUa.call("get_financial_statements", { company: "AAPL", statement: "income" });
      expect(code(r)).toBe("SEC_USER_AGENT_REQUIRED");
      expect(text(r)).toMatch(/ARGUS_SEC_USER_AGENT/);
      expect(code(await noUa.call("search_companies", { query: "apple" }))).toBe("SEC_USER_AGENT_REQUIRED");
      expect(sec.requests.length).toBe(before);
    } finally {
      await noUa.close();
    }
  });

  it("13F: the real LTS One submission parses completely, values in dollars", async () => {
    const acc = "0001894188-23-000007";
    const folder = `/Archives/edgar/data/1894188/${acc.replace(/-/g, "")}/`;
    sec.setFile(`${folder}${acc}.txt`, readFileSync(join(EDGAR_FIXTURES, "forms", `13F.${acc}.txt`)));
    sec.setFile("/submissions/CIK0001894188.json", JSON.stringify(submissionsDoc("1894188", "LTS One Management LP", [{ acc, form: "13F-HR", filed: "2023-11-14", report: "2023-09-30", doc: "xslForm13F_X02/primary_doc.xml" }])));
    const r = ok(await h.call("get_13f_holdings", { filer: "1894188", limit: 100 }));
    expect(r.filer).toMatchObject({ cik: "0001894188", name: "LTS One Management LP", ticker: null });
    expect(r.current.period).toBe("2023-09-30");
    // The cover page states 14 entries worth $454,926,000; every row is read and summed in dollars.
    expect(r.current.filings[0]).toMatchObject({ accessionNumber: acc, valueUnit: "dollars", rows: 14, statedEntries: 14 });
    expect(r.current.positions).toBe(14);
    expect(r.current.totalValue).toBe(454_926_000);
    expect(r.previous).toBeNull();
    expect(text(await h.call("get_13f_holdings", { filer: "1894188" }))).toContain("<<<SEC FILING DATA (13F information table, 2023-09-30)");
    // Before it was filed, there was nothing to show.
    expect(code(await h.call("get_13f_holdings", { filer: "1894188", asOf: "2023-11-13" }))).toBe("NO_DATA");
  });

  it("Forms 3/4/5: every transaction of the real Snowflake filings comes through, with codes and footnotes fenced", async () => {
    const docs = [
      { file: "form3.snow.xml", form: "3", filed: "2020-09-15", acc: "0009999999-20-000003" },
      { file: "form4.snow.xml", form: "4", filed: "2022-12-15", acc: "0009999999-22-000004" },
      { file: "form5.snow.xml", form: "5", filed: "2022-02-14", acc: "0009999999-22-000005" },
    ];
    let expected = 0;
    for (const d of docs) {
      const xml = readFileSync(join(EDGAR_FIXTURES, "forms", d.file), "utf8");
      const parsed = parseOwnershipDocument(xml);
      expected += parsed.nonDerivativeTransactions.length + parsed.derivativeTransactions.length;
      sec.setFile(`/Archives/edgar/data/1640147/${d.acc.replace(/-/g, "")}/${d.file}`, xml);
    }
    expect(expected).toBeGreaterThan(0);
    sec.setFile(
      "/submissions/CIK0001640147.json",
      JSON.stringify(submissionsDoc("1640147", "Snowflake Inc.", docs.map((d) => ({ acc: d.acc, form: d.form, filed: d.filed, report: d.filed, doc: `xslF345X03/${d.file}` })))),
    );
    const r = ok(await h.call("get_insider_transactions", { company: "SNOW", from: "2019-01-01", to: "2023-12-31", limit: 1000 }));
    expect(r.filingsRead).toBe(3);
    expect(r.skipped).toEqual([]);
    expect(r.total).toBe(expected);
    for (const t of r.transactions) {
      expect(t.codeMeaning.length).toBeGreaterThan(3);
      expect(["0009999999-20-000003", "0009999999-22-000004", "0009999999-22-000005"]).toContain(t.accessionNumber);
    }
    const onlyForm4 = ok(await h.call("get_insider_transactions", { company: "SNOW", from: "2022-12-01", to: "2022-12-31" }));
    expect(onlyForm4.filingsRead).toBe(1);
    expect(text(await h.call("get_insider_transactions", { company: "SNOW", from: "2019-01-01", to: "2023-12-31" }))).toContain("<<<SEC FILING DATA (Forms 3/4/5 of");
  });
  it("factors: Apple FY2020 P/E from its own imported bars at the as-of date, every input filed on or before it", async () => {
    h.t.app.data.importCsv({ path: join(EDGAR_FIXTURES, "..", "bars", "daily", "AAPL.csv") }, { trusted: true });
    const r = ok(await h.call("get_factors", { company: "AAPL", basis: "annual", asOf: "2020-12-11" }));
    expect(r.period.label).toBe("FY2020");
    // Close on 2020-12-11 was 122.41; FY2020 diluted EPS (10-K filed 2020-10-30) was 3.28.
    expect(r.price).toMatchObject({ symbol: "AAPL", price: 122.410004, synthetic: false });
    const f = (id: string) => r.factors.find((x: { id: string }) => x.id === id);
    expect(f("epsDiluted").value).toBe(3.28);
    expect(f("pe").value).toBeCloseTo(122.410004 / 3.28, 6);
    expect(f("grossMargin").value).toBeCloseTo((104_956 / 274_515) * 100, 6);
    expect(f("revenueGrowth").value).toBeCloseTo((274_515 / 260_174 - 1) * 100, 6);
    const dates = filedDates(r.factors);
    expect(dates.length).toBeGreaterThan(30);
    expect(dates.every((d) => d <= "2020-12-11")).toBe(true);
    expect(text(await h.call("get_factors", { company: "AAPL", basis: "annual", asOf: "2020-12-11" }))).toMatch(/P\/E[^\n]*37\.32x/);

    // No bars for Walmart: valuation is null with a note saying how to get it; the rest still answers.
    const w = ok(await h.call("get_factors", { company: "WMT", basis: "ttm" }));
    const pe = w.factors.find((x: { id: string }) => x.id === "pe");
    expect(pe.value).toBeNull();
    expect(pe.note).toMatch(/argus import WMT/);
    expect(w.factors.find((x: { id: string }) => x.id === "grossMargin").value).toBeGreaterThan(20);
    expect(w.price).toBeNull();
  });

  it("filing signals: Kraft Heinz's 2019 late 10-K and 4.02 restatement, never before they were filed", async () => {
    const r = ok(await h.call("get_filing_signals", { company: "KHC", asOf: "2019-06-30", includeInsiders: false }));
    const find = (acc: string) => r.signals.find((s: { filings: { accessionNumber: string }[] }) => s.filings[0]?.accessionNumber === acc);
    expect(find("0001637459-19-000019")).toMatchObject({ kind: "late_filing", date: "2019-02-28" });
    expect(find("0001637459-19-000033")).toMatchObject({ kind: "restatement", item: "4.02", direction: -1 });
    expect(r.insiderFilingsRead).toBeNull();
    for (const sig of r.signals) for (const f of sig.filings) expect(f.filingDate <= "2019-06-30").toBe(true);
    expect(text(await h.call("get_filing_signals", { company: "KHC", asOf: "2019-06-30", includeInsiders: false }))).toMatch(/<<<SEC FILING DATA[\s\S]*restatement/);
    // The day before the notice was filed, there is no late-filing signal for it.
    const before = ok(await h.call("get_filing_signals", { company: "KHC", asOf: "2019-02-27", includeInsiders: false }));
    expect(before.signals.some((s: { filings: { accessionNumber: string }[] }) => s.filings.some((f) => f.accessionNumber === "0001637459-19-000019"))).toBe(false);
    expect(code(await h.call("get_filing_signals", { company: "KHC", windowDays: 0 }))).toBe("INVALID_INPUT");
  });
});

/** A minimal submissions document (the SEC's column layout) listing the given filings. */
function submissionsDoc(cik: string, name: string, filings: Array<{ acc: string; form: string; filed: string; report: string; doc: string }>) {
  const col = <K extends keyof (typeof filings)[number]>(k: K) => filings.map((f) => f[k]);
  return {
    cik,
    name,
    tickers: [],
    exchanges: [],
    fiscalYearEnd: "1231",
    formerNames: [],
    filings: {
      recent: {
        accessionNumber: col("acc"),
        filingDate: col("filed"),
        reportDate: col("report"),
        acceptanceDateTime: filings.map((f) => `${f.filed}T16:00:00.000Z`),
        act: filings.map(() => "34"),
        form: col("form"),
        fileNumber: filings.map(() => ""),
        filmNumber: filings.map(() => ""),
        items: filings.map(() => ""),
        size: filings.map(() => 1000),
        isXBRL: filings.map(() => 0),
        isInlineXBRL: filings.map(() => 0),
        primaryDocument: col("doc"),
        primaryDocDescription: filings.map((f) => f.form),
      },
      files: [],
    },
  };
}
