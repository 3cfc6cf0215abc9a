import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EDGAR_FIXTURES, HAS_EDGAR_FIXTURES } from "../../../test/support/fake-sec.js";
import { ArgusError } from "../../core/errors.js";
import { buildAllStatements, parseCompanyFacts, type AllStatements, type CompanyFacts, type RawFact } from "../statements/index.js";
import { computeFactors, formatFactorTable, type Factor, type FactorReport, type PriceInput } from "./index.js";

function loadFacts(cik: string): CompanyFacts {
  return parseCompanyFacts(JSON.parse(readFileSync(join(EDGAR_FIXTURES, "companyfacts", `CIK${cik}.json`), "utf8")));
}

function factor(r: FactorReport, id: string): Factor {
  const f = r.factors.find((x) => x.id === id);
  if (!f) throw new Error(`no factor ${id}`);
  return f;
}

const price = (p: number, asOf: string, symbol = "AAPL"): PriceInput => ({ symbol, price: p, asOf: `${asOf}T20:00:00Z`, source: `bars:${symbol} 1Day close` });

describe.skipIf(!HAS_EDGAR_FIXTURES)("computeFactors on the real companyfacts fixtures", () => {
  let apple: CompanyFacts;
  beforeAll(() => {
    apple = loadFacts("0000320193");
  });

  it("Apple FY2023 (annual basis, as of 2024-06-30) matches the 10-K filed 2023-11-03", () => {
    // As of 2024-06-30 the newest 10-K is the FY2023 one (accn 0000320193-23-000106, filed
    // 2023-11-03); the FY2024 10-K came on 2024-11-01. Values below were read from the raw
    // companyfacts for the period 2022-09-25..2023-09-30 (and the 2023-09-30 / 2022-09-24
    // balance sheets), and agree with Apple's FY2023 10-K:
    //   RevenueFromContractWithCustomerExcludingAssessedTax 383,285M; GrossProfit 169,148M;
    //   OperatingIncomeLoss 114,301M; NetIncomeLoss 96,995M; EarningsPerShareDiluted 6.13;
    //   NetCashProvidedByUsedInOperatingActivities 110,543M; PaymentsToAcquirePropertyPlantAndEquipment 10,959M;
    //   DepreciationDepletionAndAmortization 11,519M. FY2022 (10-K filed 2022-10-28): revenue 394,328M,
    //   net income 99,803M, diluted EPS 6.11. FY2020 revenue 274,515M; FY2018 revenue 265,595M.
    //   2023-09-30: StockholdersEquity 62,146M, Assets 352,583M, AssetsCurrent 143,566M, LiabilitiesCurrent 145,308M,
    //   LongTermDebtNoncurrent 95,281M, LongTermDebtCurrent 9,822M, CommercialPaper 5,985M,
    //   CashAndCashEquivalentsAtCarryingValue 29,965M, MarketableSecuritiesCurrent 31,590M.
    //   2022-09-24: StockholdersEquity 50,672M, Assets 352,755M.
    //   dei:EntityCommonStockSharesOutstanding latest filed by 2024-06-30: 15,334,082,000 at 2024-04-19 (10-Q filed 2024-05-03).
    const asOf = "2024-06-30";
    const statements = buildAllStatements(apple, { asOf });
    const r = computeFactors({ statements, facts: apple, asOf, basis: "annual", price: price(190, asOf) });
    expect(r).toMatchObject({ cik: 320193, entityName: "Apple Inc.", basis: "annual", asOf, currency: "USD", balanceDate: "2023-09-30" });
    expect(r.period).toEqual({ label: "FY2023", start: "2022-09-25", end: "2023-09-30" });
    expect(r.warnings).toEqual([]);

    const gm = factor(r, "grossMargin");
    expect(gm).toMatchObject({ group: "profitability", unit: "percent", formula: "grossProfit / revenue", period: "FY2023" });
    expect(gm.value).toBeCloseTo((169_148 / 383_285) * 100, 10);
    expect(gm.value).toBeCloseTo(44.13, 2);
    const revInput = gm.inputs.find((i) => i.name === "revenue")!;
    expect(revInput).toMatchObject({
      value: 383_285_000_000,
      tag: "RevenueFromContractWithCustomerExcludingAssessedTax",
      accn: "0000320193-23-000106",
      form: "10-K",
      filed: "2023-11-03",
      url: "https://www.sec.gov/Archives/edgar/data/320193/000032019323000106/0000320193-23-000106-index.htm",
      period: { label: "FY2023", start: "2022-09-25", end: "2023-09-30" },
    });
    expect(gm.inputs.find((i) => i.name === "grossProfit")).toMatchObject({ value: 169_148_000_000, tag: "GrossProfit" });

    expect(factor(r, "operatingMargin").value).toBeCloseTo((114_301 / 383_285) * 100, 10);
    expect(factor(r, "netMargin").value).toBeCloseTo((96_995 / 383_285) * 100, 10);
    expect(factor(r, "netMargin").inputs.find((i) => i.name === "netIncome")?.value).toBe(96_995_000_000);
    expect(factor(r, "epsDiluted")).toMatchObject({ value: 6.13, unit: "USD/share" });
    expect(factor(r, "ebitda").value).toBe((114_301 + 11_519) * 1e6);

    // growth: FY2023 vs FY2022, CAGR vs FY2020 and FY2018
    const rg = factor(r, "revenueGrowth");
    expect(rg.period).toBe("FY2023 vs FY2022");
    expect(rg.value).toBeCloseTo((383_285 / 394_328 - 1) * 100, 10);
    expect(rg.inputs.map((i) => [i.name, i.value, i.period.label, i.filed])).toEqual([
      ["revenue", 383_285_000_000, "FY2023", "2023-11-03"],
      ["revenue (prior)", 394_328_000_000, "FY2022", "2022-10-28"],
    ]);
    expect(factor(r, "netIncomeGrowth").value).toBeCloseTo((96_995 / 99_803 - 1) * 100, 10);
    expect(factor(r, "epsGrowth").value).toBeCloseTo((6.13 / 6.11 - 1) * 100, 10);
    expect(factor(r, "revenueCagr3y")).toMatchObject({ period: "FY2020→FY2023" });
    expect(factor(r, "revenueCagr3y").value).toBeCloseTo(((383_285 / 274_515) ** (1 / 3) - 1) * 100, 10);
    expect(factor(r, "revenueCagr5y").value).toBeCloseTo(((383_285 / 265_595) ** (1 / 5) - 1) * 100, 10);

    // returns on the average of the opening (FY2022) and closing (FY2023) balance sheets
    const roe = factor(r, "roe");
    expect(roe.value).toBeCloseTo((96_995 / ((62_146 + 50_672) / 2)) * 100, 10);
    expect(roe.note).toMatch(/average of opening \(2022-09-24\) and closing \(2023-09-30\)/);
    expect(roe.inputs.map((i) => i.name)).toEqual(["netIncome", "stockholdersEquity (opening)", "stockholdersEquity (closing)"]);
    expect(factor(r, "roa").value).toBeCloseTo((96_995 / ((352_583 + 352_755) / 2)) * 100, 10);

    // leverage: LongTermDebtNoncurrent + LongTermDebtCurrent + CommercialPaper
    const debt = factor(r, "totalDebt");
    expect(debt.value).toBe((95_281 + 9_822 + 5_985) * 1e6);
    expect(debt.formula).toBe("longTermDebt [LongTermDebtNoncurrent] + LongTermDebtCurrent + CommercialPaper");
    expect(debt.inputs.map((i) => [i.tag, i.value, i.accn])).toEqual([
      ["LongTermDebtNoncurrent", 95_281_000_000, "0000320193-23-000106"],
      ["LongTermDebtCurrent", 9_822_000_000, "0000320193-23-000106"],
      ["CommercialPaper", 5_985_000_000, "0000320193-23-000106"],
    ]);
    const de = factor(r, "debtToEquity");
    expect(de.value).toBeCloseTo(111_088 / 62_146, 12);
    expect(de.formula).toContain("LongTermDebtCurrent + CommercialPaper");
    expect(factor(r, "currentRatio").value).toBeCloseTo(143_566 / 145_308, 12);

    // cash flow
    expect(factor(r, "freeCashFlow").value).toBe((110_543 - 10_959) * 1e6);
    expect(factor(r, "freeCashFlow").inputs[0]).toMatchObject({ derived: true, derivedFrom: [{ value: 110_543_000_000 }, { value: 10_959_000_000 }] });
    expect(factor(r, "fcfMargin").value).toBeCloseTo((99_584 / 383_285) * 100, 10);

    // valuation at a price of 190
    const shares = factor(r, "sharesOutstanding");
    expect(shares.value).toBe(15_334_082_000);
    expect(shares.inputs).toEqual([
      expect.objectContaining({ tag: "dei:EntityCommonStockSharesOutstanding", accn: "0000320193-24-000069", filed: "2024-05-03", period: expect.objectContaining({ end: "2024-04-19" }) }),
    ]);
    const mcap = 190 * 15_334_082_000;
    expect(factor(r, "marketCap").value).toBe(mcap);
    const pe = factor(r, "pe");
    expect(pe.value).toBeCloseTo(190 / 6.13, 12);
    expect(pe.price).toMatchObject({ symbol: "AAPL", price: 190, source: "bars:AAPL 1Day close" });
    expect(pe.inputs).toEqual([expect.objectContaining({ name: "epsDiluted", value: 6.13, tag: "EarningsPerShareDiluted", accn: "0000320193-23-000106" })]);
    expect(factor(r, "pb").value).toBeCloseTo(mcap / 62_146e6, 10);
    expect(factor(r, "ps").value).toBeCloseTo(mcap / 383_285e6, 10);
    const ev = mcap + (111_088 - 29_965 - 31_590) * 1e6;
    expect(factor(r, "enterpriseValue").value).toBeCloseTo(ev, 0);
    expect(factor(r, "evToEbitda").value).toBeCloseTo(ev / 125_820e6, 10);
    expect(factor(r, "fcfYield").value).toBeCloseTo((99_584e6 / mcap) * 100, 10);

    // every factor is accounted for, with a group and unit, and every input has provenance
    expect(r.factors.map((f) => f.id)).toEqual([
      "grossMargin", "operatingMargin", "netMargin", "epsDiluted", "ebitda",
      "revenueGrowth", "netIncomeGrowth", "epsGrowth", "revenueCagr3y", "revenueCagr5y",
      "roe", "roa", "totalDebt", "debtToEquity", "currentRatio", "freeCashFlow", "fcfMargin",
      "sharesOutstanding", "marketCap", "pe", "pb", "ps", "enterpriseValue", "evToEbitda", "fcfYield",
    ]);
    for (const f of r.factors) {
      expect(f.value, f.id).not.toBeNull();
      for (const i of f.inputs) {
        expect(i.accn, `${f.id} ${i.name}`).toMatch(/^\d{10}-\d{2}-\d{6}$/);
        expect(i.url).toContain(i.accn.replace(/-/g, ""));
      }
    }
  });

  it("as of 2023-06-30 the annual factors use FY2022 and no input was filed later", () => {
    const asOf = "2023-06-30";
    const statements = buildAllStatements(apple, { asOf });
    for (const basis of ["annual", "ttm"] as const) {
      const r = computeFactors({ statements, facts: apple, asOf, basis, price: price(190, asOf) });
      if (basis === "annual") {
        expect(r.period).toMatchObject({ label: "FY2022", end: "2022-09-24" });
        // FY2022 10-K (0000320193-22-000108, filed 2022-10-28): revenue 394,328M, gross profit 170,782M
        expect(factor(r, "grossMargin").value).toBeCloseTo((170_782 / 394_328) * 100, 10);
        expect(factor(r, "revenueGrowth").period).toBe("FY2022 vs FY2021");
        // dei shares as of 2023-06-30: 15,728,702,000 at 2023-04-21 (10-Q filed 2023-05-05)
        expect(factor(r, "sharesOutstanding").value).toBe(15_728_702_000);
      } else {
        // newest quarter known then: Q2 FY2023 (ended 2023-04-01)
        expect(r.period).toMatchObject({ label: "TTM to Q2 FY2023", end: "2023-04-01" });
      }
      let n = 0;
      for (const f of r.factors) {
        for (const i of f.inputs) {
          n++;
          expect(i.filed <= asOf, `${basis} ${f.id} ${i.name} filed ${i.filed}`).toBe(true);
          if (i.latest) expect(i.latest.filed <= asOf).toBe(true);
          for (const d of i.derivedFrom ?? []) expect(d.filed <= asOf, `${f.id} ${i.name} from ${d.tag}`).toBe(true);
        }
      }
      expect(n).toBeGreaterThan(40);
    }
  });

  it("Apple TTM to Q2 FY2024 is the hand sum of four quarters (Q4 derived from the 10-K)", () => {
    // Quarters Q3 FY2023 (2023-04-02..2023-07-01), Q4 FY2023 (..2023-09-30), Q1 FY2024 (..2023-12-30),
    // Q2 FY2024 (2023-12-31..2024-03-30), from the raw facts:
    //   revenue 81,797M (10-Q 2023-08-04); Q4 = FY 383,285M − 9M YTD 293,787M = 89,498M;
    //           119,575M (10-Q 2024-02-02); 90,753M (10-Q 2024-05-03)
    //   net income 19,881M; Q4 = 96,995M − 74,039M = 22,956M; 33,916M; 23,636M
    //   diluted EPS 1.26; Q4 = FY 6.13 − 9M 4.67 = 1.46 (Apple's reported Q4 FY2023 EPS); 2.18; 1.53
    const asOf = "2024-06-30";
    const statements = buildAllStatements(apple, { asOf });
    const r = computeFactors({ statements, facts: apple, asOf, basis: "ttm", price: price(190, asOf) });
    expect(r.period).toEqual({ label: "TTM to Q2 FY2024", start: "2023-04-02", end: "2024-03-30" });
    expect(r.balanceDate).toBe("2024-03-30");
    const revenue = 81_797 + (383_285 - 293_787) + 119_575 + 90_753;
    const netIncome = 19_881 + (96_995 - 74_039) + 33_916 + 23_636;
    const nm = factor(r, "netMargin");
    expect(nm.value).toBeCloseTo((netIncome / revenue) * 100, 10);
    const revInputs = nm.inputs.filter((i) => i.name === "revenue");
    expect(revInputs.map((i) => [i.period.label, i.value])).toEqual([
      ["Q2 FY2024", 90_753e6],
      ["Q1 FY2024", 119_575e6],
      ["Q4 FY2023", 89_498e6],
      ["Q3 FY2023", 81_797e6],
    ]);
    expect(revInputs[2]).toMatchObject({ derived: true, accn: "0000320193-23-000106" });
    expect(revInputs[2]!.derivedFrom?.map((d) => d.value)).toEqual([383_285e6, 293_787e6]);
    expect(revInputs[0]).toMatchObject({ accn: "0000320193-24-000069", form: "10-Q", filed: "2024-05-03" });

    const eps = factor(r, "epsDiluted");
    expect(eps.value).toBeCloseTo(1.26 + 1.46 + 2.18 + 1.53, 10);
    expect(eps.note).toMatch(/Q4 FY2023 diluted EPS is not reported; taken as FY − 9M year-to-date/);
    const q4 = eps.inputs.find((i) => i.period.label === "Q4 FY2023")!;
    expect(q4).toMatchObject({ value: 1.46, derived: true });
    expect(q4.derivedFrom?.map((d) => [d.value, d.start, d.end])).toEqual([
      [6.13, "2022-09-25", "2023-09-30"],
      [4.67, "2022-09-25", "2023-07-01"],
    ]);
    expect(factor(r, "pe").value).toBeCloseTo(190 / 6.43, 10);
    expect(factor(r, "pe").formula).toMatch(/TTM/);

    // a year earlier: TTM to Q2 FY2023 = Q3 FY2022 82,959M + Q4 FY2022 (394,328M − 9M 304,182M) + Q1 FY2023 117,154M + Q2 FY2023 94,836M
    const prior = 82_959 + (394_328 - 304_182) + 117_154 + 94_836;
    const rg = factor(r, "revenueGrowth");
    expect(rg.period).toBe("TTM to Q2 FY2024 vs TTM to Q2 FY2023");
    expect(rg.value).toBeCloseTo((revenue / prior - 1) * 100, 10);
    expect(rg.inputs).toHaveLength(8);
    // ROE on the average of the balance sheets before the window (2023-04-01) and at its end (2024-03-30)
    expect(factor(r, "roe").note).toMatch(/opening \(2023-04-01\) and closing \(2024-03-30\)/);
    // revenue CAGR always uses fiscal years
    expect(factor(r, "revenueCagr3y").period).toBe("FY2020→FY2023");
  });

  it("Under Armour: no cover-page or balance-sheet share count, so weighted diluted shares are used with a note", () => {
    // UA's companyfacts carry no dei:EntityCommonStockSharesOutstanding (its three share
    // classes are reported per class, which companyfacts leaves out) and no
    // us-gaap:CommonStockSharesOutstanding.
    const ua = loadFacts("0001336917");
    expect(ua.facts["dei"]?.["EntityCommonStockSharesOutstanding"]).toBeUndefined();
    const asOf = "2024-06-30";
    const statements = buildAllStatements(ua, { asOf });
    const r = computeFactors({ statements, facts: ua, asOf, basis: "annual", price: price(7, asOf, "UAA") });
    expect(r.period.label).toBe("FY2024");
    const shares = factor(r, "sharesOutstanding");
    const weighted = statements.income.annual.rows.find((x) => x.item === "sharesDiluted")!.values[0]!;
    expect(shares.value).toBe(weighted.value);
    expect(shares.note).toMatch(/no dei:EntityCommonStockSharesOutstanding.*no us-gaap:CommonStockSharesOutstanding.*weighted-average diluted shares/);
    expect(factor(r, "marketCap").note).toMatch(/weighted-average diluted shares/);
    expect(factor(r, "marketCap").value).toBe(7 * weighted.value);
  });

  it("TTM across Under Armour's change of fiscal year: the 10-QT quarter 2022-01-01..2022-03-31 is one of the four", () => {
    const ua = loadFacts("0001336917");
    const asOf = "2022-09-30";
    const statements = buildAllStatements(ua, { asOf });
    const r = computeFactors({ statements, facts: ua, asOf, basis: "ttm" });
    expect(r.period).toMatchObject({ start: "2021-07-01", end: "2022-06-30" });
    const spans = factor(r, "netMargin").inputs.filter((i) => i.name === "revenue").map((i) => `${i.period.start}..${i.period.end}`);
    expect(spans).toEqual(["2022-04-01..2022-06-30", "2022-01-01..2022-03-31", "2021-10-01..2021-12-31", "2021-07-01..2021-09-30"]);
    expect(factor(r, "netMargin").value).not.toBeNull();
  });

  it("Walmart TTM across its 3-for-1 split (Feb 2024): per-share amounts on different bases are not summed", () => {
    // As of 2024-06-30 the quarters of TTM to Q1 FY2025 mix bases (raw facts):
    //   Q2 FY2024 (2023-05-01..07-31) net income 7,891M, weighted diluted shares 2,703M (10-Q 2023-09-01, pre-split)
    //   Q3 FY2024 (..2023-10-31) 453M, EPS 0.17, 2,703M shares (10-Q 2023-11-30, pre-split)
    //   Q4 FY2024 = FY 15,511M (10-K 2024-03-15: 8,108M shares, post-split; EPS 1.91) − 9M 10,017M (EPS 3.71, 2,703M shares)
    //   Q1 FY2025 (2024-02-01..04-30) 5,104M, EPS 0.63, 8,084M shares (10-Q 2024-06-07, post-split)
    // Summing EPS would give 0.63 + (1.91 − 3.71) + 0.17 + … — meaningless; instead TTM net income / Q1 FY2025 shares.
    const wmt = loadFacts("0000104169");
    const asOf = "2024-06-30";
    const r = computeFactors({ statements: buildAllStatements(wmt, { asOf }), facts: wmt, asOf, basis: "ttm", price: price(68, asOf, "WMT") });
    expect(r.period.label).toBe("TTM to Q1 FY2025");
    const eps = factor(r, "epsDiluted");
    expect(eps.value).toBeCloseTo((7_891 + 453 + (15_511 - 10_017) + 5_104) / 8_084, 12);
    expect(eps.note).toMatch(/weighted shares range from 2,703M to 8,108M .*stock split.*TTM net income \/ weighted shares of Q1 FY2025/);
    expect(eps.inputs.at(-1)).toMatchObject({ tag: "WeightedAverageNumberOfDilutedSharesOutstanding", value: 8_084_000_000, filed: "2024-06-07" });
    expect(factor(r, "pe").value).toBeCloseTo(68 / eps.value!, 12);
    // a year later the comparatives were restated on the new basis and the quarters add up again
    const later = "2025-06-30";
    const r2 = computeFactors({ statements: buildAllStatements(wmt, { asOf: later }), facts: wmt, asOf: later, basis: "ttm" });
    const eps2 = factor(r2, "epsDiluted");
    expect(eps2.note ?? "").not.toMatch(/stock split/);
    expect(eps2.inputs.every((i) => i.name === "epsDiluted")).toBe(true);
    expect(eps2.value).toBeCloseTo(eps2.inputs.reduce((s, i) => s + i.value, 0), 10);
  });

  it("Kraft Heinz: LongTermDebtAndCapitalLeaseObligations + …Current + ShortTermBorrowings", () => {
    // 10-K for 2023 (balance sheet 2023-12-30): 19,394M + 638M + 0
    const khc = loadFacts("0001637459");
    const asOf = "2024-06-30";
    const r = computeFactors({ statements: buildAllStatements(khc, { asOf }), facts: khc, asOf, basis: "annual" });
    expect(r.balanceDate).toBe("2023-12-30");
    const debt = factor(r, "totalDebt");
    expect(debt.formula).toBe("longTermDebt [LongTermDebtAndCapitalLeaseObligations] + LongTermDebtAndCapitalLeaseObligationsCurrent + ShortTermBorrowings");
    expect(debt.value).toBe((19_394 + 638 + 0) * 1e6);
  });

  it("Apple before 2013 reported no debt: D/E is null with a note, not 0", () => {
    const asOf = "2012-12-31";
    const r = computeFactors({ statements: buildAllStatements(apple, { asOf }), facts: apple, asOf, basis: "annual", price: price(75, asOf) });
    expect(r.period.label).toBe("FY2012");
    expect(factor(r, "totalDebt")).toMatchObject({ value: null, note: expect.stringMatching(/no debt reported at 2012-09-29.*may have no debt/) });
    expect(factor(r, "debtToEquity").value).toBeNull();
    expect(factor(r, "enterpriseValue").value).toBeNull();
    expect(factor(r, "pe").value).not.toBeNull();
  });

  it("formatFactorTable renders values with units and periods", () => {
    const asOf = "2024-06-30";
    const r = computeFactors({ statements: buildAllStatements(apple, { asOf }), facts: apple, asOf, basis: "annual", price: price(190, asOf) });
    const text = formatFactorTable(r);
    expect(text).toMatch(/^Apple Inc\. \(CIK 320193\) fundamental factors, annual: FY2023 \(2022-09-25\.\.2023-09-30\); balance sheet 2023-09-30; filings as of 2024-06-30/);
    expect(text).toMatch(/Price AAPL 190 at 2024-06-30T20:00:00Z \(bars:AAPL 1Day close\)/);
    const line = (label: string): string => text.split("\n").find((l) => l.startsWith(label))!;
    expect(line("Gross margin")).toMatch(/44\.1%\s+FY2023/);
    expect(line("Revenue growth YoY")).toMatch(/-2\.8%\s+FY2023 vs FY2022/);
    expect(line("P/E")).toMatch(/31\.00x/);
    expect(line("Debt to equity")).toMatch(/1\.79\s+2023-09-30/);
    expect(line("Total debt")).toMatch(/\$111\.09B/);
    expect(line("Free cash flow")).toMatch(/\$99\.58B/);
    expect(line("Market capitalisation")).toMatch(/\$2\.91T/);
    expect(line("Shares outstanding")).toMatch(/15\.33B/);
    expect(line("Diluted EPS ")).toMatch(/\$6\.13/);
  });
});

