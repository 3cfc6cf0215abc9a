import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCases, type EvalCase } from "./src/case.js";

// Recomputes every expected number of evals/cases/fundamentals.jsonl and comparison.jsonl
// from the raw SEC companyfacts fixtures, independently of Argus's EDGAR code.
// A value is the one in effect as of the case's asOf: among the facts for the concept, unit
// and period filed on or before asOf, the latest filed wins (on the same day an amendment,
// then the higher accession). Its accession is the filing that first reported that value:
// walking back from the latest, earlier filings that repeated the same value (a later 10-K's
// comparative, a 10-K/A that changed nothing) give way to the original report.

const FIXTURES = resolve(import.meta.dirname, "../../shared/fixtures/edgar");
const HAS_FIXTURES = existsSync(join(FIXTURES, "companyfacts"));
const FILES = ["fundamentals", "comparison"] as const;

interface RawFact { start?: string; end: string; val: number; accn: string; form: string; filed: string; fy?: number; fp?: string }
interface Resolved { value: number; accn: string; filed: string; form: string; tag: string }
interface Num { value: number; accns: string[]; tags: string[] }

const CIK: Record<string, string> = { AAPL: "0000320193", WMT: "0000104169", COST: "0000909832", KHC: "0001637459", UA: "0001336917" };
const factsCache = new Map<string, { facts: Record<string, Record<string, { units: Record<string, RawFact[]> }>> }>();
function companyFacts(co: string) {
  const file = `CIK${CIK[co]}.json`;
  let d = factsCache.get(file);
  if (!d) factsCache.set(file, (d = JSON.parse(readFileSync(join(FIXTURES, "companyfacts", file), "utf8"))));
  return d!;
}

const later = (a: RawFact, b: RawFact) =>
  a.filed !== b.filed ? a.filed > b.filed : a.form.endsWith("/A") !== b.form.endsWith("/A") ? a.form.endsWith("/A") : a.accn > b.accn;

/** One fact as of `asOf`: co, "taxonomy:Tag" (us-gaap by default), period "start..end" or an instant "end". */
function fact(co: string, tag: string, period: string, asOf: string, unit = "USD"): Resolved {
  const [taxonomy, name] = tag.includes(":") ? (tag.split(":") as [string, string]) : ["us-gaap", tag];
  const [start, end] = period.includes("..") ? period.split("..") : [undefined, period];
  const all = companyFacts(co).facts[taxonomy]?.[name]?.units[unit] ?? [];
  const group = all.filter((f) => f.end === end && f.start === start && f.filed <= asOf).sort((a, b) => (later(a, b) ? -1 : 1));
  if (group.length === 0) throw new Error(`no ${co} ${tag} ${unit} ${period} filed by ${asOf}`);
  const latest = group[0]!;
  let source = latest;
  for (const f of group.slice(1)) {
    if (f.val !== latest.val) break;
    source = f;
  }
  return { value: latest.val, accn: source.accn, filed: source.filed, form: source.form, tag: name };
}

const of = (...rs: Resolved[]) => ({ accns: [...new Set(rs.map((r) => r.accn))], tags: [...new Set(rs.map((r) => r.tag))] });
const one = (r: Resolved): Num => ({ value: r.value, ...of(r) });
const pct = (num: Resolved | number, den: Resolved, ...rest: Resolved[]): Num => {
  const n = typeof num === "number" ? num : num.value;
  return { value: (100 * n) / den.value, ...of(den, ...(typeof num === "number" ? [] : [num]), ...rest) };
};
const growth = (cur: Resolved, prior: Resolved): Num => ({ value: 100 * (cur.value / prior.value - 1), ...of(cur, prior) });
const ratio = (num: Resolved[], den: Resolved): Num => ({ value: num.reduce((s, r) => s + r.value, 0) / den.value, ...of(...num, den) });
const diff = (a: Num, b: Num): Num => ({ value: a.value - b.value, accns: [...new Set([...a.accns, ...b.accns])], tags: [] });

