/**
 * Fundamental factors (margins, growth, returns, leverage, liquidity, cash flow and, with a
 * price, valuation) from normalised statements. Every factor lists the filed values it was
 * computed from; a factor that cannot be computed meaningfully is null with a note. Pure:
 * no I/O, no clock.
 */
import { ArgusError } from "../../core/errors.js";
import { filingUrl, lineItem, type Column, type Statement } from "../statements/index.js";
import {
  cellAmount,
  cellAt,
  combine,
  dayNumber,
  durationFact,
  findColumn,
  inputFromFact,
  instantFact,
  isoFromDay,
  known,
  missing,
  periodOf,
  uniq,
  type Amount,
} from "./inputs.js";
import { annualWindow, ttmWindow, type FlowWindow } from "./periods.js";
import { sharesOutstanding } from "./shares.js";
import type { Factor, FactorInput, FactorOptions, FactorReport, FactorSource } from "./types.js";

export type * from "./types.js";
export { formatFactorTable, formatFactorValue } from "./format.js";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How line items read in notes (others: their catalog label). */
const WHAT: Record<string, string> = {
  epsDiluted: "diluted EPS",
  epsBasic: "basic EPS",
  netIncome: "net income",
  freeCashFlow: "free cash flow",
  stockholdersEquity: "stockholders' equity",
  totalEquity: "total equity",
  depreciationAmortization: "depreciation and amortization",
  sharesDiluted: "weighted diluted shares",
};

/** The weighted share count behind each per-share item. */
const SHARES_FOR: Record<string, string> = { epsDiluted: "sharesDiluted", epsBasic: "sharesBasic" };
/** Share counts of the periods in one per-share sum differing by more than this suggest a split. */
const SPLIT_RATIO = 1.3;

/** Tags of the long-term-debt line item whose value already includes current maturities. */
const LTD_INCLUDES_CURRENT = new Set(["LongTermDebt"]);
const CURRENT_MATURITY_TAGS = ["LongTermDebtCurrent", "LongTermDebtAndCapitalLeaseObligationsCurrent"];
/** ShortTermBorrowings usually includes commercial paper, so CommercialPaper is only a fallback. */
const SHORT_TERM_TAGS = ["ShortTermBorrowings", "CommercialPaper"];

function validate(opts: FactorOptions): void {
  if (opts.basis !== "annual" && opts.basis !== "ttm") {
    throw new ArgusError("INVALID_INPUT", `basis must be "annual" or "ttm", got ${JSON.stringify(opts.basis)}`);
  }
  if (opts.asOf !== undefined && (!ISO_DATE.test(opts.asOf) || isoFromDay(dayNumber(opts.asOf)) !== opts.asOf)) {
    throw new ArgusError("INVALID_INPUT", `asOf must be an ISO date YYYY-MM-DD, got ${JSON.stringify(opts.asOf)}`);
  }
  const p = opts.price;
  if (p !== undefined) {
    if (!Number.isFinite(p.price) || p.price <= 0) {
      throw new ArgusError("INVALID_INPUT", `price for ${p.symbol} must be a positive number, got ${String(p.price)}`);
    }
    if (Number.isNaN(Date.parse(p.asOf))) {
      throw new ArgusError("INVALID_INPUT", `price asOf must be an ISO instant, got ${JSON.stringify(p.asOf)}`);
    }
  }
}

function fmtNum(v: number): string {
  return Math.abs(v) >= 1e6 ? `${(v / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1 })}M` : String(v);
}

/** num / den × scale; null with a note when the denominator is zero or negative. */
function ratio(
  num: Amount,
  den: Amount,
  o: { what: string; notMeaningful: string; scale?: number; negative?: (v: number) => string },
): Amount {
  const scale = o.scale ?? 1;
  const c = combine([num, den], ([n, d]) => (n! / d!) * scale);
  if (c.value === null) return c;
  const d = den.value!;
  if (d === 0) return { value: null, inputs: c.inputs, notes: [`${o.what} is zero: ${o.notMeaningful}`] };
  if (d < 0) {
    return { value: null, inputs: c.inputs, notes: [o.negative ? o.negative(d) : `${o.what} is negative (${fmtNum(d)}): ${o.notMeaningful}`] };
  }
  return c;
}

