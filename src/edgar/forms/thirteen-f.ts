/**
 * Form 13F-HR: information tables, cover pages (primary documents), the unit of the
 * `value` column, amendments and quarter-over-quarter changes. Pure functions, no I/O.
 *
 * Units: the SEC switched the information table's `value` column from thousands of
 * dollars to dollars for reports of periods ending on or after 2022-12-31, and some
 * filers kept (or started) the wrong unit. `decideValueUnit` therefore decides per
 * filing: the period gives the expected unit, implied prices (value / shares) and the
 * cover page total check it, and known prices, when given, decide outright.
 */
import { ArgusError } from "../../core/errors.js";
import { child, children, isoDate, parseFlag, parseNumber, parseXml, text, type XmlNode } from "./xml.js";

// ---------------------------------------------------------------------------------------
// Information table

export type ShareType = "SH" | "PRN";
export type PutCall = "PUT" | "CALL";

export interface ThirteenFHolding {
  nameOfIssuer: string;
  titleOfClass: string;
  cusip: string;
  figi?: string;
  /** The `value` column exactly as filed (dollars or thousands: see decideValueUnit). */
  value: number;
  /** sshPrnamt: number of shares, or principal amount for PRN rows. */
  shares: number;
  shareType: ShareType;
  putCall?: PutCall;
  investmentDiscretion: string;
  otherManager?: string;
  voting: { sole: number; shared: number; none: number };
}

/**
 * Parses a 13F information table (`informationTable` root with `infoTable` rows), with
 * or without a namespace prefix. Throws INVALID_INPUT for malformed XML, a different
 * root element, or rows missing a required field.
 */
export function parseInformationTable(xml: string): ThirteenFHolding[] {
  const tree = parseXml(xml, "13F information table");
  const root = tree["informationTable"];
  if (root === undefined) {
    const found = Object.keys(tree).filter((k) => !k.startsWith("?"));
    throw new ArgusError(
      "INVALID_INPUT",
      `The document is not a 13F information table: expected an <informationTable> root element, found <${found[0] ?? "nothing"}>.`,
    );
  }
  return children(root, "infoTable").map((row, i) => parseInfoTableRow(row, i));
}

function parseInfoTableRow(row: XmlNode, index: number): ThirteenFHolding {
  const where = `information table row ${index + 1}`;
  const required = (name: string, value: string | undefined): string => {
    if (value === undefined) throw new ArgusError("INVALID_INPUT", `The ${where} has no <${name}>.`, { row: index + 1, field: name });
    return value;
  };
  const amount = child(row, "shrsOrPrnAmt");
  const nameOfIssuer = required("nameOfIssuer", text(row, "nameOfIssuer"));
  const cusip = required("cusip", text(row, "cusip")).toUpperCase();
  const value = required("value", text(row, "value"));
  const shares = required("sshPrnamt", text(amount, "sshPrnamt"));
  const typeRaw = (text(amount, "sshPrnamtType") ?? "SH").toUpperCase();
  if (typeRaw !== "SH" && typeRaw !== "PRN") {
    throw new ArgusError("INVALID_INPUT", `The ${where} has sshPrnamtType "${typeRaw}"; expected SH or PRN.`, { row: index + 1 });
  }
  const voting = child(row, "votingAuthority");
  const holding: ThirteenFHolding = {
    nameOfIssuer,
    titleOfClass: text(row, "titleOfClass") ?? "",
    cusip,
    value: parseNumber(value, `value of ${where}`) as number,
    shares: parseNumber(shares, `sshPrnamt of ${where}`) as number,
    shareType: typeRaw,
    investmentDiscretion: text(row, "investmentDiscretion") ?? "",
    voting: {
      sole: parseNumber(text(voting, "Sole"), `voting Sole of ${where}`) ?? 0,
      shared: parseNumber(text(voting, "Shared"), `voting Shared of ${where}`) ?? 0,
      none: parseNumber(text(voting, "None"), `voting None of ${where}`) ?? 0,
    },
  };
  const figi = text(row, "figi");
  if (figi !== undefined) holding.figi = figi;
  const putCall = text(row, "putCall")?.toUpperCase();
  if (putCall === "PUT" || putCall === "CALL") holding.putCall = putCall;
  const otherManager = text(row, "otherManager");
  if (otherManager !== undefined) holding.otherManager = otherManager;
  return holding;
}