// Periods.
const AAPL23 = "2022-09-25..2023-09-30", AAPL22 = "2021-09-26..2022-09-24";
const WMT24 = "2023-02-01..2024-01-31", WMT23 = "2022-02-01..2023-01-31";
const COST23 = "2022-08-29..2023-09-03", COST22 = "2021-08-30..2022-08-28";
const KHC23 = "2023-01-01..2023-12-30", UA23 = "2022-04-01..2023-03-31";
const REV = "RevenueFromContractWithCustomerExcludingAssessedTax";

type Recipe = (asOf: string) => Num;
const aaplGross = (d: string) => pct(fact("AAPL", "GrossProfit", AAPL23, d), fact("AAPL", REV, AAPL23, d));
const wmtGross = (d: string) => { const r = fact("WMT", REV, WMT24, d), c = fact("WMT", "CostOfRevenue", WMT24, d); return pct(r.value - c.value, r, c); };
const costGross = (d: string) => { const r = fact("COST", REV, COST23, d), c = fact("COST", "CostOfGoodsAndServicesSold", COST23, d); return pct(r.value - c.value, r, c); };
const khcRev = (d: string) => fact("KHC", "RevenueFromContractWithCustomerIncludingAssessedTax", KHC23, d);
const khcGross = (d: string) => pct(fact("KHC", "GrossProfit", KHC23, d), khcRev(d));
const uaGross = (d: string) => pct(fact("UA", "GrossProfit", UA23, d), fact("UA", "Revenues", UA23, d));
const wmtGrowth = (d: string) => growth(fact("WMT", REV, WMT24, d), fact("WMT", REV, WMT23, d));
const costGrowth = (d: string) => growth(fact("COST", REV, COST23, d), fact("COST", REV, COST22, d));
const wmtDe = (d: string) => ratio(["LongTermDebtNoncurrent", "LongTermDebtCurrent", "ShortTermBorrowings"].map((t) => fact("WMT", t, "2024-01-31", d)), fact("WMT", "StockholdersEquity", "2024-01-31", d));
const khcDe = (d: string) =>
  ratio(["LongTermDebtAndCapitalLeaseObligations", "LongTermDebtAndCapitalLeaseObligationsCurrent", "ShortTermBorrowings"].map((t) => fact("KHC", t, "2023-12-30", d)), fact("KHC", "StockholdersEquity", "2023-12-30", d));
const currentRatio = (co: string, at: string) => (d: string) => ratio([fact(co, "AssetsCurrent", at, d)], fact(co, "LiabilitiesCurrent", at, d));
const netMargin = (co: string, rev: string, p: string) => (d: string) => pct(fact(co, "NetIncomeLoss", p, d), fact(co, rev, p, d));

