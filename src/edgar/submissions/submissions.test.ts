import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EDGAR_FIXTURES, HAS_EDGAR_FIXTURES, secTestKit, startFakeSec, type FakeSec, type SecTestKit } from "../../../test/support/fake-sec.js";
import { Submissions } from "./submissions.js";

const TESLA_CIK = "0001318605";

describe.skipIf(!HAS_EDGAR_FIXTURES)("Submissions over the real fixtures", () => {
  let fake: FakeSec;
  let kit: SecTestKit;
  let subs: Submissions;
  let overflowName: string;
  beforeAll(async () => {
    fake = await startFakeSec();
    kit = secTestKit(fake.url);
    subs = new Submissions(kit.client());
    // Tesla's real submissions file, served under its CIK; it lists one overflow page.
    const tesla = JSON.parse(readFileSync(join(EDGAR_FIXTURES, "forms/company_submission.json"), "utf8")) as {
      filings: { files: Array<{ name: string }>; recent: Record<string, unknown[]> };
    };
    fake.setFile(`/submissions/CIK${TESLA_CIK}.json`, JSON.stringify(tesla));
    overflowName = tesla.filings.files[0]?.name as string;
    // The overflow page (top-level parallel arrays, as the SEC serves them): two old
    // filings, plus one that duplicates the newest `recent` filing, and an unknown key.
    const r = tesla.filings.recent;
    const dup = (k: string) => (r[k] as unknown[])[0];
    fake.setFile(`/submissions/${overflowName}`, JSON.stringify({
      accessionNumber: ["0001193125-10-017054", "0001193125-05-031244", dup("accessionNumber")],
      filingDate: ["2010-01-29", "2005-02-17", dup("filingDate")],
      reportDate: ["None", "", dup("reportDate")],
      acceptanceDateTime: ["2010-01-29T17:03:09.000Z", "None", dup("acceptanceDateTime")],
      act: ["33", "None", dup("act")],
      form: ["S-1", "D", dup("form")],
      fileNumber: ["333-164593", "None", dup("fileNumber")],
      filmNumber: ["10558014", "None", dup("filmNumber")],
      items: ["", "None", dup("items")],
      size: [2312345, "None", dup("size")],
      isXBRL: [0, "None", dup("isXBRL")],
      isInlineXBRL: [0, 0, dup("isInlineXBRL")],
      primaryDocument: ["ds1.htm", "None", dup("primaryDocument")],
      primaryDocDescription: ["FORM S-1", "None", dup("primaryDocDescription")],
      someFutureKey: [1, 2, 3],
    }));
  });
  afterAll(async () => {
    kit.close();
    await fake.close();
  });

  it("builds Apple's profile", async () => {
    const p = await subs.companyProfile("320193");
    expect(p).toMatchObject({
      cik: "0000320193",
      name: "Apple Inc.",
      tickers: ["AAPL"],
      exchanges: ["Nasdaq"],
      entityType: "operating",
      sic: "3571",
      sicDescription: "Electronic Computers",
      fiscalYearEnd: "0926",
      stateOfIncorporation: "CA",
    });
    expect(p.formerNames).toContainEqual({ name: "APPLE COMPUTER INC", from: "1994-01-26", to: "2007-01-04" });
    expect(p.addresses.business?.city).toBe("CUPERTINO");
    expect(p.addresses.business?.street2).toBeNull();
    expect(p.source.url).toBe(`${fake.url}/submissions/CIK0000320193.json`);
  });

  it("filters Apple's filings by form and date range, newest first, with URLs", async () => {
    const res = await subs.filings("0000320193", { forms: ["10-K"], from: "2019-01-01", to: "2023-12-31", limit: 50 });
    expect(res.filings.map((f) => f.filingDate)).toEqual(["2023-11-03", "2022-10-28", "2021-10-29", "2020-10-30", "2019-10-31"]);
    expect(res.filings.every((f) => f.form === "10-K")).toBe(true);
    const fy23 = res.filings[0];
    expect(fy23).toMatchObject({
      accessionNumber: "0000320193-23-000106",
      reportDate: "2023-09-30",
      isXBRL: true,
      indexUrl: "https://www.sec.gov/Archives/edgar/data/320193/000032019323000106/0000320193-23-000106-index.htm",
      folderPath: "/Archives/edgar/data/320193/000032019323000106/",
    });
    expect(fy23?.primaryDocument).toMatch(/\.htm$/);
    expect(fy23?.primaryDocumentUrl).toBe(`https://www.sec.gov/Archives/edgar/data/320193/000032019323000106/${fy23?.primaryDocument}`);
    expect(fy23?.acceptanceDateTime).toMatch(/^2023-11-0\dT/);
  });

  it("applies limit and validates the query", async () => {
    const res = await subs.filings("320193", { limit: 3 });
    expect(res.filings).toHaveLength(3);
    expect(res.truncated).toBe(true);
    const dates = res.filings.map((f) => f.filingDate);
    expect([...dates].sort().reverse()).toEqual(dates);
    await expect(subs.filings("320193", { from: "2023-13-01" })).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(subs.filings("320193", { from: "2024-01-01", to: "2023-01-01" })).rejects.toMatchObject({ code: "INVALID_RANGE" });
    await expect(subs.filings("320193", { limit: 0 })).rejects.toMatchObject({ code: "LIMIT_TOO_LARGE" });
    await expect(subs.filings("12ab")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("reads Tesla's profile despite 'None' values", async () => {
    const p = await subs.companyProfile(TESLA_CIK);
    expect(p).toMatchObject({ name: "Tesla, Inc.", tickers: ["TSLA"], fiscalYearEnd: "1231", stateOfIncorporation: "DE", sic: "3711" });
    expect(p.addresses.mailing?.street2).toBeNull();
    expect(p.formerNames).toEqual([{ name: "TESLA MOTORS INC", from: "2005-02-17", to: "2017-01-27" }]);
  });

  it("merges Tesla's overflow page, de-duplicated, newest first, 'None' read as absent", async () => {
    const res = await subs.filings(TESLA_CIK, { limit: 10_000 });
    expect(res.pagesRead).toEqual([overflowName]);
    expect(fake.hits(`/submissions/${overflowName}`)).toHaveLength(1);
    const accessions = res.filings.map((f) => f.accessionNumber);
    expect(new Set(accessions).size).toBe(accessions.length);
    expect(res.filings).toHaveLength(1001 + 2);
    const oldest = res.filings.at(-1);
    expect(oldest).toMatchObject({ accessionNumber: "0001193125-05-031244", form: "D", filingDate: "2005-02-17", reportDate: null, acceptanceDateTime: null, act: null, size: null, isXBRL: false, primaryDocument: null, primaryDocumentUrl: null });
    const s1 = res.filings.find((f) => f.form === "S-1" && f.filingDate === "2010-01-29");
    expect(s1?.primaryDocumentUrl).toBe("https://www.sec.gov/Archives/edgar/data/1318605/000119312510017054/ds1.htm");
    const dates = res.filings.map((f) => f.filingDate);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it("fetches the overflow page only when the query reaches into it", async () => {
    const before = fake.hits(`/submissions/${overflowName}`).length;
    kit.clock.advance(2 * 3_600_000); // let the page's cache entry go stale, so a read would show up
    const recentOnly = await subs.filings(TESLA_CIK, { from: "2020-01-01", limit: 5 });
    expect(recentOnly.pagesRead).toEqual([]);
    const recentLimited = await subs.filings(TESLA_CIK, { limit: 5 });
    expect(recentLimited.pagesRead).toEqual([]);
    expect(fake.hits(`/submissions/${overflowName}`)).toHaveLength(before);
    const old = await subs.filings(TESLA_CIK, { forms: ["s-1"], to: "2010-12-31", limit: 10 });
    expect(old.pagesRead).toEqual([overflowName]);
    expect(old.filings.map((f) => f.accessionNumber)).toEqual(["0001193125-10-017054"]);
  });
});