function growth(cur: Amount, prior: Amount, what: string): Amount {
  const c = combine([cur, prior], ([a, b]) => (a! / b! - 1) * 100);
  if (c.value === null) return c;
  const b = prior.value!;
  if (b === 0) return { value: null, inputs: c.inputs, notes: [`prior-period ${what} is zero: growth not meaningful`] };
  if (b < 0) return { value: null, inputs: c.inputs, notes: [`prior-period ${what} is negative (${fmtNum(b)}): growth not meaningful`] };
  return c;
}

function cagr(cur: Amount, old: Amount, years: number, what: string): Amount {
  const c = combine([cur, old], ([a, b]) => ((a! / b!) ** (1 / years) - 1) * 100);
  if (c.value === null) return c;
  if (old.value! <= 0) return { value: null, inputs: c.inputs, notes: [`${what} ${years} years earlier is not positive: CAGR not meaningful`] };
  if (cur.value! <= 0) return { value: null, inputs: c.inputs, notes: [`latest ${what} is not positive: CAGR not meaningful`] };
  return c;
}

/**
 * Factors for the latest fiscal year (basis "annual") or the trailing four quarters ("ttm")
 * of statements built by buildAllStatements with the same asOf. Balance-sheet factors use
 * the balance sheet at the period end; extra tags (current debt, share counts) are read
 * from `facts` filed on or before asOf. Throws INVALID_INPUT for bad options and NO_DATA
 * when there is no fiscal year (or quarter) at all.
 */