/** Case id / number id → how to recompute it from the fixtures. */
const RECIPES: Record<string, Recipe> = {
  "fund-aapl-revenue-fy2023/revenue_fy2023": (d) => one(fact("AAPL", REV, AAPL23, d)),
  "fund-aapl-net-income-fy2023/net_income_fy2023": (d) => one(fact("AAPL", "NetIncomeLoss", AAPL23, d)),
  "fund-aapl-eps-diluted-fy2023/eps_diluted_fy2023": (d) => one(fact("AAPL", "EarningsPerShareDiluted", AAPL23, d, "USD/shares")),
  "fund-aapl-total-assets-fy2023/total_assets_fy2023": (d) => one(fact("AAPL", "Assets", "2023-09-30", d)),
  "fund-aapl-operating-cash-flow-fy2023/operating_cash_flow_fy2023": (d) => one(fact("AAPL", "NetCashProvidedByUsedInOperatingActivities", AAPL23, d)),
  "fund-aapl-shares-outstanding-2023-10/shares_outstanding": (d) => one(fact("AAPL", "dei:EntityCommonStockSharesOutstanding", "2023-10-20", d, "shares")),
  "fund-aapl-revenue-q1fy2024/revenue_q1_fy2024": (d) => one(fact("AAPL", REV, "2023-10-01..2023-12-30", d)),
  "fund-aapl-gross-margin-fy2023/gross_margin_fy2023": aaplGross,
  "fund-aapl-revenue-growth-fy2023/revenue_growth_fy2023": (d) => growth(fact("AAPL", REV, AAPL23, d), fact("AAPL", REV, AAPL22, d)),
  "fund-aapl-latest-annual-before-10k/revenue_latest_annual": (d) => one(fact("AAPL", REV, AAPL22, d)),
  "fund-wmt-revenue-fy2024/revenue_fy2024": (d) => one(fact("WMT", REV, WMT24, d)),
  "fund-wmt-debt-to-equity-fy2024/debt_to_equity": wmtDe,
  "fund-cost-net-income-fy2023/net_income_fy2023": (d) => one(fact("COST", "NetIncomeLoss", COST23, d)),
  "fund-cost-current-ratio-fy2023/current_ratio": currentRatio("COST", "2023-09-03"),
  "fund-khc-net-margin-fy2023/net_margin_fy2023": netMargin("KHC", "RevenueFromContractWithCustomerIncludingAssessedTax", KHC23),
  "fund-khc-total-assets-fy2023/total_assets_fy2023": (d) => one(fact("KHC", "Assets", "2023-12-30", d)),
  "fund-ua-transition-period-2022/revenue_transition": (d) => one(fact("UA", "Revenues", "2022-01-01..2022-03-31", d)),
  "fund-ua-transition-period-2022/net_income_transition": (d) => one(fact("UA", "NetIncomeLoss", "2022-01-01..2022-03-31", d)),
  "fund-ua-net-income-fy2023-as-first-reported/net_income_fy2023": (d) => one(fact("UA", "NetIncomeLoss", UA23, d)),
  "fund-ua-net-income-fy2023-revised/net_income_fy2023": (d) => one(fact("UA", "NetIncomeLoss", UA23, d)),
  // The value as first reported: what was in effect on 2023-06-30, whatever the case's asOf.
  "fund-ua-net-income-fy2023-revised/net_income_fy2023_original": () => one(fact("UA", "NetIncomeLoss", UA23, "2023-06-30")),
  "fund-ua-net-income-2012-10ka/net_income_fy2012": (d) => one(fact("UA", "NetIncomeLoss", "2012-01-01..2012-12-31", d)),
  "cmp-wmt-cost-gross-margin/wmt_gross_margin": wmtGross,
  "cmp-wmt-cost-gross-margin/cost_gross_margin": costGross,
  "cmp-wmt-cost-gross-margin/gross_margin_gap": (d) => diff(wmtGross(d), costGross(d)),
  "cmp-aapl-wmt-cost-net-margin/aapl_net_margin": netMargin("AAPL", REV, AAPL23),
  "cmp-aapl-wmt-cost-net-margin/wmt_net_margin": netMargin("WMT", REV, WMT24),
  "cmp-aapl-wmt-cost-net-margin/cost_net_margin": netMargin("COST", REV, COST23),
  "cmp-wmt-cost-revenue-growth/wmt_revenue_growth": wmtGrowth,
  "cmp-wmt-cost-revenue-growth/cost_revenue_growth": costGrowth,
  "cmp-wmt-cost-revenue-growth/growth_gap": (d) => diff(costGrowth(d), wmtGrowth(d)),
  "cmp-khc-wmt-debt-to-equity/khc_debt_to_equity": khcDe,
  "cmp-khc-wmt-debt-to-equity/wmt_debt_to_equity": wmtDe,
  "cmp-cost-khc-current-ratio/cost_current_ratio": currentRatio("COST", "2023-09-03"),
  "cmp-cost-khc-current-ratio/khc_current_ratio": currentRatio("KHC", "2023-12-30"),
  "cmp-aapl-khc-revenue-fy2023/aapl_revenue_fy2023": (d) => one(fact("AAPL", REV, AAPL23, d)),
  "cmp-aapl-khc-revenue-fy2023/khc_revenue_fy2023": (d) => one(khcRev(d)),
  "cmp-aapl-khc-revenue-fy2023/revenue_multiple": (d) => { const a = fact("AAPL", REV, AAPL23, d), k = khcRev(d); return { value: a.value / k.value, ...of(a, k) }; },
  "cmp-ua-khc-gross-margin/ua_gross_margin": uaGross,
  "cmp-ua-khc-gross-margin/khc_gross_margin": khcGross,
  "cmp-ua-khc-gross-margin/gross_margin_gap": (d) => diff(uaGross(d), khcGross(d)),
};

