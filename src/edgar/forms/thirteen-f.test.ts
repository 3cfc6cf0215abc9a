import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isArgusError } from "../../core/errors.js";
import {
  applyAmendment,
  decideValueUnit,
  extractInformationTableFromSubmission,
  normalizeHoldings,
  parseInformationTable,
  parsePrimaryDocument,
  quarterOverQuarter,
  type ThirteenFHolding,
} from "./thirteen-f.js";

const FIXTURES = resolve(import.meta.dirname, "../../../../shared/fixtures/edgar/forms");
const haveFixtures = existsSync(FIXTURES);
if (!haveFixtures) console.warn(`Skipping 13F fixture tests: ${FIXTURES} is absent.`);
const read = (name: string): string => readFileSync(resolve(FIXTURES, name), "utf8");

/** Independent row count: opening <infoTable> tags with any (or no) namespace prefix. */
const countInfoTables = (xml: string): number => xml.split(/<(?:[A-Za-z0-9_]+:)?infoTable[\s>]/).length - 1;

function expectInvalid(fn: () => unknown, pattern?: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(isArgusError(err)).toBe(true);
    if (isArgusError(err)) {
      expect(err.code).toBe("INVALID_INPUT");
      if (pattern) expect(err.message).toMatch(pattern);
    }
    return;
  }
  throw new Error("expected INVALID_INPUT");
}

describe.skipIf(!haveFixtures)("13F fixtures", () => {
  it("parses every row of 13F-HR.infotable.xml (no prefix, default namespace)", () => {
    const xml = read("13F-HR.infotable.xml");
    const holdings = parseInformationTable(xml);
    expect(countInfoTables(xml)).toBe(255);
    expect(holdings).toHaveLength(countInfoTables(xml));
    expect(holdings[0]).toEqual({
      nameOfIssuer: "3M CO",
      titleOfClass: "COM",
      cusip: "88579Y101",
      value: 409469,
      shares: 2334,
      shareType: "SH",
      investmentDiscretion: "SOLE",
      voting: { sole: 0, shared: 0, none: 2334 },
    });
    // CUSIPs keep their leading zeros and are 9 characters.
    expect(holdings.find((h) => h.nameOfIssuer === "ABBOTT LABS")?.cusip).toBe("002824100");
    // 252 share rows and 3 PRN rows (iShares iBonds ETFs the filer typed as PRN); no options.
    expect(holdings.filter((h) => h.shareType === "PRN")).toHaveLength(3);
    expect(holdings.filter((h) => h.putCall !== undefined)).toHaveLength(0);
    expect(holdings.reduce((s, h) => s + h.value, 0)).toBe(350153407);
    for (const h of holdings) {
      expect(h.cusip).toMatch(/^[0-9A-Z]{9}$/);
      expect(Number.isFinite(h.value)).toBe(true);
      expect(Number.isFinite(h.shares)).toBe(true);
    }
  });

  it("decides the fixture's values are in dollars from implied prices", () => {
    const holdings = parseInformationTable(read("13F-HR.infotable.xml"));
    const d = decideValueUnit({ holdings });
    expect(d.unit).toBe("dollars");
    expect(d.confidence).toBe("high");
    expect(d.medianImpliedPriceAsDollars).toBeGreaterThan(10);
    expect(d.fractionBelowOneDollar).toBeLessThan(0.05);
    expect(d.reason).toMatch(/median implied price/);
    // 3M: 409,469 / 2,334 shares ≈ $175 a share, a real 3M price; read as thousands it would be $175,000.
    const mmm = normalizeHoldings(holdings, d.unit).find((h) => h.cusip === "88579Y101");
    expect(mmm?.value).toBe(409469);
    // With a post-2022 period the rule agrees; with a 2021 period the data overrides it as a filer mistake.
    expect(decideValueUnit({ holdings, periodOfReport: "2023-06-30" }).filerMistake).toBe(false);
    const old = decideValueUnit({ holdings, periodOfReport: "2021-12-31" });
    expect(old.unit).toBe("dollars");
    expect(old.filerMistake).toBe(true);
    expect(old.reason).toMatch(/wrong unit/);
  });

  it("extracts and parses the information table embedded in a submission .txt (dollars)", () => {
    const txt = read("13F.0001894188-23-000007.txt");
    const docs = extractInformationTableFromSubmission(txt);
    expect(docs.header).toEqual({
      accessionNumber: "0001894188-23-000007",
      formType: "13F-HR",
      periodOfReport: "2023-09-30",
      filedAsOf: "2023-11-14",
    });
    expect(docs.informationTableXml).toBeDefined();
    expect(docs.primaryDocumentXml).toBeDefined();
    const table = docs.informationTableXml as string;
    const holdings = parseInformationTable(table); // ns1: prefixed
    expect(holdings).toHaveLength(countInfoTables(table));
    expect(holdings).toHaveLength(14);
    expect(holdings.find((h) => h.cusip === "459506101")?.nameOfIssuer).toBe("INTERNATIONAL FLAVORS&FRAGRA");

    const primary = parsePrimaryDocument(docs.primaryDocumentXml as string);
    expect(primary).toMatchObject({
      periodOfReport: "2023-09-30",
      filer: { name: "LTS One Management LP", cik: "0001894188" },
      reportType: "13F HOLDINGS REPORT",
      isAmendment: false,
      tableEntryTotal: 14,
      tableValueTotal: 454926000,
      schemaVersion: "X0202",
    });
    expect(holdings).toHaveLength(primary.tableEntryTotal as number);
    const sum = holdings.reduce((s, h) => s + h.value, 0);
    expect(sum).toBe(454926000);

    const d = decideValueUnit({ holdings, periodOfReport: primary.periodOfReport, tableValueTotal: primary.tableValueTotal });
    expect(d.unit).toBe("dollars");
    expect(d.confidence).toBe("high");
    expect(d.filerMistake).toBe(false);
    expect(d.reason).toMatch(/on or after 2022-12-31/);
    expect(d.reason).toMatch(/sum to the cover page total/);
    // AMZN 17,479,000 / 137,500 ≈ $127.12, the 2023-09-29 close.
    expect(d.medianImpliedPriceAsDollars).toBeGreaterThan(100);
  });

  it("parses the MetLife primary document (combination report, other managers)", () => {
    const p = parsePrimaryDocument(read("metlife.13F-HR.primarydoc.xml"));
    expect(p).toMatchObject({
      periodOfReport: "2021-12-31",
      filer: { name: "METLIFE INC", cik: "0001099219" },
      reportType: "13F COMBINATION REPORT",
      isAmendment: false,
      tableEntryTotal: 6,
      tableValueTotal: 11019796,
      otherIncludedManagersCount: 0,
      signatureDate: "2023-03-22",
    });
    expect(p.amendmentType).toBeUndefined();
    expect(p.otherManagers.map((m) => m.cik)).toEqual(["0000931588", "0000728618", "0001529735"]);
  });

  it("rejects form.13FHR.xml, an HTML rendering rather than XML, as INVALID_INPUT", () => {
    expectInvalid(() => parseInformationTable(read("form.13FHR.xml")), /not well-formed XML/);
  });
});