export function computeFactors(opts: FactorOptions): FactorReport {
  validate(opts);
  const st = opts.statements;
  const facts = opts.facts;
  const asOf = opts.asOf;
  const incA = st.income.annual;
  const incQ = st.income.quarterly;
  const currency = incA.currency;
  const warnings: string[] = [];

  for (const s of [incA, incQ, st.balance.annual, st.cashflow.annual]) {
    if (s.asOf !== asOf) {
      warnings.push(`statements were built as of ${s.asOf ?? "(latest)"} but factors are computed as of ${asOf ?? "(latest)"}`);
      break;
    }
  }
  if (currency !== "USD") warnings.push(`statements are in ${currency}; amounts labelled USD are in ${currency}, and a USD price is not comparable`);

  const w = opts.basis === "annual" ? annualWindow(incA) : ttmWindow(incQ);
  if (!w) {
    throw new ArgusError(
      "NO_DATA",
      `${incA.entityName} has no ${opts.basis === "annual" ? "fiscal-year" : "quarterly"} income statement${asOf !== undefined ? ` filed on or before ${asOf}` : ""}`,
      { cik: incA.cik, basis: opts.basis, ...(asOf !== undefined ? { asOf } : {}) },
    );
  }
  if (w.problem) warnings.push(`TTM not available: ${w.problem}`);
  const priorW = w.quarterly ? ttmWindow(incQ, w.end) : annualWindow(incA, { end: w.end, yearsBack: 1 });

  // ── flows ──
  const labelOf = (item: string): string => {
    const named = WHAT[item];
    if (named) return named;
    const l = lineItem(item)?.label ?? item;
    return /^[A-Z][a-z]/.test(l) ? l[0]!.toLowerCase() + l.slice(1) : l;
  };

  /**
   * Q4 per-share amounts are not derived by the statements (EPS does not add up across
   * quarters). For a TTM sum take FY − 9M year-to-date when the 9M value was reported,
   * else FY − Q1 − Q2 − Q3; either is an approximation, noted.
   */
  const derivedQ4Eps = (c: Column, item: string, name: string, shareCounts: number[]): Amount => {
    const what = labelOf(item);
    const ai = findColumn(incA, c.end, { accept: (x) => x.fiscalPeriod === "FY" });
    const fyCol = incA.columns[ai];
    const fy = cellAt(incA, item, ai);
    const cannot = missing(`no ${what} reported for ${c.label}, and it cannot be derived from the fiscal year and the first three quarters`);
    if (!fy || !fyCol) return cannot;
    const fySrc: FactorSource = { tag: fy.tag, value: fy.value, end: fyCol.end, accn: fy.accn, form: fy.form, filed: fy.filed, url: fy.url };
    if (fyCol.start !== undefined) fySrc.start = fyCol.start;
    const qCols = [1, 2, 3].map((n) => incQ.columns.findIndex((x) => x.fiscalYear === c.fiscalYear && x.fiscalPeriod === `Q${n}`));
    const q3 = incQ.columns[qCols[2]!];
    let srcs: FactorSource[] | undefined;
    let how = "";
    let value = 0;
    const nine = q3 && fyCol.start !== undefined ? durationFact(facts, fy.tag, `${currency}/shares`, fyCol.start, q3.end, asOf) : undefined;
    const sharesItem = SHARES_FOR[item]!;
    const fyShares = cellAt(incA, sharesItem, ai);
    if (fyShares) shareCounts.push(fyShares.value);
    if (nine && fyCol.start !== undefined && q3) {
      const nineShares = durationFact(facts, lineItem(sharesItem)?.tags[0] ?? "", "shares", fyCol.start, q3.end, asOf);
      if (nineShares) shareCounts.push(nineShares.value);
      const f = nine.source;
      srcs = [fySrc, { tag: fy.tag, value: nine.value, start: f.start ?? fyCol.start, end: f.end, accn: f.accn, form: f.form, filed: f.filed, url: filingUrl(facts.cik, f.accn) }];
      value = fy.value - nine.value;
      how = "FY − 9M year-to-date";
    } else {
      const qs = qCols.map((qi) => ({ col: incQ.columns[qi], cell: cellAt(incQ, item, qi) }));
      if (qs.some((q) => !q.cell || !q.col)) return cannot;
      for (const qi of qCols) {
        const n = cellAt(incQ, sharesItem, qi);
        if (n) shareCounts.push(n.value);
      }
      srcs = [
        fySrc,
        ...qs.map(({ col, cell }) => {
          const src: FactorSource = { tag: cell!.tag, value: cell!.value, end: col!.end, accn: cell!.accn, form: cell!.form, filed: cell!.filed, url: cell!.url };
          if (col!.start !== undefined) src.start = col!.start;
          return src;
        }),
      ];
      value = fy.value - qs.reduce((x, q) => x + q.cell!.value, 0);
      how = "FY − Q1 − Q2 − Q3";
    }
    value = Math.round(value * 1e6) / 1e6;
    let latest = srcs[0]!;
    for (const x of srcs) if (x.filed > latest.filed) latest = x;
    const input: FactorInput = {
      name,
      value,
      period: periodOf(c),
      tag: `${fy.tag} (${how})`,
      accn: latest.accn,
      form: latest.form,
      filed: latest.filed,
      url: latest.url,
      derived: true,
      derivedFrom: srcs,
    };
    return known(value, [input], [`${c.label} ${what} is not reported; taken as ${how} (approximate: per-share amounts do not add up exactly)`]);
  };

  const flow = (win: FlowWindow | undefined, item: string, name = item): Amount => {
    const what = labelOf(item);
    if (!win) return missing(`no comparable period for ${what}`);
    if (win.problem) return missing(win.problem);
    const kind = lineItem(item)?.kind ?? "income";
    const s: Statement = st[kind][win.quarterly ? "quarterly" : "annual"];
    const perShare = SHARES_FOR[item] !== undefined && win.quarterly;
    const shareCounts: number[] = [];
    const parts = win.columns.map((c) => {
      const i = findColumn(s, c.end, c.start !== undefined ? { start: c.start } : {});
      const a = i >= 0 ? cellAmount(s, item, i, name, what) : missing(`no ${what} reported for ${c.label}`);
      if (!perShare) return a;
      const n = cellAt(s, SHARES_FOR[item]!, i);
      if (n) shareCounts.push(n.value);
      return a.value === null && c.fiscalPeriod === "Q4" ? derivedQ4Eps(c, item, name, shareCounts) : a;
    });
    const sum = combine(parts, (vs) => vs.reduce((x, y) => x + y, 0));
    if (sum.value === null || lineItem(item)?.unit !== "perShare") return sum;
    sum.value = Math.round(sum.value * 1e6) / 1e6;
    if (!perShare || shareCounts.length < 2) return sum;
    const lo = Math.min(...shareCounts);
    const hi = Math.max(...shareCounts);
    if (lo > 0 && hi / lo <= SPLIT_RATIO) return sum;
    return perShareFromNetIncome(win, item, name, `weighted shares range from ${fmtNum(lo)} to ${fmtNum(hi)} across the quarters summed (a stock split?), so their ${what} are on different bases`);
  };

  /** The weighted share count of a window's newest period (a Q4 without one: the fiscal year's). */
  const shareBasis = (win: FlowWindow, sharesItem: string): Amount => {
    const newest = win.columns[0]!;
    const s = win.quarterly ? incQ : incA;
    const i = findColumn(s, newest.end, newest.start !== undefined ? { start: newest.start } : {});
    const n = cellAmount(s, sharesItem, i, `${sharesItem} (${newest.label})`, labelOf(sharesItem));
    if (n.value !== null || !win.quarterly) return n;
    const ai = findColumn(incA, newest.end, { accept: (x) => x.fiscalPeriod === "FY" });
    return ai >= 0 ? cellAmount(incA, sharesItem, ai, `${sharesItem} (${incA.columns[ai]!.label})`, labelOf(sharesItem)) : n;
  };

  /** TTM per-share value as TTM net income / the newest quarter's weighted share count (used when quarters' share bases differ). */
  const perShareFromNetIncome = (win: FlowWindow, item: string, name: string, why: string): Amount => {
    const n = shareBasis(win, SHARES_FOR[item]!);
    const ni = flow(win, "netIncome", `netIncome (for ${name})`);
    const r = combine([ni, n], ([a, b]) => a! / b!);
    if (r.value === null || n.value === 0) return { value: null, inputs: r.inputs, notes: [`${why}; TTM net income / weighted shares is not available either`] };
    return { value: r.value, inputs: r.inputs, notes: [`${why}: taken as TTM net income / weighted shares of ${win.columns[0]!.label} instead`] };
  };

  // ── balance sheet ──
  const balanceOrder: Statement[] = w.quarterly ? [st.balance.quarterly, st.balance.annual] : [st.balance.annual, st.balance.quarterly];
  const balanceColumn = (date: string, tol = 3): { s: Statement; i: number } | undefined => {
    for (const s of balanceOrder) {
      const i = findColumn(s, date, { tol });
      if (i >= 0) return { s, i };
    }
    return undefined;
  };
  const closingCol = balanceColumn(w.end);
  const balanceDate = closingCol ? closingCol.s.columns[closingCol.i]!.end : null;
  const balanceLabel = closingCol ? closingCol.s.columns[closingCol.i]!.label : "";
  if (balanceDate === null) warnings.push(`no balance sheet at the period end ${w.end}`);
  const openingDate = w.start !== undefined ? isoFromDay(dayNumber(w.start) - 1) : undefined;
  const openingCol = openingDate !== undefined ? balanceColumn(openingDate, 4) : undefined;

  const balanceAt = (at: { s: Statement; i: number } | undefined, date: string | undefined, item: string, name: string): Amount => {
    const what = labelOf(item);
    if (!at) return missing(`no balance sheet at ${date ?? "the period end"}`);
    for (const s of balanceOrder) {
      const i = findColumn(s, at.s.columns[at.i]!.end, { tol: 3 });
      const a = cellAmount(s, item, i, name, what);
      if (a.value !== null) return a;
    }
    return missing(`no ${what} reported at ${at.s.columns[at.i]!.end}`);
  };
  const closing = (item: string, name = item): Amount => balanceAt(closingCol, w.end, item, name);

  const averaged = (item: string): Amount => {
    const what = labelOf(item);
    const c = balanceAt(closingCol, w.end, item, `${item} (closing)`);
    if (c.value === null) return c;
    const o = balanceAt(openingCol, openingDate, item, `${item} (opening)`);
    const cDate = balanceDate!;
    if (o.value !== null) {
      const oDate = o.inputs[0]!.period.end;
      return known((o.value + c.value) / 2, [...o.inputs, ...c.inputs], [`average of opening (${oDate}) and closing (${cDate}) ${what}`]);
    }
    return known(c.value, c.inputs, [`closing ${what} (${cDate}) only: no opening balance at ${openingDate ?? "the period start"}`]);
  };

  /** A value read straight from the facts at the balance date, as of asOf. */
  const factAtBalance = (tag: string): Amount | undefined => {
    if (balanceDate === null) return undefined;
    const p = instantFact(facts, tag, currency, balanceDate, asOf);
    return p ? known(p.value, [inputFromFact(facts, tag, tag, p, { label: balanceLabel, end: balanceDate })]) : undefined;
  };

  // total debt = long-term debt + current debt from the facts
  const debt = ((): { amount: Amount; formula: string } => {
    const generic = "longTermDebt + current debt (DebtCurrent, or current maturities LongTermDebtCurrent + ShortTermBorrowings or CommercialPaper)";
    if (balanceDate === null) return { amount: missing(`no balance sheet at ${w.end}`), formula: generic };
    const ltd = closing("longTermDebt");
    const ltdTag = ltd.inputs[0]?.tag;
    const parts: Amount[] = [];
    const terms: string[] = [];
    const notes: string[] = [];
    if (ltd.value !== null) {
      parts.push(ltd);
      terms.push(`longTermDebt [${ltdTag}]`);
    }
    const firstOf = (tags: string[]): boolean => {
      for (const t of tags) {
        const a = factAtBalance(t);
        if (a) {
          parts.push(a);
          terms.push(t);
          return true;
        }
      }
      return false;
    };
    if (ltdTag !== undefined && LTD_INCLUDES_CURRENT.has(ltdTag)) {
      notes.push(`${ltdTag} already includes current maturities`);
      firstOf(SHORT_TERM_TAGS);
    } else if (!firstOf(["DebtCurrent"])) {
      firstOf(CURRENT_MATURITY_TAGS);
      firstOf(SHORT_TERM_TAGS);
    }
    if (parts.length === 0) {
      const none = `no debt reported at ${balanceDate} (none of the long-term debt tags, DebtCurrent, ${[...CURRENT_MATURITY_TAGS, ...SHORT_TERM_TAGS].join(", ")}): the company may have no debt`;
      return { amount: missing(none), formula: generic };
    }
    if (ltd.value === null) notes.push(`no long-term debt reported at ${balanceDate}: total debt is current debt only`);
    const sum = combine(parts, (vs) => vs.reduce((x, y) => x + y, 0));
    sum.notes = uniq([...notes, ...sum.notes]);
    return { amount: sum, formula: terms.join(" + ") };
  })();

  // ── factors ──
  const factors: Factor[] = [];
  const price = opts.price;
  /** Append a factor; the amount is returned so later factors can build on it. */
  const add = (def: Pick<Factor, "id" | "label" | "group" | "unit" | "formula" | "period">, a: Amount, usesPrice = false): Amount => {
    const f: Factor = { ...def, value: a.value !== null && Number.isFinite(a.value) ? a.value : null, inputs: a.inputs };
    if (usesPrice && price) f.price = price;
    const notes = uniq(a.notes);
    if (notes.length > 0) f.note = notes.join("; ");
    else if (f.value === null) f.note = "not computable from the reported values";
    factors.push(f);
    return a;
  };
  const P = w.label;
  const ttm = w.quarterly ? "TTM " : "";
  const pct = { scale: 100 };
  const negativeEquity = (what: string) => (v: number) => `negative stockholders' equity (${fmtNum(v)}): ${what} not meaningful`;

  // profitability
  const revenue = flow(w, "revenue");
  const margin = (num: Amount): Amount => ratio(num, revenue, { what: "revenue", notMeaningful: "margin not meaningful", ...pct });
  const opInc = flow(w, "operatingIncome");
  const netIncome = flow(w, "netIncome");
  const eps = flow(w, "epsDiluted");
  const profitability = { group: "profitability", period: P } as const;
  add({ ...profitability, id: "grossMargin", label: "Gross margin", unit: "percent", formula: `${ttm}grossProfit / ${ttm}revenue` }, margin(flow(w, "grossProfit")));
  add({ ...profitability, id: "operatingMargin", label: "Operating margin", unit: "percent", formula: `${ttm}operatingIncome / ${ttm}revenue` }, margin(opInc));
  add({ ...profitability, id: "netMargin", label: "Net margin", unit: "percent", formula: `${ttm}netIncome / ${ttm}revenue` }, margin(netIncome));
  add({ ...profitability, id: "epsDiluted", label: "Diluted EPS", unit: "USD/share", formula: w.quarterly ? "sum of 4 quarters' diluted EPS" : "diluted EPS" }, eps);
  const ebitda = add(
    { ...profitability, id: "ebitda", label: "EBITDA", unit: "USD", formula: `${ttm}operatingIncome + ${ttm}depreciationAmortization` },
    combine([opInc, flow(w, "depreciationAmortization")], ([a, b]) => a! + b!),
  );

  // growth
  const growthDef = { group: "growth", unit: "percent", period: priorW ? `${P} vs ${priorW.label}` : `${P} vs a year earlier` } as const;
  const prior = (item: string): Amount =>
    priorW && !priorW.problem
      ? flow(priorW, item, `${item} (prior)`)
      : missing(priorW?.problem ?? `no ${w.quarterly ? "TTM period" : "fiscal year"} ending about a year before ${w.end} to compare ${labelOf(item)} with`);
  add({ ...growthDef, id: "revenueGrowth", label: "Revenue growth YoY", formula: `${ttm}revenue / prior ${ttm}revenue − 1` }, growth(revenue, prior("revenue"), "revenue"));
  add({ ...growthDef, id: "netIncomeGrowth", label: "Net income growth YoY", formula: `${ttm}netIncome / prior ${ttm}netIncome − 1` }, growth(netIncome, prior("netIncome"), "net income"));
  const epsGrowth = ((): Amount => {
    const g = growth(eps, prior("epsDiluted"), "diluted EPS");
    if (g.value === null || !priorW) return g;
    const now = shareBasis(w, "sharesDiluted").value;
    const then = shareBasis(priorW, "sharesDiluted").value;
    if (now === null || then === null || now <= 0 || then <= 0 || Math.max(now / then, then / now) <= SPLIT_RATIO) return g;
    const why = `weighted diluted shares went from ${fmtNum(then)} (${priorW.label}) to ${fmtNum(now)} (${P}) (a stock split?): EPS on different bases, growth not meaningful`;
    return { value: null, inputs: g.inputs, notes: [why] };
  })();
  add({ ...growthDef, id: "epsGrowth", label: "Diluted EPS growth YoY", formula: `${ttm}epsDiluted / prior ${ttm}epsDiluted − 1` }, epsGrowth);
  const lastFy = w.quarterly ? annualWindow(incA) : w;
  for (const years of [3, 5]) {
    const old = lastFy ? annualWindow(incA, { end: lastFy.end, yearsBack: years }) : undefined;
    const a = !lastFy
      ? missing("no fiscal year reported")
      : !old
        ? missing(`no fiscal year ending about ${years} years before ${lastFy.label} (${lastFy.end})`)
        : cagr(flow(lastFy, "revenue", "revenue (latest FY)"), flow(old, "revenue", `revenue (${years} years earlier)`), years, "revenue");
    add(
      {
        id: `revenueCagr${years}y`,
        label: `Revenue CAGR ${years}y`,
        group: "growth",
        unit: "percent",
        formula: `(revenue FY / revenue FY−${years})^(1/${years}) − 1`,
        period: lastFy && old ? `${old.label}→${lastFy.label}` : lastFy?.label ?? P,
      },
      a,
    );
  }

  // returns
  const returns = { group: "returns", unit: "percent", period: P } as const;
  add(
    { ...returns, id: "roe", label: "Return on equity", formula: `${ttm}netIncome / average stockholdersEquity (opening, closing)` },
    ratio(netIncome, averaged("stockholdersEquity"), { what: "stockholders' equity", notMeaningful: "ROE not meaningful", negative: negativeEquity("ROE"), ...pct }),
  );
  add(
    { ...returns, id: "roa", label: "Return on assets", formula: `${ttm}netIncome / average totalAssets (opening, closing)` },
    ratio(netIncome, averaged("totalAssets"), { what: "total assets", notMeaningful: "ROA not meaningful", ...pct }),
  );

  // leverage & liquidity (balance sheet at the period end)
  const at = balanceDate ?? w.end;
  const equity = closing("stockholdersEquity");
  add({ id: "totalDebt", label: "Total debt", group: "leverage", unit: "USD", formula: debt.formula, period: at }, debt.amount);
  add(
    { id: "debtToEquity", label: "Debt to equity", group: "leverage", unit: "ratio", formula: `totalDebt / stockholdersEquity; totalDebt = ${debt.formula}`, period: at },
    ratio(debt.amount, equity, { what: "stockholders' equity", notMeaningful: "D/E not meaningful", negative: negativeEquity("D/E") }),
  );
  add(
    { id: "currentRatio", label: "Current ratio", group: "liquidity", unit: "ratio", formula: "currentAssets / currentLiabilities", period: at },
    ratio(closing("currentAssets"), closing("currentLiabilities"), { what: "current liabilities", notMeaningful: "current ratio not meaningful" }),
  );

  // cash flow
  const fcf = flow(w, "freeCashFlow");
  add({ id: "freeCashFlow", label: "Free cash flow", group: "cashflow", unit: "USD", formula: `${ttm}operatingCashFlow − ${ttm}capitalExpenditures`, period: P }, fcf);
  add({ id: "fcfMargin", label: "FCF margin", group: "cashflow", unit: "percent", formula: `${ttm}freeCashFlow / ${ttm}revenue`, period: P }, margin(fcf));

  // valuation
  const priceDate = price?.asOf.slice(0, 10);
  const priceAmt: Amount = price ? known(price.price, []) : missing(opts.missingPriceNote ?? "no price given: valuation factors need a market price");
  if (price?.synthetic) warnings.push(`the price of ${price.symbol} is synthetic (${price.source}): valuation factors are not real`);
  if (priceDate !== undefined && asOf !== undefined && priceDate > asOf) warnings.push(`the price is dated ${priceDate}, after asOf ${asOf}`);
  if (priceDate !== undefined && balanceDate !== null && priceDate < balanceDate) {
    warnings.push(`the price is dated ${priceDate}, before the balance sheet date ${balanceDate}`);
  }

  const periodShares = shareBasis(w, "sharesDiluted");
  const { amount: shares, source: sharesSource } = sharesOutstanding(facts, asOf, balanceDate, () => periodShares);
  if (shares.value !== null && periodShares.value !== null && periodShares.value > 0 && sharesSource !== "weighted-average diluted shares") {
    const r = shares.value / periodShares.value;
    if (Math.max(r, 1 / r) > SPLIT_RATIO) {
      warnings.push(
        `shares outstanding (${fmtNum(shares.value)}) differ from ${P}'s weighted diluted shares (${fmtNum(periodShares.value)}) by a factor of ${r.toFixed(2)}: ` +
          "a stock split or a large issuance or buyback; per-share values and the price may be on different bases",
      );
    }
  }
  const sharesAt = shares.inputs[0]?.period.end ?? at;
  add(
    {
      id: "sharesOutstanding",
      label: "Shares outstanding",
      group: "valuation",
      unit: "shares",
      formula: "dei:EntityCommonStockSharesOutstanding (classes summed), else us-gaap:CommonStockSharesOutstanding, else weighted diluted shares",
      period: sharesAt,
    },
    shares.value !== null && shares.notes.length === 0 ? { ...shares, notes: [sharesSource] } : shares,
  );
  const pricePeriod = price ? `price ${priceDate}` : "no price";
  const valuation = { group: "valuation" } as const;
  const mcap = add(
    { ...valuation, id: "marketCap", label: "Market capitalisation", unit: "USD", formula: "price × sharesOutstanding", period: `${pricePeriod}; shares ${sharesAt}` },
    combine([priceAmt, shares], ([p, n]) => p! * n!),
    true,
  );
  add(
    { ...valuation, id: "pe", label: "P/E", unit: "multiple", formula: w.quarterly ? "price / TTM diluted EPS (sum of 4 quarters)" : "price / diluted EPS", period: `${pricePeriod}; ${P}` },
    ratio(priceAmt, eps, { what: "diluted EPS", notMeaningful: "P/E not meaningful", negative: (v) => `negative earnings (diluted EPS ${v}): P/E not meaningful` }),
    true,
  );
  add(
    { ...valuation, id: "pb", label: "P/B", unit: "multiple", formula: "marketCap / stockholdersEquity", period: `${pricePeriod}; ${at}` },
    ratio(mcap, equity, { what: "stockholders' equity", notMeaningful: "P/B not meaningful", negative: negativeEquity("P/B") }),
    true,
  );
  add(
    { ...valuation, id: "ps", label: "P/S", unit: "multiple", formula: `marketCap / ${ttm}revenue`, period: `${pricePeriod}; ${P}` },
    ratio(mcap, revenue, { what: "revenue", notMeaningful: "P/S not meaningful" }),
    true,
  );
  const sti = closing("shortTermInvestments");
  const stiOrZero = sti.value !== null ? sti : known(0, [], [`no short-term investments reported at ${at}: taken as 0`]);
  const ev = add(
    {
      ...valuation,
      id: "enterpriseValue",
      label: "Enterprise value",
      unit: "USD",
      formula: `marketCap + totalDebt − cash − shortTermInvestments; totalDebt = ${debt.formula}`,
      period: `${pricePeriod}; ${at}`,
    },
    combine([mcap, debt.amount, closing("cash"), stiOrZero], ([m, d, c, i]) => m! + d! - c! - i!),
    true,
  );
  add(
    { ...valuation, id: "evToEbitda", label: "EV/EBITDA", unit: "multiple", formula: `enterpriseValue / ${ttm}EBITDA (operatingIncome + depreciationAmortization)`, period: `${pricePeriod}; ${P}` },
    ratio(ev, ebitda, { what: "EBITDA", notMeaningful: "EV/EBITDA not meaningful", negative: (v) => `negative EBITDA (${fmtNum(v)}): EV/EBITDA not meaningful` }),
    true,
  );
  add(
    { ...valuation, id: "fcfYield", label: "FCF yield", unit: "percent", formula: `${ttm}freeCashFlow / marketCap`, period: `${pricePeriod}; ${P}` },
    ratio(fcf, mcap, { what: "market capitalisation", notMeaningful: "FCF yield not meaningful", ...pct }),
    true,
  );

  const period: FactorReport["period"] = { label: w.label, end: w.end };
  if (w.start !== undefined) period.start = w.start;
  const report: FactorReport = {
    cik: incA.cik,
    entityName: incA.entityName,
    basis: opts.basis,
    period,
    balanceDate,
    currency,
    factors,
    warnings,
  };
  if (asOf !== undefined) report.asOf = asOf;
  if (price) report.price = price;
  return report;
}