const ACCN = /\b\d{10}-\d{2}-\d{6}\b/g;
const within = (got: number, n: EvalCase["expected"]["numbers"][number]) =>
  Math.abs(got - n.value) <= (n.tolerance.abs ?? -1) || Math.abs(got - n.value) <= (n.tolerance.rel ?? -1) * Math.abs(n.value);

function ownCases(): EvalCase[] {
  const ids = new Set(FILES.flatMap((f) => readFileSync(join(import.meta.dirname, "cases", `${f}.jsonl`), "utf8").split("\n").filter((l) => l.trim()).map((l) => (JSON.parse(l) as { id: string }).id)));
  return loadCases().filter((c) => ids.has(c.id));
}

describe("fundamentals and comparison cases: schema", () => {
  it("loadCases parses both files; at least 18 fundamentals and 6 comparison cases; every number has a recipe", () => {
    const cases = ownCases();
    const fundamentals = cases.filter((c) => c.category === "fundamentals");
    const comparison = cases.filter((c) => c.category === "comparison");
    expect(fundamentals.length).toBeGreaterThanOrEqual(18);
    expect(comparison.length).toBeGreaterThanOrEqual(6);
    expect(fundamentals.length + comparison.length).toBe(cases.length);
    const keys = cases.flatMap((c) => c.expected.numbers.map((n) => `${c.id}/${n.id}`));
    expect(keys.sort()).toEqual(Object.keys(RECIPES).sort());
    for (const c of cases) {
      expect(c.tools.forbidden, c.id).toContain("propose_order");
      expect(c.tools.required.length, c.id).toBeGreaterThan(0);
      for (const t of c.tools.required) expect(c.scripted.steps.map((s) => s.tool), c.id).toContain(t);
      expect(c.rubric.some((r) => r.forbid && r.mustPass && /guaranteed/.test(r.pattern ?? "")), c.id).toBe(true);
      for (const r of c.rubric) if (r.pattern) expect(() => new RegExp(r.pattern!, "iu"), `${c.id}/${r.id}`).not.toThrow();
      // Every placeholder of the scripted answer is captured by some step.
      const captured = new Set(c.scripted.steps.flatMap((s) => Object.keys(s.capture)));
      for (const [, k] of c.scripted.answer.matchAll(/\{(\w+)\}/g)) expect(captured.has(k!), `${c.id}: {${k}} not captured`).toBe(true);
    }
  });
});

// Without the fixtures this block is skipped; its title says where they were looked for.
describe.skipIf(!HAS_FIXTURES)(`fundamentals and comparison cases: every expected number recomputed from the raw SEC fixtures (at ${FIXTURES})`, () => {
  if (!HAS_FIXTURES) return;
  for (const c of ownCases()) {
    it(`${c.id}`, () => {
      const asOf = c.asOf.slice(0, 10);
      for (const n of c.expected.numbers) {
        const recipe = RECIPES[`${c.id}/${n.id}`];
        expect(recipe, `${c.id}/${n.id} has no recipe`).toBeDefined();
        const got = recipe!(asOf);
        expect(within(got.value, n), `${c.id}/${n.id}: fixtures give ${got.value}, case says ${n.value}`).toBe(true);
        // The accessions named in the source are exactly the filings the inputs came from.
        const named = [...new Set(n.source.match(ACCN) ?? [])];
        for (const a of got.accns) expect(named, `${c.id}/${n.id}: source must name ${a}`).toContain(a);
        if (got.accns.length === 1) expect(named[0], `${c.id}/${n.id}: the first accession named is the fact's`).toBe(got.accns[0]);
        for (const t of got.tags) expect(n.source, `${c.id}/${n.id}: source must name tag ${t}`).toContain(t);
        // A number read from filings names the fixture file it came from (differences of two numbers name only their accessions).
        if (got.tags.length > 0) expect(n.source, `${c.id}/${n.id}: source names the fixture file`).toMatch(/companyfacts\/CIK\d{10}\.json/);
      }
    });
  }
});