// ---------------------------------------------------------------------------------------
// Synthetic cases

function row(o: { name?: string; cusip: string; value: string | number; shares: string | number; type?: string; putCall?: string; prefix?: string }): string {
  const p = o.prefix ?? "";
  return `<${p}infoTable><${p}nameOfIssuer>${o.name ?? o.cusip}</${p}nameOfIssuer><${p}titleOfClass>COM</${p}titleOfClass><${p}cusip>${o.cusip}</${p}cusip><${p}figi>BBG000000001</${p}figi><${p}value>${o.value}</${p}value><${p}shrsOrPrnAmt><${p}sshPrnamt>${o.shares}</${p}sshPrnamt><${p}sshPrnamtType>${o.type ?? "SH"}</${p}sshPrnamtType></${p}shrsOrPrnAmt>${
    o.putCall ? `<${p}putCall>${o.putCall}</${p}putCall>` : ""
  }<${p}investmentDiscretion>DFND</${p}investmentDiscretion><${p}otherManager>1</${p}otherManager><${p}votingAuthority><${p}Sole>${o.shares}</${p}Sole><${p}Shared>0</${p}Shared><${p}None>0</${p}None></${p}votingAuthority></${p}infoTable>`;
}
const table = (rows: string[], prefix = ""): string =>
  `<?xml version="1.0"?><${prefix}informationTable xmlns${prefix ? `:${prefix.slice(0, -1)}` : ""}="http://www.sec.gov/edgar/document/thirteenf/informationtable">${rows.join("")}</${prefix}informationTable>`;

const h = (cusip: string, value: number, shares: number, extra: Partial<ThirteenFHolding> = {}): ThirteenFHolding => ({
  nameOfIssuer: cusip,
  titleOfClass: "COM",
  cusip,
  value,
  shares,
  shareType: "SH",
  investmentDiscretion: "SOLE",
  voting: { sole: shares, shared: 0, none: 0 },
  ...extra,
});

