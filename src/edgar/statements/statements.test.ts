import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import {
  buildAllStatements,
  buildStatements,
  conceptHistory,
  parseCompanyFacts,
  type CellValue,
  type CompanyFacts,
  type Statement,
} from "./index.js";

const DIR = resolve(import.meta.dirname, "../../../../shared/fixtures/edgar/companyfacts");
const HAVE = existsSync(DIR);
if (!HAVE) console.warn(`skipping companyfacts fixture tests: ${DIR} is absent`);

const COMPANIES = {
  apple: { cik: "0000320193", fye: "0930" },
  walmart: { cik: "0000104169", fye: "0131" },
  costco: { cik: "0000909832", fye: "0831" },
  kraftHeinz: { cik: "0001637459", fye: "1231" },
  underArmour: { cik: "0001336917", fye: "0331" },
} as const;
type Co = keyof typeof COMPANIES;

const cache = new Map<Co, CompanyFacts>();
function load(co: Co): CompanyFacts {
  let f = cache.get(co);
  if (!f) {
    f = parseCompanyFacts(JSON.parse(readFileSync(`${DIR}/CIK${COMPANIES[co].cik}.json`, "utf8")));
    cache.set(co, f);
  }
  return f;
}

function row(s: Statement, item: string): Array<CellValue | null> {
  const r = s.rows.find((x) => x.item === item);
  if (!r) throw new Error(`no row ${item}`);
  return r.values;
}
function cell(s: Statement, item: string, label: string): CellValue | null {
  const i = s.columns.findIndex((c) => c.label === label);
  if (i < 0) throw new Error(`no column ${label} in ${s.columns.map((c) => c.label).join(",")}`);
  return row(s, item)[i] ?? null;
}
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
const nearEnd = (s: Statement, end: string): number => s.columns.findIndex((c) => Math.abs(day(c.end) - day(end)) <= 3);

/** Every value in a statement, derived inputs included. */
function* allCells(s: Statement): Generator<CellValue> {
  for (const r of s.rows) for (const v of r.values) if (v) yield v;
}

