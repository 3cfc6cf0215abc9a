import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EDGAR_FIXTURES, HAS_EDGAR_FIXTURES } from "../../../test/support/fake-sec.js";
import { isArgusError } from "../../core/errors.js";
import { dayNumber } from "../../data/calendar/dates.js";
import { parseOwnershipDocument } from "../forms/ownership.js";
import { parseFilingColumns, type Filing } from "../submissions/submissions.js";
import { describeEightKItem, EIGHT_K_ITEMS, parseEightKItems } from "./eight-k-items.js";
import { clusterScore } from "./insider-clusters.js";
import {
  decayedScore,
  filingSignals,
  formatSignalTable,
  signalInsiderTransactions,
  SIGNAL_KINDS,
  type FilingSignal,
  type FilingSignalsResult,
  type SignalInsiderTransaction,
  type SignalKind,
} from "./signals.js";

if (!HAS_EDGAR_FIXTURES) console.warn(`Skipping filing-signal fixture tests: ${EDGAR_FIXTURES} is absent.`);

// ---------------------------------------------------------------------------------------
// Helpers

const KRAFT = "0001637459";
const APPLE = "0000320193";
const UNDER_ARMOUR = "0001336917";
const MICROSOFT = "0000789019";
const COCA_COLA = "0000021344";
const WALMART = "0000104169";
const COSTCO = "0000909832";
const ALL_CIKS = [COCA_COLA, "0000050863", WALMART, APPLE, MICROSOFT, COSTCO, UNDER_ARMOUR, KRAFT];

const filingsCache = new Map<string, Filing[]>();
function fixtureFilings(cik: string): Filing[] {
  let f = filingsCache.get(cik);
  if (!f) {
    const doc = JSON.parse(readFileSync(join(EDGAR_FIXTURES, "submissions", `CIK${cik}.json`), "utf8")) as { filings: { recent: unknown } };
    f = parseFilingColumns(doc.filings.recent, cik);
    filingsCache.set(cik, f);
  }
  return f;
}

const accessionsOf = (s: FilingSignal): string[] => s.filings.map((f) => f.accessionNumber);

/** The signal whose key filing is `accession` (and item, for 8-Ks with several). */
function signalFor(r: FilingSignalsResult, accession: string, item?: string): FilingSignal {
  const found = r.signals.filter((s) => s.filings[0]?.accessionNumber === accession && (item === undefined || s.item === item));
  expect(found, `signals keyed by ${accession}${item ? ` item ${item}` : ""}`).toHaveLength(1);
  return found[0] as FilingSignal;
}

const keyed = (r: FilingSignalsResult, kind: SignalKind): string[] =>
  r.signals
    .filter((s) => s.kind === kind)
    .map((s) => s.filings[0]?.accessionNumber ?? "")
    .sort();

/** Invariants every result must satisfy. */
function expectWellFormed(r: FilingSignalsResult): void {
  const asOfDay = dayNumber(r.asOf);
  for (const s of r.signals) {
    expect(s.date <= r.asOf && s.date >= r.from, `${s.title} dated ${s.date}`).toBe(true);
    expect(s.ageDays).toBe(asOfDay - dayNumber(s.date));
    for (const f of s.filings) expect(f.filingDate <= r.asOf, `${f.accessionNumber} filed ${f.filingDate} after asOf ${r.asOf}`).toBe(true);
    expect(s.score).toBe(decayedScore(s.baseScore, s.ageDays));
    expect(s.score).toBeGreaterThan(0);
    expect(s.baseScore).toBeLessThanOrEqual(100);
    expect(Math.abs(s.direction)).toBeLessThanOrEqual(1);
    expect(s.filings.length).toBeGreaterThan(0);
  }
  for (let i = 1; i < r.signals.length; i++) expect((r.signals[i - 1] as FilingSignal).score).toBeGreaterThanOrEqual((r.signals[i] as FilingSignal).score);
  const counts = Object.fromEntries(SIGNAL_KINDS.map((k) => [k, r.signals.filter((s) => s.kind === k).length]));
  expect(r.counts).toEqual(counts);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
}

function run(cik: string, asOf: string, windowDays?: number): FilingSignalsResult {
  const r = filingSignals({ filings: fixtureFilings(cik), asOf, windowDays });
  expectWellFormed(r);
  return r;
}

// ---------------------------------------------------------------------------------------
// 8-K items