describe("parseInformationTable (synthetic)", () => {
  it("handles a single row, n1: prefixes, commas in numbers and optional fields", () => {
    const one = parseInformationTable(table([row({ cusip: "037833100", value: "1,234,567", shares: "6,789", putCall: "Call", prefix: "n1:" })], "n1:"));
    expect(one).toEqual([
      {
        nameOfIssuer: "037833100",
        titleOfClass: "COM",
        cusip: "037833100",
        figi: "BBG000000001",
        value: 1234567,
        shares: 6789,
        shareType: "SH",
        putCall: "CALL",
        investmentDiscretion: "DFND",
        otherManager: "1",
        voting: { sole: 6789, shared: 0, none: 0 },
      },
    ]);
  });

  it("returns [] for an empty table and parses PRN rows", () => {
    expect(parseInformationTable(table([]))).toEqual([]);
    const prn = parseInformationTable(table([row({ cusip: "912828ZQ6", value: 980000, shares: 1000000, type: "PRN" })]));
    expect(prn[0]?.shareType).toBe("PRN");
  });

  it("rejects malformed XML, a wrong root, missing fields and bad numbers with INVALID_INPUT", () => {
    expectInvalid(() => parseInformationTable("<informationTable><infoTable></informationTable>"), /not well-formed/);
    expectInvalid(() => parseInformationTable(""), /empty/);
    expectInvalid(() => parseInformationTable("<edgarSubmission/>"), /expected an <informationTable>/);
    expectInvalid(() => parseInformationTable(table(["<infoTable><cusip>037833100</cusip></infoTable>"])), /row 1 has no <nameOfIssuer>/);
    expectInvalid(() => parseInformationTable(table([row({ cusip: "037833100", value: "12x", shares: 1 })])), /not a number/);
    expectInvalid(() => parseInformationTable('<!DOCTYPE x [<!ENTITY a "aaaa">]><informationTable/>'), /entities/);
    expectInvalid(() => extractInformationTableFromSubmission("just text"), /no <DOCUMENT>/);
  });
});

describe("decideValueUnit", () => {
  // Real-ish prices: $190, $330, $140.
  const dollars = [h("037833100", 19_000_000, 100_000), h("594918104", 33_000_000, 100_000), h("02079K305", 14_000_000, 100_000)];
  const thousands = dollars.map((x) => ({ ...x, value: x.value / 1000 }));

  it("follows the period rule when the data agrees", () => {
    expect(decideValueUnit({ holdings: dollars, periodOfReport: "2022-12-31" })).toMatchObject({ unit: "dollars", filerMistake: false, confidence: "high" });
    expect(decideValueUnit({ holdings: thousands, periodOfReport: "2022-09-30" })).toMatchObject({ unit: "thousands", filerMistake: false, confidence: "high" });
  });

  it("detects a post-2022 filing that still reported thousands", () => {
    const d = decideValueUnit({ holdings: thousands, periodOfReport: "2023-03-31", tableValueTotal: 66_000 });
    expect(d.unit).toBe("thousands");
    expect(d.filerMistake).toBe(true);
    expect(d.fractionBelowOneDollar).toBe(1);
    expect(d.reason).toMatch(/wrong unit/);
    expect(normalizeHoldings(thousands, d.unit).map((x) => x.value)).toEqual([19_000_000, 33_000_000, 14_000_000]);
  });

  it("detects a pre-2022 filing that already reported dollars", () => {
    const d = decideValueUnit({ holdings: dollars, periodOfReport: "09-30-2022" });
    expect(d.unit).toBe("dollars");
    expect(d.expectedByPeriod).toBe("thousands");
    expect(d.filerMistake).toBe(true);
  });

  it("uses known prices first, and the cover total when implied prices are ambiguous", () => {
    // $5 stocks reported in dollars: implied $5 fits either unit.
    const cheap = [h("111111111", 500_000, 100_000), h("222222222", 300_000, 60_000)];
    expect(decideValueUnit({ holdings: cheap, periodOfReport: "2023-06-30", prices: { "111111111": 5 } })).toMatchObject({ unit: "dollars", confidence: "high" });
    // Same numbers but the prices say $5,000 a share → thousands.
    expect(decideValueUnit({ holdings: cheap, periodOfReport: "2023-06-30", prices: { "111111111": 5000 } }).unit).toBe("thousands");
    // Ambiguous, no prices: the total (in dollars, 1,000 × the rows) says rows are thousands.
    const t = decideValueUnit({ holdings: cheap, periodOfReport: "2023-06-30", tableValueTotal: 800_000_000 });
    expect(t.unit).toBe("thousands");
    expect(t.confidence).toBe("medium");
    // Ambiguous, nothing else: the period decides.
    expect(decideValueUnit({ holdings: cheap, periodOfReport: "2021-06-30" })).toMatchObject({ unit: "thousands", confidence: "medium" });
  });

  it("falls back to the period with low confidence when there are no share rows", () => {
    const d = decideValueUnit({ holdings: [], periodOfReport: "2024-03-31" });
    expect(d).toMatchObject({ unit: "dollars", confidence: "low" });
  });
});