// ───────────────────────────── synthetic filers ─────────────────────────────

type Values = Record<string, number>;
interface YearSpec {
  flows?: Values;
  balance?: Values;
}
const UNIT: Record<string, string> = {
  EarningsPerShareDiluted: "USD/shares",
  WeightedAverageNumberOfDilutedSharesOutstanding: "shares",
  CommonStockSharesOutstanding: "shares",
};

/** A calendar-year filer: one 10-K per year filed on Feb 15 of the next year. */
function synthetic(years: Record<number, YearSpec>, extra: Array<{ taxonomy?: string; tag: string; unit?: string; fact: RawFact }> = []): CompanyFacts {
  const facts: CompanyFacts["facts"] = { "us-gaap": {}, dei: {} };
  const put = (taxonomy: string, tag: string, unit: string, f: RawFact): void => {
    const concept = (facts[taxonomy]![tag] ??= { units: {} });
    (concept.units[unit] ??= []).push(f);
  };
  for (const [y, spec] of Object.entries(years)) {
    const year = Number(y);
    const filing = { accn: `0000000001-${String((year + 1) % 100).padStart(2, "0")}-000001`, form: "10-K", filed: `${year + 1}-02-15`, fy: year, fp: "FY" };
    for (const [tag, val] of Object.entries(spec.flows ?? {})) {
      put("us-gaap", tag, UNIT[tag] ?? "USD", { start: `${year}-01-01`, end: `${year}-12-31`, val, ...filing });
    }
    for (const [tag, val] of Object.entries(spec.balance ?? {})) {
      put("us-gaap", tag, UNIT[tag] ?? "USD", { end: `${year}-12-31`, val, ...filing });
    }
  }
  for (const e of extra) put(e.taxonomy ?? "us-gaap", e.tag, e.unit ?? UNIT[e.tag] ?? "USD", e.fact);
  return parseCompanyFacts({ cik: 1, entityName: "Tiny Co", facts });
}