describe("8-K items", () => {
  it("lists every current Form 8-K item, 1.01 through 9.01", () => {
    expect(Object.keys(EIGHT_K_ITEMS).sort()).toEqual(
      [
        ...["1.01", "1.02", "1.03", "1.04", "1.05"],
        ...["2.01", "2.02", "2.03", "2.04", "2.05", "2.06"],
        ...["3.01", "3.02", "3.03"],
        ...["4.01", "4.02"],
        ...["5.01", "5.02", "5.03", "5.04", "5.05", "5.06", "5.07", "5.08"],
        ...["6.01", "6.02", "6.03", "6.04", "6.05", "6.06"],
        ...["7.01", "8.01", "9.01"],
      ].sort(),
    );
    expect(EIGHT_K_ITEMS["1.05"]?.title).toBe("Material Cybersecurity Incidents");
    expect(EIGHT_K_ITEMS["4.02"]?.title).toMatch(/^Non-Reliance on Previously Issued Financial Statements/);
    // Severity order the rules promise.
    const score = (i: string): number => EIGHT_K_ITEMS[i]?.score ?? -1;
    expect(score("1.03")).toBeGreaterThan(score("4.02"));
    expect(score("4.02")).toBeGreaterThan(score("2.06"));
    expect(score("2.06")).toBeGreaterThan(score("2.02"));
    expect(score("4.01")).toBeGreaterThan(score("5.02"));
    expect(score("9.01")).toBe(0);
    expect(EIGHT_K_ITEMS["2.02"]?.direction).toBe(0);
  });

  it("parses item lists and maps pre-2004 codes at half weight", () => {
    expect(parseEightKItems("2.02,9.01")).toEqual(["2.02", "9.01"]);
    expect(parseEightKItems(" Item 4.02 , 9.01,,4.02")).toEqual(["4.02", "9.01"]);
    expect(parseEightKItems(null)).toEqual([]);
    const legacy = describeEightKItem("4");
    expect(legacy).toMatchObject({ legacy: true, known: true, title: "Changes in Registrant's Certifying Accountant", score: 25 });
    expect(describeEightKItem("4.01")).toMatchObject({ legacy: false, score: 50 });
    expect(describeEightKItem("13")).toMatchObject({ known: false, score: 0 });
  });

  it.skipIf(!HAS_EDGAR_FIXTURES)("knows every item code that appears in the fixtures' 8-Ks", () => {
    const unknown = new Set<string>();
    let seen = 0;
    for (const cik of ALL_CIKS) {
      for (const f of fixtureFilings(cik)) {
        if (!f.form.startsWith("8-K")) continue;
        for (const item of parseEightKItems(f.items)) {
          seen += 1;
          if (!describeEightKItem(item).known) unknown.add(`${cik} ${f.accessionNumber} ${item}`);
        }
      }
    }
    expect(seen).toBeGreaterThan(4000);
    expect([...unknown]).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Real filings

describe.skipIf(!HAS_EDGAR_FIXTURES)("filing signals on real submissions", () => {
  it("Kraft Heinz 2017: 8-K item 4.02 and the two 10-Q/As filed the next day are restatements", () => {
    const r = run(KRAFT, "2017-12-31");
    expect(keyed(r, "restatement")).toEqual(["0001193125-17-334467", "0001637459-17-000116", "0001637459-17-000117"]);
    expect(r.counts.amendment).toBe(0);
    const notice = signalFor(r, "0001193125-17-334467", "4.02");
    expect(notice).toMatchObject({ kind: "restatement", direction: -1, baseScore: 95, date: "2017-11-06" });
    expect(accessionsOf(notice)).toEqual(["0001193125-17-334467", "0001637459-17-000116", "0001637459-17-000117"]);
    const q2 = signalFor(r, "0001637459-17-000117");
    expect(q2).toMatchObject({ kind: "restatement", baseScore: 75, direction: -0.8, date: "2017-11-07" });
    expect(q2.filings[0]).toMatchObject({ form: "10-Q/A", reportDate: "2017-07-01" });
    expect(accessionsOf(q2)).toEqual(["0001637459-17-000117", "0001193125-17-334467"]);
    expect(q2.detail).toMatch(/1 days before it|1 day/);
    // The notice outranks the restated reports it led to.
    expect(notice.score).toBeGreaterThan(q2.score);
  });

  it("no look-ahead: on the day of Kraft Heinz's 4.02 notice the next day's 10-Q/As are nowhere", () => {
    const r = run(KRAFT, "2017-11-06");
    const notice = signalFor(r, "0001193125-17-334467", "4.02");
    expect(accessionsOf(notice)).toEqual(["0001193125-17-334467"]);
    expect(notice.score).toBe(95); // age 0
    const all = r.signals.flatMap(accessionsOf);
    expect(all).not.toContain("0001637459-17-000116");
    expect(all).not.toContain("0001637459-17-000117");
    // The day before, the notice itself is absent.
    const before = run(KRAFT, "2017-11-05");
    expect(before.counts.restatement).toBe(0);
    expect(before.signals.flatMap(accessionsOf)).not.toContain("0001193125-17-334467");
  });

  it("Kraft Heinz 2019: NT 10-K, two NT 10-Qs, the 4.02, escalated 3.01 notices and impairments", () => {
    const r = run(KRAFT, "2019-08-31");
    expect(keyed(r, "late_filing")).toEqual(["0001637459-19-000019", "0001637459-19-000035", "0001637459-19-000066"]);
    expect(keyed(r, "restatement")).toEqual(["0001637459-19-000033"]);

    const nt10k = signalFor(r, "0001637459-19-000019");
    // 80 (annual), no earlier notice, 10-K filed 2019-06-07: past the extension (× 1).
    expect(nt10k).toMatchObject({ kind: "late_filing", baseScore: 80, direction: -0.8, date: "2019-02-28" });
    expect(accessionsOf(nt10k)).toEqual(["0001637459-19-000019", "0001637459-19-000049"]);
    expect(nt10k.title).toContain("2018-12-29");

    // 70 (quarterly) + 10 (the NT 10-K 71 days before); Q1 10-Q only filed 2019-08-13.
    const ntQ1 = signalFor(r, "0001637459-19-000035");
    expect(ntQ1).toMatchObject({ baseScore: 80, direction: -0.7 });
    expect(accessionsOf(ntQ1)).toEqual(["0001637459-19-000035", "0001637459-19-000072"]);

    // (70 + 20 for two earlier notices) × 0.6: the Q2 10-Q came 5 days later, inside the extension.
    const ntQ2 = signalFor(r, "0001637459-19-000066");
    expect(ntQ2.baseScore).toBe(54);
    expect(accessionsOf(ntQ2)).toEqual(["0001637459-19-000066", "0001637459-19-000073"]);

    for (const acc of ["0001637459-19-000024", "0001637459-19-000038"]) {
      expect(signalFor(r, acc, "3.01")).toMatchObject({ kind: "eight_k_item", baseScore: 75, direction: -0.9 });
    }
    expect(accessionsOf(signalFor(r, "0001637459-19-000024", "3.01"))).toEqual(["0001637459-19-000024", "0001637459-19-000019"]);
    for (const acc of ["0001637459-19-000020", "0001637459-19-000065"]) {
      expect(signalFor(r, acc, "2.06")).toMatchObject({ kind: "eight_k_item", baseScore: 55, direction: -0.6 });
    }
    // Earnings releases are there, neutral and low.
    expect(signalFor(r, "0001637459-19-000065", "2.02")).toMatchObject({ baseScore: 10, direction: 0 });
    expect(r.signals[0]?.filings[0]?.accessionNumber).toBe("0001637459-19-000033");
  });

  it("a late notice's score depends on what is known at asOf (Kraft Heinz NT 10-K)", () => {
    // Inside the 15-day extension (2019-02-28 + 15 = 2019-03-15): base 80, nothing else known.
    const early = signalFor(run(KRAFT, "2019-03-05"), "0001637459-19-000019");
    expect(early.baseScore).toBe(80);
    expect(accessionsOf(early)).toEqual(["0001637459-19-000019"]);
    expect(early.detail).toContain("runs to 2019-03-15");
    // Past the extension and still no 10-K: × 1.15.
    const missing = signalFor(run(KRAFT, "2019-04-30"), "0001637459-19-000019");
    expect(missing.baseScore).toBe(92);
    expect(missing.detail).toContain("still not filed");
    expect(accessionsOf(missing)).toEqual(["0001637459-19-000019"]);
  });

  it("Apple 2006: option-backdating 4.02, NT 10-Q and NT 10-K, and the Nasdaq 3.01 notice", () => {
    const r = run(APPLE, "2006-12-31");
    expect(signalFor(r, "0001104659-06-051302", "4.02")).toMatchObject({ kind: "restatement", baseScore: 95, date: "2006-08-04" });
    const ntQ = signalFor(r, "0001104659-06-053743");
    expect(ntQ).toMatchObject({ kind: "late_filing", baseScore: 70 });
    expect(accessionsOf(ntQ)).toEqual(["0001104659-06-053743", "0001104659-06-084286"]);
    // (80 + 10 for the NT 10-Q) × 0.6: the 10-K came 14 days after the notice.
    const ntK = signalFor(r, "0001104659-06-081617");
    expect(ntK).toMatchObject({ kind: "late_filing", baseScore: 54 });
    expect(accessionsOf(ntK)).toEqual(["0001104659-06-081617", "0001104659-06-084288"]);
    const delisting = signalFor(r, "0001104659-06-054118", "3.01");
    expect(delisting).toMatchObject({ baseScore: 75, direction: -0.9 });
    expect(accessionsOf(delisting).sort()).toEqual(["0001104659-06-051302", "0001104659-06-053743", "0001104659-06-054118"]);
  });

  it("Apple 2009: auditor change (4.01) and a 10-Q/A that is only an amendment (the 4.02 is years old)", () => {
    const r = run(APPLE, "2009-12-31");
    expect(signalFor(r, "0001181431-09-012161", "4.01")).toMatchObject({ kind: "eight_k_item", baseScore: 50, direction: -0.5 });
    expect(signalFor(r, "0001193125-09-087629")).toMatchObject({ kind: "amendment", baseScore: 15 });
    expect(r.counts.restatement).toBe(0);
  });

  it("Under Armour: the 2013 10-K/A is an amendment, absent before it was filed; its 2006 3.01 is not escalated", () => {
    const r = run(UNDER_ARMOUR, "2013-12-31");
    expect(keyed(r, "amendment")).toEqual(["0001336917-13-000013"]);
    const a = signalFor(r, "0001336917-13-000013");
    expect(a).toMatchObject({ kind: "amendment", baseScore: 20, direction: -0.2, date: "2013-02-26" });
    expect(a.filings[0]).toMatchObject({ form: "10-K/A", reportDate: "2012-12-31" });
    expect(run(UNDER_ARMOUR, "2013-02-25").counts.amendment).toBe(0);
    expect(run(UNDER_ARMOUR, "2013-02-26").counts.amendment).toBe(1);

    // NYSE listing transfer in December 2006: no late filing around it.
    const transfer = signalFor(run(UNDER_ARMOUR, "2006-12-31"), "0001193125-06-249694", "3.01");
    expect(transfer).toMatchObject({ baseScore: 35, direction: -0.3 });
    expect(accessionsOf(transfer)).toEqual(["0001193125-06-249694"]);
    // Walmart's 2025 move to Nasdaq, likewise.
    expect(signalFor(run(WALMART, "2026-06-30"), "0000104169-25-000177", "3.01")).toMatchObject({ baseScore: 35 });
  });

  it("Microsoft: the 2024 cybersecurity incident (1.05) and its 8-K/A at half weight", () => {
    const r = run(MICROSOFT, "2024-06-30");
    expect(signalFor(r, "0001193125-24-011295", "1.05")).toMatchObject({ kind: "eight_k_item", baseScore: 60, direction: -0.6, date: "2024-01-19" });
    expect(signalFor(r, "0001193125-24-062997", "1.05")).toMatchObject({ baseScore: 30 });
    expect(signalFor(r, "0001193125-24-062997", "1.05").title).toContain("8-K/A");
  });

  it("Coca-Cola: NT 11-K resolved by the 11-K filed after it, not by the other plans' 11-Ks filed the same day", () => {
    const r = run(COCA_COLA, "2013-12-31");
    const nt = signalFor(r, "0000021344-13-000030");
    // 25 × 0.6: the 15-day extension ended on Saturday 2013-07-13, so it was due Monday 2013-07-15.
    expect(nt).toMatchObject({ kind: "late_filing", baseScore: 15, direction: -0.2 });
    expect(accessionsOf(nt)).toEqual(["0000021344-13-000030", "0000021344-13-000033"]);
  });

  it("Costco 2002: a pre-2004 item 4 (auditor change, Andersen's demise) counts half", () => {
    const s = signalFor(run(COSTCO, "2002-12-31"), "0000907303-02-000127", "4");
    expect(s).toMatchObject({ kind: "eight_k_item", baseScore: 25 });
    expect(s.title).toContain("pre-2004");
  });

  it("respects the window and decays scores by age", () => {
    expect(run(APPLE, "2007-12-31").signals.flatMap(accessionsOf)).not.toContain("0001104659-06-051302");
    expect(keyed(run(APPLE, "2007-08-05"), "eight_k_item")).toContain("0001104659-06-054118"); // the 3.01 still cites it
    const wide = run(APPLE, "2007-12-31", 730);
    const notice = signalFor(wide, "0001104659-06-051302", "4.02");
    expect(notice.ageDays).toBe(514);
    expect(notice.score).toBeCloseTo(95 * 0.5 ** (514 / 180), 1);
    // Boundary: the window includes asOf − windowDays.
    const edge = run(APPLE, "2007-08-04");
    expect(signalFor(edge, "0001104659-06-051302", "4.02").ageDays).toBe(365);
    expect(keyed(run(APPLE, "2007-08-05"), "restatement")).toEqual([]);
  });

  it("never uses a filing after asOf, for every company on many dates", () => {
    let total = 0;
    for (const cik of ALL_CIKS) {
      for (const asOf of ["2006-12-31", "2009-06-30", "2013-12-31", "2017-12-31", "2019-08-31", "2024-06-30"]) {
        const r = run(cik, asOf, 730);
        total += r.signals.length;
      }
    }
    expect(total).toBeGreaterThan(300);
  });

  it("formats a compact table, highest score first", () => {
    const r = run(KRAFT, "2019-08-31");
    const text = formatSignalTable(r, { limit: 5 });
    const lines = text.split("\n");
    expect(lines[0]).toContain("as of 2019-08-31");
    expect(lines[0]).toContain("late filing 3");
    expect(lines[1]).toMatch(/^Date\s+Kind\s+Score\s+Dir\s+Title\s+Accession$/);
    expect(lines[3]).toContain("0001637459-19-000033");
    expect(lines[3]).toContain("restatement");
    expect(lines).toHaveLength(3 + 5 + 1);
    expect(lines[lines.length - 1]).toBe(`… ${r.signals.length - 5} more.`);
    for (const s of r.signals.slice(0, 5)) expect(text).toContain(s.score.toFixed(1));
    expect(formatSignalTable(run(KRAFT, "2015-01-01"))).toMatch(/none\.$/);
  });
});

// ---------------------------------------------------------------------------------------
// Hand-built filings (no fixtures needed)

function filing(accessionNumber: string, form: string, filingDate: string, extra: Partial<Filing> = {}): Filing {
  const folderPath = `/Archives/edgar/data/1/${accessionNumber.replace(/-/g, "")}/`;
  return {
    accessionNumber,
    form,
    filingDate,
    reportDate: null,
    acceptanceDateTime: null,
    act: null,
    fileNumber: null,
    filmNumber: null,
    items: null,
    size: null,
    isXBRL: false,
    isInlineXBRL: false,
    primaryDocument: null,
    primaryDocDescription: null,
    indexUrl: `https://www.sec.gov${folderPath}${accessionNumber}-index.htm`,
    primaryDocumentUrl: null,
    folderPath,
    ...extra,
  };
}

describe("filing signals on hand-built filings", () => {
  const amendment = filing("0000000001-24-000001", "10-K/A", "2024-03-01", { reportDate: "2023-12-31" });
  const nonReliance = filing("0000000001-24-000002", "8-K", "2024-04-01", { items: "4.02,9.01" });
  const filings = [nonReliance, amendment];

  it("an amendment becomes a restatement only once the later 4.02 notice is filed (no look-ahead)", () => {
    const before = filingSignals({ filings, asOf: "2024-03-20" });
    expect(before.signals.map((s) => [s.kind, s.filings[0]?.accessionNumber])).toEqual([["amendment", "0000000001-24-000001"]]);
    const after = filingSignals({ filings, asOf: "2024-04-02" });
    expect(after.counts).toMatchObject({ amendment: 0, restatement: 2 });
    const restated = after.signals.find((s) => s.filings[0]?.accessionNumber === "0000000001-24-000001");
    expect(restated?.kind).toBe("restatement");
    expect(restated?.detail).toContain("31 days after it");
  });

  it("a 4.02 more than 120 days after an amendment, or more than 365 before, does not link", () => {
    const late = filing("0000000001-24-000003", "8-K", "2024-07-01", { items: "4.02" }); // 122 days after
    expect(filingSignals({ filings: [amendment, late], asOf: "2024-08-01" }).counts).toMatchObject({ amendment: 1, restatement: 1 });
    const old = filing("0000000001-23-000004", "8-K", "2023-02-28", { items: "4.02" }); // 367 days before
    expect(filingSignals({ filings: [amendment, old], asOf: "2024-03-02", windowDays: 800 }).counts).toMatchObject({ amendment: 1, restatement: 1 });
    const recent = filing("0000000001-23-000005", "8-K", "2023-03-02", { items: "4.02" }); // 365 days before
    expect(filingSignals({ filings: [amendment, recent], asOf: "2024-03-02", windowDays: 800 }).counts).toMatchObject({ amendment: 0, restatement: 2 });
  });

  it("bankruptcy (1.03) is the top 8-K item; administrative items make no signal", () => {
    const r = filingSignals({
      filings: [filing("0000000001-24-000010", "8-K", "2024-05-01", { items: "1.03,7.01,9.01" }), filing("0000000001-24-000011", "8-K", "2024-05-02", { items: "5.07" })],
      asOf: "2024-05-02",
    });
    expect(r.signals).toHaveLength(1);
    expect(r.signals[0]).toMatchObject({ kind: "eight_k_item", item: "1.03", baseScore: 100, direction: -1 });
    expect(r.signals[0]?.filings[0]?.items).toEqual(["1.03", "7.01", "9.01"]);
  });

  it("rejects a bad asOf or window", () => {
    for (const bad of [
      () => filingSignals({ filings: [], asOf: "2024-02-30" }),
      () => filingSignals({ filings: [], asOf: "20240101" }),
      () => filingSignals({ filings: [], asOf: "2024-01-01", windowDays: 0 }),
      () => filingSignals({ filings: [], asOf: "2024-01-01", windowDays: 1.5 }),
    ]) {
      let err: unknown;
      try {
        bad();
      } catch (e) {
        err = e;
      }
      expect(isArgusError(err) && err.code === "INVALID_INPUT").toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Insider clusters

interface TxSpec {
  acc: string;
  filed: string;
  date: string;
  code?: string;
  shares?: number;
  price?: number;
  owners: Array<{ cik: string; name: string; relationship?: string }>;
  documentType?: string;
  table?: "nonDerivative" | "derivative";
  aff10b5One?: boolean;
  footnote?: string;
}

/** A complete transaction built by hand (every field of InsiderTransaction). */
function tx(s: TxSpec): SignalInsiderTransaction {
  const code = s.code ?? "P";
  return {
    table: s.table ?? "nonDerivative",
    securityTitle: "Common Stock",
    sharesOwnedAfter: undefined,
    valueOwnedAfter: undefined,
    directOrIndirect: "D",
    natureOfOwnership: undefined,
    exercisePrice: undefined,
    exerciseDate: undefined,
    expirationDate: undefined,
    underlyingSecurityTitle: undefined,
    underlyingShares: undefined,
    footnotes: s.footnote ? [{ id: "F1", field: "transactionCode", text: s.footnote }] : [],
    date: s.date,
    deemedExecutionDate: undefined,
    formType: "4",
    code,
    codeMeaning: "",
    openMarket: code === "P" || code === "S",
    equitySwapInvolved: false,
    timeliness: undefined,
    shares: s.shares ?? 10_000,
    pricePerShare: s.price ?? 20,
    totalValue: undefined,
    acquiredDisposed: code === "S" || code === "F" ? "D" : "A",
    issuerCik: "0000000001",
    ticker: "TEST",
    owners: s.owners.map((o) => ({ cik: o.cik, name: o.name, relationship: o.relationship ?? "Director" })),
    documentType: s.documentType ?? "4",
    accessionNumber: s.acc,
    filingDate: s.filed,
    url: `https://www.sec.gov/Archives/edgar/data/1/${s.acc.replace(/-/g, "")}/`,
    aff10b5One: s.aff10b5One,
  };
}

const ceo = { cik: "0000000101", name: "Chief Executive", relationship: "Director, Officer (CEO)" };
const cfo = { cik: "0000000102", name: "Chief Financial", relationship: "Officer (CFO)" };
const dir = { cik: "0000000103", name: "Board Member", relationship: "Director" };
const fundA = { cik: "0000000201", name: "Fund A LP", relationship: "10% Owner" };
const fundB = { cik: "0000000202", name: "Fund B LP", relationship: "10% Owner" };
const fundC = { cik: "0000000203", name: "Fund C LP", relationship: "10% Owner" };

const insiderRun = (txs: SignalInsiderTransaction[], asOf = "2024-06-30", windowDays?: number): FilingSignalsResult => {
  const r = filingSignals({ filings: [], insiderTransactions: txs, asOf, windowDays });
  expectWellFormed(r);
  return r;
};

describe("insider clusters (hand-built transactions)", () => {
  const three = [
    tx({ acc: "0000000101-24-000001", filed: "2024-05-03", date: "2024-05-01", owners: [ceo], shares: 2_000, price: 20 }),
    tx({ acc: "0000000102-24-000001", filed: "2024-05-12", date: "2024-05-10", owners: [cfo], shares: 2_000, price: 21 }),
    tx({ acc: "0000000103-24-000001", filed: "2024-05-30", date: "2024-05-28", owners: [dir], shares: 1_000, price: 22 }),
  ];
  // $104,000 in all; no two of them reach $100k, so only the 3-insider rule can fire.
  const total = 2_000 * 20 + 2_000 * 21 + 1_000 * 22;

  it("3 insiders buying within 30 days make a buying cluster, scored by breadth and value", () => {
    const r = insiderRun(three);
    expect(r.counts.insider_buying_cluster).toBe(1);
    const s = r.signals[0] as FilingSignal;
    // min(90, 15 × 3 + 10·log10($104k / $10k) + 10 officer/director)
    const expected = Math.round((45 + 10 * Math.log10(total / 10_000) + 10) * 10) / 10;
    expect(s).toMatchObject({ kind: "insider_buying_cluster", baseScore: expected, direction: 0.85, date: "2024-05-30" });
    expect(accessionsOf(s)).toEqual(["0000000103-24-000001", "0000000101-24-000001", "0000000102-24-000001"]);
    expect(s.filings[0]).toMatchObject({ form: "4", reportDate: "2024-05-28" });
    expect(s.title).toContain("3 insiders bought");
    expect(s.detail).toContain("Chief Executive");
  });

  it("the same 3 buys spread over more than 30 days make none", () => {
    const spread = [three[0], three[1], tx({ acc: "0000000103-24-000001", filed: "2024-06-04", date: "2024-06-01", owners: [dir], shares: 1_000, price: 22 })] as SignalInsiderTransaction[];
    // 2024-05-01 → 2024-06-01 is 31 days.
    expect(insiderRun(spread).counts.insider_buying_cluster).toBe(0);
    // One day earlier (30 days apart) it is a cluster.
    const tight = [...spread.slice(0, 2), { ...(spread[2] as SignalInsiderTransaction), date: "2024-05-31" }];
    expect(insiderRun(tight).counts.insider_buying_cluster).toBe(1);
  });

  it("2 insiders far apart make none; close together with an officer and $100k+ they do", () => {
    const far = [
      tx({ acc: "0000000101-24-000002", filed: "2024-03-04", date: "2024-03-01", owners: [ceo], shares: 10_000, price: 50 }),
      tx({ acc: "0000000102-24-000002", filed: "2024-05-06", date: "2024-05-02", owners: [cfo], shares: 10_000, price: 50 }),
    ];
    expect(insiderRun(far).counts.insider_buying_cluster).toBe(0);
    const near = [far[0], tx({ acc: "0000000102-24-000002", filed: "2024-03-20", date: "2024-03-18", owners: [cfo], shares: 10_000, price: 50 })] as SignalInsiderTransaction[];
    const r = insiderRun(near);
    expect(r.counts.insider_buying_cluster).toBe(1);
    expect(r.signals[0]?.baseScore).toBe(clusterScore({ insiders: 2, value: 1_000_000, officerOrDirector: true }, "buy").baseScore);
    expect(r.signals[0]?.baseScore).toBe(60); // 30 + 20 + 10
    // Under $100k in total: none.
    const small = near.map((t) => ({ ...t, shares: 900 })); // 2 × $45,000
    expect(insiderRun(small).counts.insider_buying_cluster).toBe(0);
    // Two 10% owners, no officer or director, even for $1M: none.
    const funds = [{ ...near[0], owners: [{ ...fundA, relationship: "10% Owner" }] }, { ...near[1], owners: [{ ...fundB, relationship: "10% Owner" }] }] as SignalInsiderTransaction[];
    expect(insiderRun(funds).counts.insider_buying_cluster).toBe(0);
  });

  it("owners filing jointly are one insider, across their filings", () => {
    const joint = [
      tx({ acc: "0000000201-24-000001", filed: "2024-05-03", date: "2024-05-01", owners: [fundA, fundB, fundC] }),
      tx({ acc: "0000000201-24-000002", filed: "2024-05-08", date: "2024-05-06", owners: [fundB] }),
      tx({ acc: "0000000201-24-000003", filed: "2024-05-09", date: "2024-05-07", owners: [fundC] }),
    ];
    expect(insiderRun(joint).counts.insider_buying_cluster).toBe(0);
  });

  it("a 4/A repeating a purchase is not counted twice", () => {
    const original = three[0] as SignalInsiderTransaction;
    const amended = { ...original, accessionNumber: "0000000101-24-000009", filingDate: "2024-06-03", documentType: "4/A" };
    const r = insiderRun([...three, amended]);
    const s = r.signals[0] as FilingSignal;
    expect(s.title).toContain(`$${total.toLocaleString("en-US")}`);
    expect(accessionsOf(s)).toContain("0000000101-24-000009");
    expect(accessionsOf(s)).not.toContain("0000000101-24-000001");
  });

  it("no look-ahead: the third buyer's Form 4 filed after asOf does not complete the cluster", () => {
    expect(insiderRun(three, "2024-05-29").counts.insider_buying_cluster).toBe(0);
    expect(insiderRun(three, "2024-05-30").counts.insider_buying_cluster).toBe(1);
    // Filed before the window: none.
    expect(insiderRun(three, "2025-06-30", 365).counts.insider_buying_cluster).toBe(0);
  });

  it("awards, option exercises and derivative-table purchases are not open-market buying", () => {
    expect(insiderRun(three.map((t) => ({ ...t, code: "A" }))).signals).toEqual([]);
    expect(insiderRun(three.map((t) => ({ ...t, code: "M" }))).signals).toEqual([]);
    expect(insiderRun(three.map((t) => ({ ...t, table: "derivative" as const }))).signals).toEqual([]);
  });

  it("sales: a selling cluster at half weight, 10b5-1 plan sales left out and named", () => {
    const sells = three.map((t) => ({ ...t, code: "S", acquiredDisposed: "D" as const }));
    const r = insiderRun(sells);
    expect(r.counts).toMatchObject({ insider_selling_cluster: 1, insider_buying_cluster: 0 });
    const buy = clusterScore({ insiders: 3, value: total, officerOrDirector: true }, "buy");
    expect(r.signals[0]).toMatchObject({ kind: "insider_selling_cluster", baseScore: Math.round(buy.baseScore * 5) / 10, direction: -0.43 });

    // The CEO's sale was under a 10b5-1 plan (the box): 2 left, both officers/directors, $64k < $100k → none.
    const planned = sells.map((t, i) => (i === 0 ? { ...t, aff10b5One: true } : t));
    expect(insiderRun(planned).counts.insider_selling_cluster).toBe(0);
    // Flagged by a footnote instead: same; a footnote saying it was NOT under a plan counts.
    const footnoted = sells.map((t, i) => (i === 0 ? { ...t, footnotes: [{ id: "F1", field: "transactionCode", text: "Sold pursuant to a Rule 10b5-1 trading plan adopted March 1, 2024." }] } : t));
    expect(insiderRun(footnoted).counts.insider_selling_cluster).toBe(0);
    const notPlanned = sells.map((t, i) => (i === 0 ? { ...t, footnotes: [{ id: "F1", field: "transactionCode", text: "This sale was not made pursuant to a Rule 10b5-1 plan." }] } : t));
    expect(insiderRun(notPlanned).counts.insider_selling_cluster).toBe(1);

    // Three unplanned sellers plus a planned one: a cluster of 3 that names the planned sale.
    const extra = tx({ acc: "0000000202-24-000001", filed: "2024-05-15", date: "2024-05-14", code: "S", owners: [fundB], aff10b5One: true, shares: 1_000, price: 30 });
    const withPlan = insiderRun([...sells, extra]);
    const s = withPlan.signals[0] as FilingSignal;
    expect(s.kind).toBe("insider_selling_cluster");
    expect(s.title).toContain("3 insiders sold");
    expect(s.detail).toMatch(/Not counted: 1 sale \(\$30,000\) by Fund B LP under Rule 10b5-1 plans/);
    expect(accessionsOf(s)).not.toContain("0000000202-24-000001");
  });
});

describe.skipIf(!HAS_EDGAR_FIXTURES)("insider clusters (real Form 4 fixtures)", () => {
  const formsDir = join(EDGAR_FIXTURES, "forms");
  const snowXml = readFileSync(join(formsDir, "form4.snow.xml"), "utf8");
  // Labels for the fixture documents (the fixtures carry no accession number).
  const SNOW = { accessionNumber: "0000000000-22-000001", filingDate: "2022-12-15", url: "https://www.sec.gov/fixture/form4.snow.xml" };
  const snow = signalInsiderTransactions(parseOwnershipDocument(snowXml), SNOW);
  const snowSales = snow.filter((t) => t.code === "S" && t.table === "nonDerivative");
  const snowValue = snowSales.reduce((s, t) => s + (t.shares ?? 0) * (t.pricePerShare ?? 0), 0);
  const director = tx({
    acc: "0000000103-22-000001",
    filed: "2022-12-20",
    date: "2022-12-19",
    code: "S",
    owners: [{ cik: "0001234567", name: "Other Director", relationship: "Director" }],
    shares: 1_000,
    price: 150,
  });

  it("the Snowflake CFO's five sales alone are one insider: no cluster", () => {
    expect(snowSales).toHaveLength(5);
    expect(snow[0]?.aff10b5One).toBeUndefined(); // schema X0306 has no 10b5-1 box
    const r = insiderRun(snow, "2022-12-31");
    expect(r.signals).toEqual([]);
  });

  it("with a director's sale a week later: a selling cluster holding the real filing", () => {
    const r = insiderRun([...snow, director], "2022-12-31");
    expect(r.counts.insider_selling_cluster).toBe(1);
    const s = r.signals[0] as FilingSignal;
    const value = snowValue + 150_000;
    expect(value).toBeGreaterThan(29_000_000);
    // 0.5 × min(90, 15 × 2 + 30 (≥ $10M) + 10)
    expect(s).toMatchObject({ kind: "insider_selling_cluster", baseScore: 35, date: "2022-12-20" });
    expect(accessionsOf(s)).toEqual(["0000000103-22-000001", SNOW.accessionNumber]);
    expect(s.filings[1]).toMatchObject({ form: "4", reportDate: "2022-12-13" });
    expect(s.detail).toContain("Scarpelli Michael (officer/director): 5 trades");
    // The option exercise (M) is not a sale.
    expect(s.detail).not.toContain("6 trades");
  });

  it("the same sales flagged as a 10b5-1 plan (footnote or box) are left out", () => {
    const planXml = snowXml.replace("The sales reported in this Form 4 were effected for financial and tax planning purposes.", "The sales reported in this Form 4 were effected pursuant to a Rule 10b5-1 trading plan adopted by the Reporting Person.");
    expect(planXml).not.toBe(snowXml);
    const planned = signalInsiderTransactions(parseOwnershipDocument(planXml), SNOW);
    expect(insiderRun([...planned, director], "2022-12-31").counts.insider_selling_cluster).toBe(0);
    const boxed = signalInsiderTransactions({ ...parseOwnershipDocument(snowXml), aff10b5One: true }, SNOW);
    expect(insiderRun([...boxed, director], "2022-12-31").counts.insider_selling_cluster).toBe(0);
  });

  it("374Water's awards (code A, aff10b5One false) never make a buying cluster", () => {
    const doc = parseOwnershipDocument(readFileSync(join(formsDir, "374WaterForm4.xml"), "utf8"));
    expect(doc.aff10b5One).toBe(false);
    const base = signalInsiderTransactions(doc, { accessionNumber: "0000000000-25-000001", filingDate: "2025-05-02", url: "https://www.sec.gov/fixture/374WaterForm4.xml" });
    expect(base.some((t) => t.code === "A")).toBe(true);
    // Three different officers receiving the same awards: still nothing.
    const awards = [0, 1, 2].flatMap((i) => base.map((t) => ({ ...t, accessionNumber: `0000000000-25-00000${i + 1}`, owners: [{ cik: `000000030${i}`, name: `Officer ${i}`, relationship: "Officer" }] })));
    expect(insiderRun(awards, "2025-05-31").signals).toEqual([]);
    // …whereas the same rows as open-market purchases would be one.
    const buys = awards.filter((t) => t.table === "nonDerivative").map((t) => ({ ...t, code: "P", pricePerShare: 0.33 }));
    expect(insiderRun(buys, "2025-05-31").counts.insider_buying_cluster).toBe(1);
  });
});