describe("applyAmendment", () => {
  const original = { periodOfReport: "2023-12-31", holdings: [h("A00000001", 100, 10), h("B00000002", 200, 20)] };
  it("RESTATEMENT replaces the holdings", () => {
    const r = applyAmendment(original, { periodOfReport: "2023-12-31", amendmentType: "RESTATEMENT", holdings: [h("C00000003", 300, 30)] });
    expect(r.holdings.map((x) => x.cusip)).toEqual(["C00000003"]);
  });
  it("NEW HOLDINGS appends", () => {
    const r = applyAmendment(original, { periodOfReport: "2023-12-31", amendmentType: "NEW HOLDINGS", holdings: [h("C00000003", 300, 30)] });
    expect(r.holdings.map((x) => x.cusip)).toEqual(["A00000001", "B00000002", "C00000003"]);
    expect(original.holdings).toHaveLength(2); // not mutated
  });
  it("rejects a missing type or another period", () => {
    expectInvalid(() => applyAmendment(original, { holdings: [] }), /no amendment type/);
    expectInvalid(() => applyAmendment(original, { periodOfReport: "2024-03-31", amendmentType: "RESTATEMENT", holdings: [] }), /period/);
  });
  it("reads the amendment type from a primary document", () => {
    const xml = `<edgarSubmission xmlns="http://www.sec.gov/edgar/thirteenffiler"><headerData><submissionType>13F-HR/A</submissionType><filerInfo><filer><credentials><cik>0000000001</cik></credentials></filer><periodOfReport>12-31-2023</periodOfReport></filerInfo></headerData><formData><coverPage><reportCalendarOrQuarter>12-31-2023</reportCalendarOrQuarter><isAmendment>true</isAmendment><amendmentNo>2</amendmentNo><amendmentInfo><amendmentType>NEW HOLDINGS</amendmentType></amendmentInfo><filingManager><name>X</name></filingManager><reportType>13F HOLDINGS REPORT</reportType></coverPage><summaryPage><tableEntryTotal>1,000</tableEntryTotal></summaryPage></formData></edgarSubmission>`;
    expect(parsePrimaryDocument(xml)).toMatchObject({ isAmendment: true, amendmentNumber: 2, amendmentType: "NEW HOLDINGS", periodOfReport: "2023-12-31", tableEntryTotal: 1000 });
  });
});

describe("quarterOverQuarter", () => {
  it("classifies new, closed, increased, decreased and unchanged positions per CUSIP", () => {
    const prev = [h("A00000001", 1000, 10), h("B00000002", 2000, 20), h("C00000003", 3000, 30), h("D00000004", 400, 4), h("D00000004", 600, 6)];
    const curr = [h("B00000002", 3500, 35), h("C00000003", 1500, 15), h("D00000004", 1200, 10), h("E00000005", 500, 5), h("E00000005", 99, 1, { putCall: "PUT" })];
    const by = Object.fromEntries(quarterOverQuarter(prev, curr).map((d) => [d.key, d]));
    expect(by["A00000001"]).toMatchObject({ change: "closed", sharesDelta: -10, valueDelta: -1000, currShares: 0 });
    expect(by["B00000002"]).toMatchObject({ change: "increased", sharesDelta: 15, valueDelta: 1500, sharesPctChange: 0.75 });
    expect(by["C00000003"]).toMatchObject({ change: "decreased", sharesDelta: -15, valueDelta: -1500 });
    expect(by["D00000004"]).toMatchObject({ change: "unchanged", prevShares: 10, currShares: 10, valueDelta: 200 });
    expect(by["E00000005"]).toMatchObject({ change: "new", sharesDelta: 5, sharesPctChange: undefined });
    expect(by["E00000005:PUT"]).toMatchObject({ change: "new", putCall: "PUT" });
  });
});