const healthyFlows: Values = {
  Revenues: 1000,
  CostOfRevenue: 600,
  OperatingIncomeLoss: 200,
  NetIncomeLoss: 150,
  EarningsPerShareDiluted: 1.5,
  WeightedAverageNumberOfDilutedSharesOutstanding: 100,
  NetCashProvidedByUsedInOperatingActivities: 220,
  PaymentsToAcquirePropertyPlantAndEquipment: 40,
  DepreciationDepletionAndAmortization: 30,
};
const healthyBalance: Values = {
  Assets: 2000,
  AssetsCurrent: 800,
  LiabilitiesCurrent: 400,
  StockholdersEquity: 900,
  CashAndCashEquivalentsAtCarryingValue: 100,
  LongTermDebtNoncurrent: 500,
};

function run(facts: CompanyFacts, opts: { basis?: "annual" | "ttm"; asOf?: string; price?: PriceInput; missingPriceNote?: string; statements?: AllStatements } = {}): FactorReport {
  const statements = opts.statements ?? buildAllStatements(facts, { fiscalYearEnd: "1231", ...(opts.asOf ? { asOf: opts.asOf } : {}) });
  return computeFactors({
    statements,
    facts,
    basis: opts.basis ?? "annual",
    ...(opts.asOf ? { asOf: opts.asOf } : {}),
    ...(opts.price ? { price: opts.price } : {}),
    ...(opts.missingPriceNote ? { missingPriceNote: opts.missingPriceNote } : {}),
  });
}