// ---------------------------------------------------------------------------------------
// Whole submission text files

export interface SubmissionDocuments {
  /** The XML of the INFORMATION TABLE document; undefined for filings without one (13F-NT). */
  informationTableXml: string | undefined;
  /** The `edgarSubmission` primary document XML, when present. */
  primaryDocumentXml: string | undefined;
  /** Values from the SEC header, when present. */
  header: { accessionNumber?: string; formType?: string; periodOfReport?: string; filedAsOf?: string };
}

/**
 * Splits a full submission text file (`<SEC-DOCUMENT>` with `<DOCUMENT>` parts) into the
 * information table XML and the primary document XML. The wrapper is SGML, not XML, so it
 * is split by its markers; the parts themselves are XML for the parsers above.
 */
export function extractInformationTableFromSubmission(txt: string): SubmissionDocuments {
  if (typeof txt !== "string" || !txt.includes("<DOCUMENT>")) {
    throw new ArgusError("INVALID_INPUT", "The submission text has no <DOCUMENT> sections; expected a full EDGAR submission .txt file.");
  }
  const result: SubmissionDocuments = { informationTableXml: undefined, primaryDocumentXml: undefined, header: {} };
  const headerEnd = txt.indexOf("<DOCUMENT>");
  const header = txt.slice(0, headerEnd);
  const headerValue = (label: string): string | undefined => {
    for (const line of header.split(/\r?\n/)) {
      const t = line.trim();
      if (t.startsWith(`${label}:`)) return t.slice(label.length + 1).trim() || undefined;
    }
    return undefined;
  };
  const accessionNumber = headerValue("ACCESSION NUMBER");
  if (accessionNumber) result.header.accessionNumber = accessionNumber;
  const formType = headerValue("CONFORMED SUBMISSION TYPE");
  if (formType) result.header.formType = formType;
  const period = headerValue("CONFORMED PERIOD OF REPORT");
  if (period) result.header.periodOfReport = isoDate(period);
  const filed = headerValue("FILED AS OF DATE");
  if (filed) result.header.filedAsOf = isoDate(filed);

  let pos = 0;
  for (;;) {
    const start = txt.indexOf("<DOCUMENT>", pos);
    if (start < 0) break;
    const end = txt.indexOf("</DOCUMENT>", start);
    const body = txt.slice(start + "<DOCUMENT>".length, end < 0 ? txt.length : end);
    pos = end < 0 ? txt.length : end + "</DOCUMENT>".length;
    const typeLine = /<TYPE>([^\r\n<]*)/.exec(body);
    const type = (typeLine?.[1] ?? "").trim().toUpperCase();
    const xmlStart = body.indexOf("<XML>");
    const xmlEnd = body.lastIndexOf("</XML>");
    if (xmlStart < 0 || xmlEnd < xmlStart) continue;
    const xml = body.slice(xmlStart + "<XML>".length, xmlEnd).trim();
    if (type === "INFORMATION TABLE") {
      result.informationTableXml ??= xml;
    } else if (xml.includes("edgarSubmission")) {
      result.primaryDocumentXml ??= xml;
    }
  }
  if (result.informationTableXml === undefined && result.primaryDocumentXml === undefined) {
    throw new ArgusError(
      "INVALID_INPUT",
      "The submission has no INFORMATION TABLE document and no edgarSubmission primary document in <XML> sections.",
    );
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Primary document (cover page and summary page)

export type ThirteenFReportType = "13F HOLDINGS REPORT" | "13F NOTICE" | "13F COMBINATION REPORT";
export type AmendmentType = "RESTATEMENT" | "NEW HOLDINGS";

export interface ThirteenFPrimaryDocument {
  schemaVersion?: string;
  submissionType?: string;
  /** YYYY-MM-DD. */
  periodOfReport: string;
  filer: { name: string; cik: string };
  reportType: ThirteenFReportType | string;
  isAmendment: boolean;
  amendmentNumber?: number;
  amendmentType?: AmendmentType;
  /** Number of rows the filer says the information table has. */
  tableEntryTotal?: number;
  /** Total of the `value` column as stated on the summary page (unit as filed). */
  tableValueTotal?: number;
  otherIncludedManagersCount?: number;
  otherManagers: { cik?: string; name?: string; fileNumber?: string; sequenceNumber?: number }[];
  signatureDate?: string;
}

/** Parses a 13F `edgarSubmission` primary document. */
export function parsePrimaryDocument(xml: string): ThirteenFPrimaryDocument {
  const tree = parseXml(xml, "13F primary document");
  const root = tree["edgarSubmission"];
  if (root === undefined) {
    throw new ArgusError("INVALID_INPUT", "The document is not a 13F primary document: expected an <edgarSubmission> root element.");
  }
  const headerData = child(root, "headerData");
  const filerInfo = child(headerData, "filerInfo");
  const formData = child(root, "formData");
  const cover = child(formData, "coverPage");
  const summary = child(formData, "summaryPage");
  const signature = child(formData, "signatureBlock");

  const period = isoDate(text(filerInfo, "periodOfReport") ?? text(cover, "reportCalendarOrQuarter"));
  if (period === undefined) {
    throw new ArgusError("INVALID_INPUT", "The 13F primary document has no periodOfReport or reportCalendarOrQuarter.");
  }
  const submissionType = text(headerData, "submissionType");
  const amendmentTypeRaw = text(child(cover, "amendmentInfo"), "amendmentType")?.toUpperCase();
  const isAmendment = parseFlag(text(cover, "isAmendment")) ?? submissionType?.toUpperCase().endsWith("/A") ?? false;

  const doc: ThirteenFPrimaryDocument = {
    periodOfReport: period,
    filer: {
      name: text(child(cover, "filingManager"), "name") ?? "",
      cik: text(child(child(filerInfo, "filer"), "credentials"), "cik") ?? "",
    },
    reportType: (text(cover, "reportType") ?? "").toUpperCase(),
    isAmendment,
    otherManagers: [],
  };
  const schemaVersion = text(root, "schemaVersion");
  if (schemaVersion) doc.schemaVersion = schemaVersion;
  if (submissionType) doc.submissionType = submissionType;
  const amendmentNumber = parseNumber(text(cover, "amendmentNo"), "amendmentNo");
  if (amendmentNumber !== undefined) doc.amendmentNumber = amendmentNumber;
  if (amendmentTypeRaw === "RESTATEMENT" || amendmentTypeRaw === "NEW HOLDINGS") doc.amendmentType = amendmentTypeRaw;
  const entryTotal = parseNumber(text(summary, "tableEntryTotal"), "tableEntryTotal");
  if (entryTotal !== undefined) doc.tableEntryTotal = entryTotal;
  const valueTotal = parseNumber(text(summary, "tableValueTotal"), "tableValueTotal");
  if (valueTotal !== undefined) doc.tableValueTotal = valueTotal;
  const managersCount = parseNumber(text(summary, "otherIncludedManagersCount"), "otherIncludedManagersCount");
  if (managersCount !== undefined) doc.otherIncludedManagersCount = managersCount;
  const signatureDate = isoDate(text(signature, "signatureDate"));
  if (signatureDate) doc.signatureDate = signatureDate;

  // Cover page: managers reporting for this one (notices/combination reports);
  // summary page: other included managers, numbered for the table's otherManager column.
  for (const m of children(child(cover, "otherManagersInfo"), "otherManager")) {
    doc.otherManagers.push(compact({ cik: text(m, "cik"), name: text(m, "name"), fileNumber: text(m, "form13FFileNumber") }));
  }
  for (const m2 of children(child(summary, "otherManagers2Info"), "otherManager2")) {
    const m = child(m2, "otherManager");
    doc.otherManagers.push(
      compact({
        cik: text(m, "cik"),
        name: text(m, "name"),
        fileNumber: text(m, "form13FFileNumber"),
        sequenceNumber: parseNumber(text(m2, "sequenceNumber"), "sequenceNumber"),
      }),
    );
  }
  return doc;
}

function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

// ---------------------------------------------------------------------------------------
// Value unit

export type ValueUnit = "dollars" | "thousands";
export type Confidence = "high" | "medium" | "low";

/** First period (inclusive) whose information tables report values in dollars. */
export const DOLLAR_VALUES_FROM_PERIOD = "2022-12-31";

export interface ValueUnitInput {
  holdings: readonly ThirteenFHolding[];
  /** YYYY-MM-DD (MM-DD-YYYY accepted). Without it only the data can decide. */
  periodOfReport?: string;
  /** Summary page total, as filed. */
  tableValueTotal?: number;
  /** Known prices per share in dollars around the period end, keyed by CUSIP or issuer name. */
  prices?: Record<string, number>;
}

export interface ValueUnitDecision {
  unit: ValueUnit;
  reason: string;
  confidence: Confidence;
  /** Unit the period implies under SEC rules; undefined without a period. */
  expectedByPeriod: ValueUnit | undefined;
  /** True when the decided unit contradicts the period rule (a filer mistake). */
  filerMistake: boolean;
  /** Median of value / shares over share (SH) rows, reading values as dollars. */
  medianImpliedPriceAsDollars: number | undefined;
  /** Share of SH rows whose implied price is below $1 when values are read as dollars. */
  fractionBelowOneDollar: number | undefined;
}

function median(xs: number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toPrecision(3));

/**
 * Decides whether a filing's `value` column is in dollars or thousands of dollars.
 *
 * Evidence, strongest first:
 * 1. `prices`: value / (price × shares) ≈ 1 means dollars, ≈ 0.001 thousands.
 * 2. Implied prices read as dollars (value / shares over SH rows): a median below $1
 *    means thousands (read as thousands the typical price is $1–$1,000); a median above
 *    $10 means dollars (read as thousands the typical price would exceed $10,000).
 *    Between $1 and $10 the data cannot tell.
 * 3. `tableValueTotal` vs the sum of the rows: a factor of 1,000 between them tells
 *    which side is in which unit (cover totals are nearly always right).
 * 4. The period rule: periods ending on or after 2022-12-31 report dollars.
 */
export function decideValueUnit(input: ValueUnitInput): ValueUnitDecision {
  const period = isoDate(input.periodOfReport);
  const expected: ValueUnit | undefined =
    period === undefined ? undefined : period >= DOLLAR_VALUES_FROM_PERIOD ? "dollars" : "thousands";
  const periodText =
    expected === undefined
      ? "no period of report was given"
      : `the period ${period} is ${expected === "dollars" ? "on or after" : "before"} ${DOLLAR_VALUES_FROM_PERIOD}, so SEC rules expect ${expected}`;

  const shareRows = input.holdings.filter((h) => h.shareType === "SH" && h.shares > 0 && h.value > 0);
  const implied = shareRows.map((h) => h.value / h.shares);
  const med = median(implied);
  const below1 = implied.length === 0 ? undefined : implied.filter((p) => p < 1).length / implied.length;

  const decide = (unit: ValueUnit, confidence: Confidence, why: string): ValueUnitDecision => ({
    unit,
    confidence,
    reason: `${unit}: ${why}`,
    expectedByPeriod: expected,
    filerMistake: expected !== undefined && unit !== expected,
    medianImpliedPriceAsDollars: med,
    fractionBelowOneDollar: below1,
  });
  const mistakeNote = (unit: ValueUnit): string =>
    expected !== undefined && unit !== expected ? `; this contradicts the period rule (${periodText}), so the filer used the wrong unit` : `; consistent with the period rule (${periodText})`;

  // 1. Known prices.
  if (input.prices) {
    const ratios: number[] = [];
    for (const h of shareRows) {
      const p = input.prices[h.cusip] ?? input.prices[h.nameOfIssuer];
      if (p !== undefined && p > 0) ratios.push(h.value / (p * h.shares));
    }
    const r = median(ratios);
    if (r !== undefined) {
      if (r > 0.2 && r < 5) return decide("dollars", "high", `value ≈ price × shares on ${ratios.length} priced row(s) (median ratio ${fmt(r)})${mistakeNote("dollars")}`);
      if (r > 0.0002 && r < 0.005) return decide("thousands", "high", `value ≈ price × shares / 1,000 on ${ratios.length} priced row(s) (median ratio ${fmt(r)})${mistakeNote("thousands")}`);
      // Prices disagree with both readings: fall through to the other evidence.
    }
  }

  // 3. Cover page total (computed now, used with 2 and 4).
  let totalEvidence: ValueUnit | "same" | undefined;
  let totalText = "";
  if (input.tableValueTotal !== undefined && input.tableValueTotal > 0 && input.holdings.length > 0) {
    const sum = input.holdings.reduce((s, h) => s + h.value, 0);
    const ratio = sum / input.tableValueTotal;
    if (ratio > 0.95 && ratio < 1.05) {
      totalEvidence = "same";
      totalText = `the rows sum to the cover page total ${input.tableValueTotal}`;
    } else if (ratio > 950 && ratio < 1050) {
      totalEvidence = "dollars";
      totalText = `the rows sum to about 1,000 × the cover page total ${input.tableValueTotal} (rows in dollars, total in thousands)`;
    } else if (ratio > 0.00095 && ratio < 0.00105) {
      totalEvidence = "thousands";
      totalText = `the rows sum to about 1/1,000 of the cover page total ${input.tableValueTotal} (rows in thousands, total in dollars)`;
    } else {
      totalText = `the rows sum to ${sum}, which does not match the cover page total ${input.tableValueTotal} (ratio ${fmt(ratio)})`;
    }
  }
  const withTotal = (s: string): string => (totalText ? `${s}; ${totalText}` : s);

  // 2. Implied prices.
  if (med !== undefined && below1 !== undefined) {
    const stats = `median implied price read as dollars is $${fmt(med)} over ${implied.length} share row(s), ${Math.round(below1 * 100)}% below $1`;
    let byPrice: ValueUnit | undefined;
    if (med < 1) byPrice = "thousands";
    else if (med > 10) byPrice = "dollars";
    if (byPrice !== undefined) {
      const agreesPeriod = expected === undefined || expected === byPrice;
      const confidence: Confidence = agreesPeriod ? (implied.length >= 3 ? "high" : "medium") : totalEvidence === byPrice || implied.length >= 5 ? "high" : "medium";
      const implausible =
        byPrice === "thousands"
          ? `read as dollars the typical price would be $${fmt(med)}, read as thousands $${fmt(med * 1000)}`
          : `read as thousands the typical price would be $${fmt(med * 1000)}, implausibly high`;
      return decide(byPrice, confidence, withTotal(`${stats}; ${implausible}${mistakeNote(byPrice)}`));
    }
    // Ambiguous band $1–$10: the total may still tell.
    if (totalEvidence === "dollars" || totalEvidence === "thousands") {
      return decide(totalEvidence, "medium", withTotal(`${stats}, which fits either unit${mistakeNote(totalEvidence)}`));
    }
    if (expected !== undefined) return decide(expected, "medium", withTotal(`${stats}, which fits either unit, so ${periodText}`));
    return decide("dollars", "low", withTotal(`${stats}, which fits either unit, and ${periodText}; assuming dollars`));
  }

  // No share rows to price.
  if (totalEvidence === "dollars" || totalEvidence === "thousands") {
    return decide(totalEvidence, "medium", withTotal(`no share rows to imply prices from${mistakeNote(totalEvidence)}`));
  }
  if (expected !== undefined) return decide(expected, "low", withTotal(`no share rows to imply prices from, so ${periodText}`));
  return decide("dollars", "low", withTotal(`no share rows and ${periodText}; assuming dollars`));
}

export interface NormalizedHolding extends ThirteenFHolding {
  /** Value in dollars. */
  value: number;
  /** The value column as filed. */
  valueAsFiled: number;
  unitAsFiled: ValueUnit;
}

/** Holdings with `value` converted to dollars (× 1,000 for thousands). */
export function normalizeHoldings(holdings: readonly ThirteenFHolding[], unit: ValueUnit): NormalizedHolding[] {
  const factor = unit === "thousands" ? 1000 : 1;
  return holdings.map((h) => ({ ...h, value: h.value * factor, valueAsFiled: h.value, unitAsFiled: unit }));
}

// ---------------------------------------------------------------------------------------
// Amendments

export interface ThirteenFReport<H extends ThirteenFHolding = ThirteenFHolding> {
  periodOfReport?: string;
  holdings: readonly H[];
  /** For amendments: RESTATEMENT replaces, NEW HOLDINGS adds. */
  amendmentType?: AmendmentType;
}

/**
 * Applies a 13F-HR/A to the report it amends. RESTATEMENT replaces all holdings; NEW
 * HOLDINGS appends its rows. Both reports should have been normalized to the same unit.
 * Throws INVALID_INPUT when the amendment has no amendment type or is for another period.
 */
export function applyAmendment<H extends ThirteenFHolding>(original: ThirteenFReport<H>, amendment: ThirteenFReport<H>): ThirteenFReport<H> {
  const a = isoDate(amendment.periodOfReport);
  const o = isoDate(original.periodOfReport);
  if (a !== undefined && o !== undefined && a !== o) {
    throw new ArgusError("INVALID_INPUT", `The amendment is for period ${a} but the original report is for ${o}.`);
  }
  const periodOfReport = o ?? a;
  const base = periodOfReport === undefined ? {} : { periodOfReport };
  switch (amendment.amendmentType) {
    case "RESTATEMENT":
      return { ...base, holdings: [...amendment.holdings] };
    case "NEW HOLDINGS":
      return { ...base, holdings: [...original.holdings, ...amendment.holdings] };
    default:
      throw new ArgusError("INVALID_INPUT", "The amendment has no amendment type; expected RESTATEMENT or NEW HOLDINGS.");
  }
}

// ---------------------------------------------------------------------------------------
// Quarter over quarter

export type PositionChange = "new" | "closed" | "increased" | "decreased" | "unchanged";

export interface PositionDelta {
  /** CUSIP, with ":PUT" / ":CALL" for option rows, which are tracked apart from shares. */
  key: string;
  cusip: string;
  putCall?: PutCall;
  nameOfIssuer: string;
  change: PositionChange;
  prevShares: number;
  currShares: number;
  sharesDelta: number;
  /** Relative share change; undefined for new positions. */
  sharesPctChange: number | undefined;
  prevValue: number;
  currValue: number;
  valueDelta: number;
}

interface Aggregate {
  cusip: string;
  putCall?: PutCall;
  name: string;
  shares: number;
  value: number;
}

function aggregate(holdings: readonly ThirteenFHolding[]): Map<string, Aggregate> {
  const out = new Map<string, Aggregate>();
  for (const h of holdings) {
    const key = h.putCall ? `${h.cusip}:${h.putCall}` : h.cusip;
    const a = out.get(key);
    if (a) {
      a.shares += h.shares;
      a.value += h.value;
    } else {
      const entry: Aggregate = { cusip: h.cusip, name: h.nameOfIssuer, shares: h.shares, value: h.value };
      if (h.putCall) entry.putCall = h.putCall;
      out.set(key, entry);
    }
  }
  return out;
}

/**
 * Position changes per CUSIP between two quarters (rows for the same CUSIP, e.g. split
 * across other managers, are summed; puts and calls are kept apart). Values should be
 * normalized to dollars first. Sorted by absolute value change, largest first.
 */
export function quarterOverQuarter(prev: readonly ThirteenFHolding[], curr: readonly ThirteenFHolding[]): PositionDelta[] {
  const p = aggregate(prev);
  const c = aggregate(curr);
  const keys = new Set([...p.keys(), ...c.keys()]);
  const out: PositionDelta[] = [];
  for (const key of keys) {
    const a = p.get(key);
    const b = c.get(key);
    const prevShares = a?.shares ?? 0;
    const currShares = b?.shares ?? 0;
    const change: PositionChange =
      a === undefined || prevShares === 0
        ? currShares === 0 ? "unchanged" : "new"
        : b === undefined || currShares === 0
          ? "closed"
          : currShares > prevShares
            ? "increased"
            : currShares < prevShares
              ? "decreased"
              : "unchanged";
    const ref = (b ?? a) as Aggregate;
    const d: PositionDelta = {
      key,
      cusip: ref.cusip,
      nameOfIssuer: ref.name,
      change,
      prevShares,
      currShares,
      sharesDelta: currShares - prevShares,
      sharesPctChange: prevShares === 0 ? undefined : (currShares - prevShares) / prevShares,
      prevValue: a?.value ?? 0,
      currValue: b?.value ?? 0,
      valueDelta: (b?.value ?? 0) - (a?.value ?? 0),
    };
    if (ref.putCall) d.putCall = ref.putCall;
    out.push(d);
  }
  return out.sort((x, y) => Math.abs(y.valueDelta) - Math.abs(x.valueDelta) || x.key.localeCompare(y.key));
}