describe.skipIf(!HAVE)("companyfacts statements on real fixtures", () => {
  let apple: CompanyFacts;
  beforeAll(() => {
    apple = load("apple");
  });

  it("Apple FY2023 revenue matches the 10-K", () => {
    const inc = buildStatements(apple, { kind: "income", period: "annual", fiscalYearEnd: "0930" });
    const col = inc.columns.find((c) => c.label === "FY2023");
    expect(col).toMatchObject({ end: "2023-09-30", start: "2022-09-25", fiscalYear: 2023, fiscalPeriod: "FY" });
    expect(cell(inc, "revenue", "FY2023")).toMatchObject({
      value: 383_285_000_000,
      tag: "RevenueFromContractWithCustomerExcludingAssessedTax",
      accn: "0000320193-23-000106",
      filed: "2023-11-03",
      form: "10-K",
      url: "https://www.sec.gov/Archives/edgar/data/320193/000032019323000106/0000320193-23-000106-index.htm",
    });
    // later 10-Ks repeated the number as a comparative; the latest re-report is recorded
    expect(cell(inc, "revenue", "FY2023")!.latest?.filed! > "2023-11-03").toBe(true);
    expect(inc.currency).toBe("USD");
    expect(inc.columns[0]!.end > inc.columns[1]!.end).toBe(true); // newest first
  });

  it("infers the fiscal year end when not given", () => {
    const inc = buildStatements(apple, { kind: "income", period: "annual", limit: 3 });
    expect(inc.fiscalYearEnd).toMatch(/^09\d\d$/);
    expect(inc.columns).toHaveLength(3);
    expect(inc.columns.map((c) => c.label)).toContain("FY2024");
  });

  for (const co of Object.keys(COMPANIES) as Co[]) {
    it(`${co}: an annual statement column for every fiscal year its 10-K facts cover`, () => {
      const facts = load(co);
      const all = buildAllStatements(facts, { fiscalYearEnd: COMPANIES[co].fye });
      const g = facts.facts["us-gaap"]!;
      const tenK = (form: string): boolean => form.startsWith("10-K");
      // "Covered": an annual-length (350–380 day) duration of the statement's key concept
      // (or an Assets instant) reported in a 10-K-family filing — counted from the raw facts.
      const annualEnds = (tags: string[]): Set<string> => {
        const ends = new Set<string>();
        for (const t of tags) {
          for (const f of g[t]?.units["USD"] ?? []) {
            if (!f.start || !tenK(f.form)) continue;
            const d = day(f.end) - day(f.start) + 1;
            if (d >= 350 && d <= 380) ends.add(f.end);
          }
        }
        return ends;
      };
      const incomeEnds = annualEnds(["NetIncomeLoss"]);
      const cashEnds = annualEnds(["NetCashProvidedByUsedInOperatingActivities"]);
      const fyEnds = new Set([...incomeEnds].map((e) => e));
      const balanceEnds = new Set<string>();
      for (const f of g["Assets"]?.units["USD"] ?? []) {
        // year-end balance sheets: Assets at the end of a covered fiscal year
        if (tenK(f.form) && [...fyEnds].some((e) => Math.abs(day(e) - day(f.end)) <= 3)) balanceEnds.add(f.end);
      }
      const check = (s: Statement, ends: Set<string>, item: string): void => {
        expect(ends.size).toBeGreaterThan(5);
        for (const e of ends) {
          const i = nearEnd(s, e);
          expect(i, `${co} ${s.kind} column ending ${e}`).toBeGreaterThanOrEqual(0);
          expect(row(s, item)[i], `${co} ${s.kind} ${item} at ${e}`).not.toBeNull();
        }
      };
      check(all.income.annual, incomeEnds, "netIncome");
      check(all.cashflow.annual, cashEnds, "operatingCashFlow");
      check(all.balance.annual, balanceEnds, "totalAssets");
      // every income year has revenue too
      for (const e of incomeEnds) expect(row(all.income.annual, "revenue")[nearEnd(all.income.annual, e)]).not.toBeNull();
      const labels = all.income.annual.columns.map((c) => c.label);
      expect(new Set(labels).size).toBe(labels.length);
    });

    it(`${co}: assets = liabilities + equity for every balance-sheet column`, () => {
      const facts = load(co);
      const all = buildAllStatements(facts, { fiscalYearEnd: COMPANIES[co].fye });
      let checked = 0;
      for (const s of [all.balance.annual, all.balance.quarterly]) {
        const A = row(s, "totalAssets");
        const L = row(s, "totalLiabilities");
        const E = row(s, "totalEquity");
        const LSE = row(s, "totalLiabilitiesAndEquity");
        s.columns.forEach((c, i) => {
          const a = A[i];
          const l = L[i];
          const e = E[i];
          if (!a || !l || !e) return;
          checked++;
          const exact = LSE[i]?.value === a.value;
          const rel = Math.abs(a.value - (l.value + e.value)) / Math.abs(a.value);
          expect(exact || rel <= 0.005, `${co} ${c.label}: A=${a.value} L=${l.value} E=${e.value} LSE=${LSE[i]?.value}`).toBe(true);
        });
      }
      expect(checked).toBeGreaterThan(20);
    });
  }

  it("Walmart: Liabilities is untagged and derived from LiabilitiesAndStockholdersEquity − equity", () => {
    const bal = buildStatements(load("walmart"), { kind: "balance", period: "annual", fiscalYearEnd: "0131" });
    const l = cell(bal, "totalLiabilities", "FY2024")!;
    expect(l.derived).toBe(true);
    expect(l.inputs?.map((x) => x.item)).toEqual(["totalLiabilitiesAndEquity", "totalEquity"]);
    expect(l.value).toBe(l.inputs![0]!.value - l.inputs![1]!.value);
    expect(l.tag).toContain("LiabilitiesAndStockholdersEquity");
  });

  it("free cash flow is derived as CFO − capex", () => {
    const cf = buildStatements(apple, { kind: "cashflow", period: "annual", fiscalYearEnd: "0930" });
    const fcf = cell(cf, "freeCashFlow", "FY2023")!;
    const cfo = cell(cf, "operatingCashFlow", "FY2023")!;
    const capex = cell(cf, "capitalExpenditures", "FY2023")!;
    expect(fcf.derived).toBe(true);
    expect(fcf.value).toBe(cfo.value - capex.value);
    expect(cfo.value).toBe(110_543_000_000);
  });

  it("as of 2023-06-30 Apple's latest annual column is FY2022 and nothing filed later appears", () => {
    const asOf = "2023-06-30";
    const all = buildAllStatements(apple, { fiscalYearEnd: "0930", asOf });
    expect(all.income.annual.columns[0]!.label).toBe("FY2022");
    expect(all.balance.annual.columns[0]!.label).toBe("FY2022");
    let n = 0;
    for (const kind of ["income", "balance", "cashflow"] as const) {
      for (const period of ["annual", "quarterly"] as const) {
        const s = all[kind][period];
        expect(s.asOf).toBe(asOf);
        for (const v of allCells(s)) {
          n++;
          expect(v.filed <= asOf, `${kind}/${period} ${v.tag} filed ${v.filed}`).toBe(true);
          for (const i of v.inputs ?? []) expect(i.filed <= asOf).toBe(true);
        }
      }
    }
    expect(n).toBeGreaterThan(1000);
    // newest quarter known at that date: Q2 FY2023 (ended 2023-04-01)
    expect(all.income.quarterly.columns[0]!.label).toBe("Q2 FY2023");
    // FY2022 revenue as first reported
    expect(cell(all.income.annual, "revenue", "FY2022")).toMatchObject({ value: 394_328_000_000, filed: "2022-10-28" });
    const hist = conceptHistory(apple, "RevenueFromContractWithCustomerExcludingAssessedTax", { asOf });
    expect(hist.values.every((v) => v.filed <= asOf)).toBe(true);
  });

  it("Apple quarterly: Q4 revenue = FY − 9M YTD (derived); EPS has no derived Q4", () => {
    const facts = apple;
    const q = buildStatements(facts, { kind: "income", period: "quarterly", fiscalYearEnd: "0930" });
    const a = buildStatements(facts, { kind: "income", period: "annual", fiscalYearEnd: "0930" });
    const rev = conceptHistory(facts, "RevenueFromContractWithCustomerExcludingAssessedTax");
    let derivedYears = 0;
    for (const [fy, yStart] of [
      [2019, "2018-09-30"], // FY2019/2020 10-Ks still tagged quarterly data: Q4 is reported
      [2021, "2020-09-27"],
      [2022, "2021-09-26"],
      [2023, "2022-09-25"],
      [2024, "2023-10-01"],
    ] as const) {
      const q4 = cell(q, "revenue", `Q4 FY${fy}`)!;
      const annual = cell(a, "revenue", `FY${fy}`)!;
      const nine = rev.values.find((v) => v.start === yStart && v.bucket === "nineMonths")!;
      expect(nine, `9M YTD for FY${fy}`).toBeDefined();
      expect(q4.value).toBe(annual.value - nine.value);
      if (q4.derived) {
        derivedYears++;
        expect(q4.inputs?.map((i) => i.value)).toEqual([annual.value, nine.value]);
        expect(q4.inputs?.map((i) => i.start)).toEqual([yStart, yStart]);
      }
      const q1 = cell(q, "revenue", `Q1 FY${fy}`)!;
      const q2 = cell(q, "revenue", `Q2 FY${fy}`)!;
      const q3 = cell(q, "revenue", `Q3 FY${fy}`)!;
      expect(q1.value + q2.value + q3.value + q4.value).toBe(annual.value);
      // EPS / share counts: only reported quarters, never derived
      expect(cell(q, "epsDiluted", `Q4 FY${fy}`)?.derived).toBeUndefined();
      expect(cell(q, "sharesDiluted", `Q4 FY${fy}`)?.derived).toBeUndefined();
      if (fy >= 2022) expect(cell(q, "epsDiluted", `Q4 FY${fy}`)).toBeNull();
      expect(cell(q, "epsDiluted", `Q3 FY${fy}`)?.derived).toBeUndefined();
    }
    expect(derivedYears).toBeGreaterThanOrEqual(3);
    expect(cell(q, "revenue", "Q4 FY2023")).toMatchObject({ value: 89_498_000_000, derived: true });
    for (const r of q.rows.filter((x) => x.unit !== "USD")) for (const v of r.values) expect(v?.derived).toBeUndefined();
    const bq = buildStatements(facts, { kind: "balance", period: "quarterly", fiscalYearEnd: "0930" });
    const ba = buildStatements(facts, { kind: "balance", period: "annual", fiscalYearEnd: "0930" });
    expect(cell(bq, "totalAssets", "Q4 FY2023")).toEqual(cell(ba, "totalAssets", "FY2023"));
    expect(cell(bq, "totalAssets", "Q4 FY2023")!.derived).toBeUndefined();
  });

  it("Apple revenue history merges SalesRevenueNet → Revenues → RevenueFromContract… per year", () => {
    const inc = buildStatements(apple, { kind: "income", period: "annual", fiscalYearEnd: "0930" });
    expect(cell(inc, "revenue", "FY2015")).toMatchObject({ tag: "SalesRevenueNet", value: 233_715_000_000 });
    expect(cell(inc, "revenue", "FY2016")).toMatchObject({ tag: "Revenues", value: 215_639_000_000 });
    expect(cell(inc, "revenue", "FY2018")).toMatchObject({
      tag: "RevenueFromContractWithCustomerExcludingAssessedTax",
      value: 265_595_000_000,
    });
    const tags = new Set(row(inc, "revenue").map((v) => v?.tag));
    expect(tags).toEqual(new Set(["SalesRevenueNet", "Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax"]));
  });

  it("Walmart revenue history also spans the tag change", () => {
    const inc = buildStatements(load("walmart"), { kind: "income", period: "annual", fiscalYearEnd: "0131" });
    expect(cell(inc, "revenue", "FY2016")?.tag).toBe("Revenues");
    expect(cell(inc, "revenue", "FY2024")).toMatchObject({
      tag: "RevenueFromContractWithCustomerExcludingAssessedTax",
      value: 642_637_000_000,
    });
  });

  it("Under Armour: transition period labelled, not forced into a fiscal year", () => {
    const ua = load("underArmour");
    const all = buildAllStatements(ua, { fiscalYearEnd: "0331" });
    const inc = all.income.annual;
    const labels = inc.columns.map((c) => c.label);
    expect(labels.slice(0, 6)).toEqual(["FY2026", "FY2025", "FY2024", "FY2023", "Transition 2022-01-01..2022-03-31", "FY2021"]);
    const tr = inc.columns[4]!;
    expect(tr).toMatchObject({ fiscalPeriod: "TR", start: "2022-01-01", end: "2022-03-31" });
    expect(tr.transition?.forms).toContain("10-QT");
    // Latest filed wins: the 2024 10-K's recast value, not the 10-QT's
    expect(cell(inc, "revenue", tr.label)).toMatchObject({ value: 1_300_793_000, filed: "2024-05-29" });
    // FY2021 (calendar 2021, before the change of year end) and FY2023 (Apr 2022–Mar 2023)
    expect(inc.columns.find((c) => c.label === "FY2021")).toMatchObject({ start: "2021-01-01", end: "2021-12-31" });
    expect(inc.columns.find((c) => c.label === "FY2023")).toMatchObject({ start: "2022-04-01", end: "2023-03-31" });
    expect(cell(inc, "revenue", "FY2021")).toMatchObject({ value: 5_682_592_000, accn: "0001336917-24-000073" });
    // balance sheet at the transition end, and the quarterly view shows it too
    expect(cell(all.balance.annual, "totalAssets", tr.label)).not.toBeNull();
    expect(all.income.quarterly.columns.some((c) => c.fiscalPeriod === "TR")).toBe(true);
    // no quarter column overlaps the transition period
    for (const c of all.income.quarterly.columns) {
      if (c.fiscalPeriod === "TR") continue;
      expect(c.end < "2022-01-01" || c.start! > "2022-03-31", c.label).toBe(true);
    }
    // the quarters of FY2023 begin after the transition
    expect(all.income.quarterly.columns.find((c) => c.label === "Q1 FY2023")).toMatchObject({
      start: "2022-04-01",
      end: "2022-06-30",
    });
  });

  it("Under Armour: the transition period is labelled as such before the next 10-K frames it (point in time)", () => {
    // As of mid-2022 only the 10-QT reports 2022-01-01..03-31: no annual period after it yet.
    const all = buildAllStatements(load("underArmour"), { fiscalYearEnd: "0331", asOf: "2022-06-30" });
    const tr = all.income.quarterly.columns.find((c) => c.start === "2022-01-01" && c.end === "2022-03-31")!;
    expect(tr).toMatchObject({ fiscalPeriod: "TR", label: "Transition 2022-01-01..2022-03-31", transition: { forms: ["10-QT"] } });
    expect(cell(all.income.quarterly, "revenue", tr.label)).toMatchObject({ value: 1_300_945_000, form: "10-QT", accn: "0001336917-22-000017" });
    // The same quarter a year earlier stays an ordinary quarter of FY2021.
    expect(all.income.quarterly.columns.find((c) => c.start === "2021-01-01" && c.end === "2021-03-31")).toMatchObject({ fiscalPeriod: "Q1" });
  });

  it("Under Armour: a 10-K/A replaces the original and is visible; later filings replace it", () => {
    const ua = load("underArmour");
    const asOf = "2013-06-30";
    const inc = buildStatements(ua, { kind: "income", period: "annual", fiscalYearEnd: "1231", asOf });
    const ni = cell(inc, "netIncome", "FY2012")!;
    // the 10-K/A (filed a day after the 10-K) repeated the number: the value in effect is the
    // amendment's, its first report stays the source, and `latest` shows the amendment
    expect(ni).toMatchObject({ value: 128_778_000, form: "10-K", accn: "0001336917-13-000011", filed: "2013-02-25" });
    expect(ni.latest).toEqual({ form: "10-K/A", accn: "0001336917-13-000013", filed: "2013-02-26" });
    const hist = conceptHistory(ua, "NetIncomeLoss", { asOf });
    const fy2012 = hist.values.find((v) => v.start === "2012-01-01" && v.end === "2012-12-31")!;
    expect(fy2012.form).toBe("10-K/A");
    expect(fy2012.otherFilings).toBeGreaterThanOrEqual(1);
    // without asOf a later 10-K that re-reported FY2012 wins
    const now = conceptHistory(ua, "NetIncomeLoss").values.find((v) => v.start === "2012-01-01" && v.end === "2012-12-31")!;
    expect(now.filed > "2013-02-26").toBe(true);
    expect(now.form).toBe("10-K");
  });

  it("Kraft Heinz FY2014: an exact period beats another entity's period one day off", () => {
    // FY2014 is Heinz's 2013-12-30..2014-12-28 (the 10-K); an 8-K also carries Kraft Foods
    // Group's 2013-12-29..2014-12-27. The ±3-day tolerance must not prefer it to the exact period.
    const all = buildAllStatements(load("kraftHeinz"), { fiscalYearEnd: "1231" });
    expect(all.cashflow.annual.columns.find((c) => c.label === "FY2014")).toMatchObject({ start: "2013-12-30", end: "2014-12-28" });
    expect(cell(all.cashflow.annual, "operatingCashFlow", "FY2014")).toMatchObject({ value: 2_140_000_000, form: "10-K", filed: "2017-02-23" });
    expect(cell(all.income.annual, "netIncome", "FY2014")).toMatchObject({ value: 657_000_000, form: "10-K" });
    // Revenue too, although the earlier-listed Revenues tag has only Kraft's period: an exact
    // period under a later candidate tag (Heinz's net sales) beats a near one under an earlier tag.
    expect(cell(all.income.annual, "revenue", "FY2014")).toMatchObject({ value: 10_922_000_000, tag: "SalesRevenueGoodsNet", accn: "0001637459-17-000007" });
    // Q4 derived as FY − 9M from the same company's figures (was Kraft's FY − Heinz's 9M)
    const q4 = cell(all.cashflow.quarterly, "depreciationAmortization", "Q4 FY2014")!;
    expect(q4).toMatchObject({ value: 101_000_000, derived: true });
    expect(q4.inputs?.every((i) => i.start === "2013-12-30")).toBe(true);
  });

  it("an invalid fact deep inside a real payload is reported with its path, in any taxonomy", () => {
    const text = readFileSync(`${DIR}/CIK${COMPANIES.apple.cik}.json`, "utf8");
    const reject = (mutate: (j: { facts: Record<string, Record<string, { units: Record<string, Array<Record<string, unknown>>> }>> }) => void): ArgusError => {
      const json = JSON.parse(text) as Parameters<typeof mutate>[0];
      mutate(json);
      try {
        parseCompanyFacts(json);
      } catch (err) {
        expect(err).toBeInstanceOf(ArgusError);
        return err as ArgusError;
      }
      throw new Error("accepted a malformed payload");
    };
    const e1 = reject((j) => {
      j.facts["us-gaap"]!["Revenues"]!.units["USD"]![8]!["end"] = "2020/01/01";
    });
    expect(e1.code).toBe("INVALID_INPUT");
    expect(e1.message).toContain("facts.us-gaap.Revenues.units.USD.8.end");
    expect(e1.details).toMatchObject({ issueCount: 1, issues: [{ path: "facts.us-gaap.Revenues.units.USD.8.end" }] });
    // dei is not read by the statements, but conceptHistory can read any taxonomy
    const e2 = reject((j) => {
      j.facts["dei"]!["EntityCommonStockSharesOutstanding"]!.units["shares"]![3]!["val"] = "1";
    });
    expect(e2.message).toContain("facts.dei.EntityCommonStockSharesOutstanding.units.shares.3.val");
  });

  it("conceptHistory: one value per period, newest first, with provenance", () => {
    const h = conceptHistory(apple, "Assets");
    expect(h.unit).toBe("USD");
    const keys = h.values.map((v) => `${v.start ?? ""}|${v.end}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(h.values[0]!.end >= h.values[h.values.length - 1]!.end).toBe(true);
    expect(h.values.every((v) => v.periodType === "instant" && v.url.startsWith("https://www.sec.gov/Archives/edgar/data/320193/"))).toBe(true);
    expect(() => conceptHistory(apple, "NoSuchConcept")).toThrowError(/no us-gaap:NoSuchConcept/);
  });

  it("buildAllStatements: three kinds × two periods, consistent with buildStatements", () => {
    const all = buildAllStatements(apple, { fiscalYearEnd: "0930", limit: 4 });
    for (const kind of ["income", "balance", "cashflow"] as const) {
      for (const period of ["annual", "quarterly"] as const) {
        const s = all[kind][period];
        expect(s.kind).toBe(kind);
        expect(s.period).toBe(period);
        expect(s.columns).toHaveLength(4);
        expect(s).toEqual(buildStatements(apple, { kind, period, fiscalYearEnd: "0930", limit: 4 }));
      }
    }
    expect(all.balance.annual.columns[0]!.start).toBeUndefined();
  });
});

describe("parseCompanyFacts / options validation", () => {
  const minimal = {
    cik: 1,
    entityName: "Tiny Co",
    extraTopLevel: true,
    facts: {
      "us-gaap": {
        Revenues: {
          label: "Revenues",
          description: null,
          units: {
            USD: [
              { start: "2022-01-01", end: "2022-12-31", val: 100, accn: "0000000001-23-000001", fy: 2022, fp: "FY", form: "10-K", filed: "2023-02-01", frame: "CY2022", novel: 1 },
              { start: "2022-01-01", end: "2022-12-31", val: 110, accn: "0000000001-23-000009", fy: 2022, fp: "FY", form: "10-K/A", filed: "2023-05-01" },
              { start: "2022-01-01", end: "2022-09-30", val: 70, accn: "0000000001-22-000005", fy: 2022, fp: "Q3", form: "10-Q", filed: "2022-11-01" },
            ],
          },
        },
      },
    },
  };

  it("keeps unknown keys and builds from a minimal payload", () => {
    const f = parseCompanyFacts(minimal);
    expect((f as Record<string, unknown>)["extraTopLevel"]).toBe(true);
    const inc = buildStatements(f, { kind: "income", period: "annual", fiscalYearEnd: "1231" });
    expect(inc.columns.map((c) => c.label)).toEqual(["FY2022"]);
    expect(cell(inc, "revenue", "FY2022")).toMatchObject({ value: 110, form: "10-K/A" });
    const before = buildStatements(f, { kind: "income", period: "annual", fiscalYearEnd: "1231", asOf: "2023-03-01" });
    expect(cell(before, "revenue", "FY2022")).toMatchObject({ value: 100, form: "10-K" });
    const q = buildStatements(f, { kind: "income", period: "quarterly", fiscalYearEnd: "1231" });
    expect(cell(q, "revenue", "Q4 FY2022")).toMatchObject({ value: 40, derived: true });
  });

  it("a fact dated on a day that does not exist is left out of statements, not fatal", () => {
    // The schema checks the YYYY-MM-DD shape only; "2022-02-30" passes it.
    const payload = structuredClone(minimal);
    payload.facts["us-gaap"].Revenues.units.USD.push({ start: "2022-01-01", end: "2022-02-30", val: 5, accn: "0000000001-22-000002", fy: 2022, fp: "Q1", form: "10-Q", filed: "2022-05-01" });
    const f = parseCompanyFacts(payload);
    const all = buildAllStatements(f, { fiscalYearEnd: "1231" });
    expect(cell(all.income.annual, "revenue", "FY2022")).toMatchObject({ value: 110 });
    expect(all).toEqual(buildAllStatements(parseCompanyFacts(minimal), { fiscalYearEnd: "1231" }));
    expect(conceptHistory(f, "Revenues").values.some((v) => v.end === "2022-02-30")).toBe(true);
  });

  it.each([
    ["not an object", "nope"],
    ["null", null],
    ["missing facts", { cik: 1, entityName: "x" }],
    ["value not a number", { cik: 1, entityName: "x", facts: { "us-gaap": { A: { units: { USD: [{ end: "2020-01-01", val: "12", accn: "a", form: "10-K", filed: "2020-02-01" }] } } } } }],
    ["bad date", { cik: 1, entityName: "x", facts: { "us-gaap": { A: { units: { USD: [{ end: "2020/01/01", val: 1, accn: "a", form: "10-K", filed: "2020-02-01" }] } } } } }],
    ["units not a record of arrays", { cik: 1, entityName: "x", facts: { "us-gaap": { A: { units: { USD: {} } } } } }],
  ])("malformed payload (%s) → INVALID_INPUT", (_name, payload) => {
    try {
      parseCompanyFacts(payload);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ArgusError);
      expect((err as ArgusError).code).toBe("INVALID_INPUT");
      expect((err as ArgusError).message).toMatch(/malformed SEC companyfacts payload/);
    }
  });

  it("bad options → INVALID_INPUT", () => {
    const f = parseCompanyFacts(minimal);
    const bad = [
      { kind: "income", period: "annual", asOf: "2023-13-01" },
      { kind: "income", period: "annual", fiscalYearEnd: "1301" },
      { kind: "income", period: "annual", limit: 0 },
      { kind: "equity", period: "annual" },
      { kind: "income", period: "monthly" },
    ] as const;
    for (const o of bad) {
      expect(() => buildStatements(f, o as never)).toThrowError(ArgusError);
      try {
        buildStatements(f, o as never);
      } catch (err) {
        expect((err as ArgusError).code).toBe("INVALID_INPUT");
      }
    }
  });
});