describe("computeFactors: nulls with notes, never a silent division", () => {
  it("no price: valuation factors are null with a note; the rest is computed", () => {
    const facts = synthetic({ 2022: { flows: healthyFlows, balance: healthyBalance }, 2023: { flows: healthyFlows, balance: healthyBalance } });
    const r = run(facts);
    expect(r.price).toBeUndefined();
    for (const id of ["marketCap", "pe", "pb", "ps", "enterpriseValue", "evToEbitda", "fcfYield"]) {
      expect(factor(r, id), id).toMatchObject({ value: null, note: "no price given: valuation factors need a market price" });
      expect(factor(r, id).price).toBeUndefined();
    }
    expect(factor(r, "grossMargin").value).toBeCloseTo(40, 12);
    // no dei count and no balance-sheet count: weighted diluted shares, said in the note
    expect(factor(r, "sharesOutstanding")).toMatchObject({ value: 100, note: expect.stringMatching(/weighted-average diluted shares/) });
    const r2 = run(facts, { missingPriceNote: "no price for TINY in the local database" });
    expect(factor(r2, "pe")).toMatchObject({ value: null, note: "no price for TINY in the local database" });
  });

  it("negative equity: D/E, ROE and P/B are null with a note", () => {
    const bal = { ...healthyBalance, StockholdersEquity: -250 };
    const facts = synthetic({ 2022: { flows: healthyFlows, balance: bal }, 2023: { flows: healthyFlows, balance: bal } });
    const r = run(facts, { price: price(20, "2024-03-01", "TINY") });
    expect(factor(r, "debtToEquity")).toMatchObject({ value: null, note: "negative stockholders' equity (-250): D/E not meaningful" });
    expect(factor(r, "roe")).toMatchObject({ value: null, note: expect.stringMatching(/negative stockholders' equity .*ROE not meaningful/) });
    expect(factor(r, "pb")).toMatchObject({ value: null, note: expect.stringMatching(/negative stockholders' equity .*P\/B not meaningful/) });
    // the inputs are still listed
    expect(factor(r, "debtToEquity").inputs.map((i) => i.name)).toEqual(["longTermDebt", "stockholdersEquity"]);
    expect(factor(r, "totalDebt").value).toBe(500);
  });

  it("zero revenue, zero current liabilities, negative EPS and EBITDA, negative prior income", () => {
    const y2022 = { flows: { ...healthyFlows, NetIncomeLoss: -80, EarningsPerShareDiluted: -0.8 }, balance: healthyBalance };
    const y2023 = {
      flows: { ...healthyFlows, Revenues: 0, CostOfRevenue: 0, OperatingIncomeLoss: -90, NetIncomeLoss: -120, EarningsPerShareDiluted: -1.2 },
      balance: { ...healthyBalance, LiabilitiesCurrent: 0 },
    };
    const r = run(synthetic({ 2022: y2022, 2023: y2023 }), { price: price(20, "2024-03-01", "TINY") });
    for (const id of ["grossMargin", "operatingMargin", "netMargin", "fcfMargin"]) {
      expect(factor(r, id), id).toMatchObject({ value: null, note: "revenue is zero: margin not meaningful" });
    }
    expect(factor(r, "ps")).toMatchObject({ value: null, note: "revenue is zero: P/S not meaningful" });
    expect(factor(r, "currentRatio")).toMatchObject({ value: null, note: "current liabilities is zero: current ratio not meaningful" });
    expect(factor(r, "pe")).toMatchObject({ value: null, note: "negative earnings (diluted EPS -1.2): P/E not meaningful" });
    expect(factor(r, "evToEbitda")).toMatchObject({ value: null, note: expect.stringMatching(/^negative EBITDA \(-60\): EV\/EBITDA not meaningful/) });
    expect(factor(r, "netIncomeGrowth")).toMatchObject({ value: null, note: "prior-period net income is negative (-80): growth not meaningful" });
    expect(factor(r, "epsGrowth").value).toBeNull();
    expect(factor(r, "revenueGrowth").value).toBe(-100);
    // nothing non-finite slips through
    for (const f of r.factors) if (f.value !== null) expect(Number.isFinite(f.value), f.id).toBe(true);
  });

  it("no opening balance: ROE and ROA use the closing balance and say so", () => {
    const facts = synthetic({ 2023: { flows: healthyFlows, balance: healthyBalance } });
    const r = run(facts);
    expect(factor(r, "roe").value).toBeCloseTo((150 / 900) * 100, 12);
    expect(factor(r, "roe").note).toBe("closing stockholders' equity (2023-12-31) only: no opening balance at 2022-12-31");
    expect(factor(r, "roa").note).toMatch(/^closing total assets \(2023-12-31\) only/);
    expect(factor(r, "revenueGrowth")).toMatchObject({ value: null, note: expect.stringMatching(/no fiscal year ending about a year before 2023-12-31/) });
    expect(factor(r, "revenueCagr3y")).toMatchObject({ value: null, note: expect.stringMatching(/no fiscal year ending about 3 years before FY2023/) });
  });

  it("total debt: DebtCurrent is used when reported; LongTermDebt already includes current maturities", () => {
    const at = (tag: string, val: number): { tag: string; fact: RawFact } => ({
      tag,
      fact: { end: "2023-12-31", val, accn: "0000000001-24-000001", form: "10-K", filed: "2024-02-15" },
    });
    const base = { 2023: { flows: healthyFlows, balance: healthyBalance } };
    const withDebtCurrent = run(synthetic(base, [at("DebtCurrent", 70), at("LongTermDebtCurrent", 50), at("CommercialPaper", 20)]));
    expect(factor(withDebtCurrent, "totalDebt")).toMatchObject({ value: 570, formula: "longTermDebt [LongTermDebtNoncurrent] + DebtCurrent" });

    const split = run(synthetic(base, [at("LongTermDebtCurrent", 50), at("CommercialPaper", 20)]));
    expect(factor(split, "totalDebt")).toMatchObject({ value: 570, formula: "longTermDebt [LongTermDebtNoncurrent] + LongTermDebtCurrent + CommercialPaper" });
    expect(factor(split, "debtToEquity").formula).toBe("totalDebt / stockholdersEquity; totalDebt = longTermDebt [LongTermDebtNoncurrent] + LongTermDebtCurrent + CommercialPaper");

    const { LongTermDebtNoncurrent: _omit, ...noNoncurrent } = healthyBalance;
    const inclusive = run(synthetic({ 2023: { flows: healthyFlows, balance: { ...noNoncurrent, LongTermDebt: 550 } } }, [at("LongTermDebtCurrent", 50), at("ShortTermBorrowings", 5)]));
    expect(factor(inclusive, "totalDebt")).toMatchObject({ value: 555, formula: "longTermDebt [LongTermDebt] + ShortTermBorrowings", note: "LongTermDebt already includes current maturities" });

    // a later amendment's value is used only as of a date on or after its filing
    const amended = synthetic(base, [at("LongTermDebtCurrent", 50), { tag: "LongTermDebtCurrent", fact: { end: "2023-12-31", val: 65, accn: "0000000001-24-000009", form: "10-K/A", filed: "2024-05-01" } }]);
    expect(factor(run(amended, { asOf: "2024-03-01" }), "totalDebt").value).toBe(550);
    const later = factor(run(amended, { asOf: "2024-06-01" }), "totalDebt");
    expect(later.value).toBe(565);
    expect(later.inputs[1]).toMatchObject({ tag: "LongTermDebtCurrent", value: 65, form: "10-K/A", filed: "2024-05-01" });
  });

  it("shares outstanding: share classes in one filing are summed; a stale cover count falls back to the balance sheet", () => {
    const dei = (end: string, val: number, accn: string, filed: string): { taxonomy: string; tag: string; unit: string; fact: RawFact } => ({
      taxonomy: "dei",
      tag: "EntityCommonStockSharesOutstanding",
      unit: "shares",
      fact: { end, val, accn, form: "10-K", filed },
    });
    const base = { 2022: { flows: healthyFlows, balance: healthyBalance }, 2023: { flows: healthyFlows, balance: healthyBalance } };
    const facts = synthetic(base, [
      dei("2023-02-10", 95, "0000000001-23-000001", "2023-02-15"),
      // the FY2023 10-K cover: Class A and Class B
      dei("2024-02-09", 70, "0000000001-24-000001", "2024-02-15"),
      dei("2024-02-09", 28, "0000000001-24-000001", "2024-02-15"),
    ]);
    const r = run(facts, { price: price(10, "2024-03-01", "TINY") });
    const shares = factor(r, "sharesOutstanding");
    expect(shares.value).toBe(98);
    expect(shares.note).toMatch(/sum of 2 values the filing 0000000001-24-000001 reports for 2024-02-09 \(share classes\)/);
    expect(shares.inputs.map((i) => [i.tag, i.value, i.period.end])).toEqual([
      ["dei:EntityCommonStockSharesOutstanding", 70, "2024-02-09"],
      ["dei:EntityCommonStockSharesOutstanding", 28, "2024-02-09"],
    ]);
    expect(factor(r, "marketCap").value).toBe(980);
    // as of before the FY2023 10-K, only the single earlier count existed
    expect(factor(run(facts, { asOf: "2023-06-30", price: price(10, "2023-06-30", "TINY") }), "sharesOutstanding").value).toBe(95);

    const stale = synthetic(
      { ...base, 2023: { flows: healthyFlows, balance: { ...healthyBalance, CommonStockSharesOutstanding: 97 } } },
      [dei("2021-02-10", 90, "0000000001-21-000001", "2021-02-15")],
    );
    const s = factor(run(stale, { price: price(10, "2024-03-01", "TINY") }), "sharesOutstanding");
    expect(s.value).toBe(97);
    expect(s.note).toMatch(/dei:EntityCommonStockSharesOutstanding is stale \(latest 2021-02-10, balance sheet 2023-12-31\)/);
    expect(s.inputs[0]).toMatchObject({ tag: "us-gaap:CommonStockSharesOutstanding", value: 97 });
  });

  it("TTM over quarters that are not consecutive is null with a note (a missing 10-K)", () => {
    const q = (tag: string, start: string, end: string, val: number, filed: string, accn: string): { tag: string; fact: RawFact } => ({
      tag,
      fact: { start, end, val, accn, form: "10-Q", filed },
    });
    const quarters: Array<{ tag: string; fact: RawFact }> = [];
    const spans: Array<[string, string, string, string]> = [
      ["2023-01-01", "2023-03-31", "2023-05-01", "0000000001-23-000010"],
      ["2023-04-01", "2023-06-30", "2023-08-01", "0000000001-23-000020"],
      ["2023-07-01", "2023-09-30", "2023-11-01", "0000000001-23-000030"],
      // no 10-K for 2023: Q4 2023 is unknown
      ["2024-01-01", "2024-03-31", "2024-05-01", "0000000001-24-000010"],
    ];
    for (const [start, end, filed, accn] of spans) {
      quarters.push(q("Revenues", start, end, 250, filed, accn), q("NetIncomeLoss", start, end, 30, filed, accn));
    }
    const facts = synthetic({ 2022: { flows: healthyFlows, balance: healthyBalance } }, quarters);
    const r = run(facts, { basis: "ttm", asOf: "2024-06-30" });
    expect(r.period.label).toBe("TTM to Q1 FY2024");
    expect(r.warnings.join("\n")).toMatch(/TTM not available: Q3 FY2023 \(ends 2023-09-30\) and Q1 FY2024 \(starts 2024-01-01\) are not consecutive/);
    expect(factor(r, "netMargin")).toMatchObject({ value: null, note: expect.stringMatching(/not consecutive: TTM needs four consecutive quarters/) });

    // with only three quarters known, TTM is not available either
    const early = run(facts, { basis: "ttm", asOf: "2023-12-31" });
    expect(early.period.label).toBe("TTM to Q3 FY2023");
    expect(factor(early, "netMargin")).toMatchObject({ value: null, note: expect.stringMatching(/only 3 quarterly period\(s\) up to Q3 FY2023/) });
  });

  it("rejects bad options and reports NO_DATA when there is no period at all", () => {
    const facts = synthetic({ 2023: { flows: healthyFlows, balance: healthyBalance } });
    const statements = buildAllStatements(facts, { fiscalYearEnd: "1231" });
    const bad: Array<Partial<Parameters<typeof computeFactors>[0]>> = [
      { basis: "monthly" as never },
      { asOf: "2023-02-30" },
      { price: { symbol: "T", price: 0, asOf: "2024-01-01T00:00:00Z", source: "x" } },
      { price: { symbol: "T", price: Number.NaN, asOf: "2024-01-01T00:00:00Z", source: "x" } },
    ];
    for (const o of bad) {
      expect(() => computeFactors({ statements, facts, basis: "annual", ...o }), JSON.stringify(o)).toThrowError(ArgusError);
    }
    const none = buildAllStatements(facts, { fiscalYearEnd: "1231", asOf: "2023-06-30" });
    try {
      computeFactors({ statements: none, facts, asOf: "2023-06-30", basis: "annual" });
      expect.unreachable();
    } catch (err) {
      expect((err as ArgusError).code).toBe("NO_DATA");
    }
  });

  it("warns about a synthetic price, a price after asOf and statements built for another date", () => {
    const facts = synthetic({ 2022: { flows: healthyFlows, balance: healthyBalance }, 2023: { flows: healthyFlows, balance: healthyBalance } });
    const statements = buildAllStatements(facts, { fiscalYearEnd: "1231" });
    const r = computeFactors({
      statements,
      facts,
      asOf: "2024-03-01",
      basis: "annual",
      price: { symbol: "TINY", price: 10, asOf: "2024-04-02T20:00:00Z", source: "synthetic bars", synthetic: true },
    });
    expect(r.warnings).toEqual([
      "statements were built as of (latest) but factors are computed as of 2024-03-01",
      "the price of TINY is synthetic (synthetic bars): valuation factors are not real",
      "the price is dated 2024-04-02, after asOf 2024-03-01",
    ]);
    expect(formatFactorTable(r)).toMatch(/\[SYNTHETIC\][\s\S]*Warnings:\n- statements were built/);
  });

  it("formats null values as n/a with the note", () => {
    const r = run(synthetic({ 2023: { flows: healthyFlows, balance: healthyBalance } }));
    const line = formatFactorTable(r).split("\n").find((l) => l.startsWith("P/E"))!;
    expect(line).toMatch(/n\/a\s+no price; FY2023\s+no price given: valuation factors need a market price$/);
  });
});
