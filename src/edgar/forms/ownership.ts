/**
 * Forms 3, 4 and 5 (and their /A amendments): the `ownershipDocument` XML of every
 * schema generation (X0202 … X0306, X0407, X0508). Pure functions, no I/O.
 */
import { ArgusError } from "../../core/errors.js";
import { attr, child, children, isNode, parseFlag, parseNumber, parseXml, text, type XmlNode } from "./xml.js";

// ---------------------------------------------------------------------------------------
// Transaction codes (Form 4 General Instructions, item 8)

export type TransactionCodeCategory = "general" | "rule16b-3" | "derivative" | "exempt-or-small" | "other";

export interface TransactionCodeInfo {
  meaning: string;
  category: TransactionCodeCategory;
  /** True for P and S: open-market (or private) purchases and sales, the discretionary trades. */
  openMarket: boolean;
}

export const TRANSACTION_CODES = {
  P: { meaning: "Open market or private purchase of non-derivative or derivative security", category: "general", openMarket: true },
  S: { meaning: "Open market or private sale of non-derivative or derivative security", category: "general", openMarket: true },
  V: { meaning: "Transaction voluntarily reported earlier than required", category: "general", openMarket: false },
  A: { meaning: "Grant, award or other acquisition pursuant to Rule 16b-3(d)", category: "rule16b-3", openMarket: false },
  D: { meaning: "Disposition to the issuer of issuer equity securities pursuant to Rule 16b-3(e)", category: "rule16b-3", openMarket: false },
  F: {
    meaning:
      "Payment of exercise price or tax liability by delivering or withholding securities incident to the receipt, exercise or vesting of a security issued in accordance with Rule 16b-3",
    category: "rule16b-3",
    openMarket: false,
  },
  I: {
    meaning: "Discretionary transaction in accordance with Rule 16b-3(f) resulting in acquisition or disposition of issuer securities",
    category: "rule16b-3",
    openMarket: false,
  },
  M: { meaning: "Exercise or conversion of derivative security exempted pursuant to Rule 16b-3", category: "rule16b-3", openMarket: false },
  C: { meaning: "Conversion of derivative security", category: "derivative", openMarket: false },
  E: { meaning: "Expiration of short derivative position", category: "derivative", openMarket: false },
  H: { meaning: "Expiration (or cancellation) of long derivative position with value received", category: "derivative", openMarket: false },
  O: { meaning: "Exercise of out-of-the-money derivative security", category: "derivative", openMarket: false },
  X: { meaning: "Exercise of in-the-money or at-the-money derivative security", category: "derivative", openMarket: false },
  G: { meaning: "Bona fide gift", category: "exempt-or-small", openMarket: false },
  L: { meaning: "Small acquisition under Rule 16a-6", category: "exempt-or-small", openMarket: false },
  W: { meaning: "Acquisition or disposition by will or the laws of descent and distribution", category: "exempt-or-small", openMarket: false },
  Z: { meaning: "Deposit into or withdrawal from voting trust", category: "exempt-or-small", openMarket: false },
  J: { meaning: "Other acquisition or disposition (describe transaction)", category: "other", openMarket: false },
  K: { meaning: "Transaction in equity swap or instrument with similar characteristics", category: "other", openMarket: false },
  U: { meaning: "Disposition pursuant to a tender of shares in a change of control transaction", category: "other", openMarket: false },
} as const satisfies Record<string, TransactionCodeInfo>;

export type TransactionCode = keyof typeof TRANSACTION_CODES;

export function describeTransactionCode(code: string | undefined): TransactionCodeInfo {
  const c = (code ?? "").trim().toUpperCase();
  if (Object.hasOwn(TRANSACTION_CODES, c)) return TRANSACTION_CODES[c as TransactionCode];
  return { meaning: c === "" ? "No transaction code" : `Unknown transaction code "${c}"`, category: "other", openMarket: false };
}

// ---------------------------------------------------------------------------------------
// Document model

export interface FootnoteRef {
  id: string;
  /** The element the footnote is attached to, e.g. "transactionPricePerShare". */
  field: string;
  /** The footnote's text; undefined if the document does not define that id. */
  text: string | undefined;
}

export interface ReportingOwner {
  cik: string;
  name: string;
  isDirector: boolean;
  isOfficer: boolean;
  officerTitle?: string;
  isTenPercentOwner: boolean;
  isOther: boolean;
  otherText?: string;
  /** Readable summary, e.g. "Director, Officer (Chief Financial Officer)". */
  relationship: string;
}

export type OwnershipTable = "nonDerivative" | "derivative";

interface RowBase {
  table: OwnershipTable;
  securityTitle: string;
  /** Shares owned after the transaction (or held, for holdings). */
  sharesOwnedAfter: number | undefined;
  /** Some filings report a value instead of a share count. */
  valueOwnedAfter: number | undefined;
  /** D direct, I indirect. */
  directOrIndirect: "D" | "I" | undefined;
  natureOfOwnership: string | undefined;
  // Derivative rows only (undefined otherwise).
  exercisePrice: number | undefined;
  exerciseDate: string | undefined;
  expirationDate: string | undefined;
  underlyingSecurityTitle: string | undefined;
  underlyingShares: number | undefined;
  footnotes: FootnoteRef[];
}

export interface OwnershipTransaction extends RowBase {
  date: string | undefined;
  deemedExecutionDate: string | undefined;
  formType: string | undefined;
  code: string;
  codeMeaning: string;
  openMarket: boolean;
  equitySwapInvolved: boolean | undefined;
  /** E early, L late, when marked. */
  timeliness: string | undefined;
  shares: number | undefined;
  pricePerShare: number | undefined;
  /** Some transactions are reported as a total value instead of shares. */
  totalValue: number | undefined;
  acquiredDisposed: "A" | "D" | undefined;
}

export type OwnershipHolding = RowBase;

export interface OwnershipDocument {
  schemaVersion: string | undefined;
  /** "3", "4", "5", "3/A", "4/A", "5/A". */
  documentType: string;
  isAmendment: boolean;
  dateOfOriginalSubmission: string | undefined;
  periodOfReport: string | undefined;
  issuer: { cik: string; name: string; ticker: string | undefined };
  reportingOwners: ReportingOwner[];
  /** Rule 10b5-1(c) plan flag (schema X0508 and later); undefined when not present. */
  aff10b5One: boolean | undefined;
  notSubjectToSection16: boolean | undefined;
  noSecuritiesOwned: boolean | undefined;
  nonDerivativeTransactions: OwnershipTransaction[];
  nonDerivativeHoldings: OwnershipHolding[];
  derivativeTransactions: OwnershipTransaction[];
  derivativeHoldings: OwnershipHolding[];
  /** Footnote id → text. */
  footnotes: Record<string, string>;
  remarks: string | undefined;
  signatures: { name: string; date: string | undefined }[];
}

// ---------------------------------------------------------------------------------------
// Parsing

/** Parses a Form 3, 4 or 5 (or /A) ownership document. Throws INVALID_INPUT when malformed. */
export function parseOwnershipDocument(xml: string): OwnershipDocument {
  const tree = parseXml(xml, "ownership document (Form 3/4/5)");
  const root = tree["ownershipDocument"];
  if (!isNode(root)) {
    throw new ArgusError("INVALID_INPUT", "The document is not a Form 3/4/5 ownership document: expected an <ownershipDocument> root element.");
  }
  const documentType = text(root, "documentType");
  if (documentType === undefined || !/^[345](\/A)?$/i.test(documentType)) {
    throw new ArgusError("INVALID_INPUT", `The ownership document has documentType "${documentType ?? ""}"; expected 3, 4, 5 or an /A amendment of one.`);
  }

  const footnotes: Record<string, string> = {};
  for (const f of children(child(root, "footnotes"), "footnote")) {
    const id = attr(f, "id");
    if (id !== undefined) footnotes[id] = text(f) ?? "";
  }

  const issuerNode = child(root, "issuer");
  const issuerCik = text(issuerNode, "issuerCik");
  if (issuerCik === undefined) throw new ArgusError("INVALID_INPUT", "The ownership document has no issuer CIK.");

  const ndt = child(root, "nonDerivativeTable");
  const dt = child(root, "derivativeTable");
  return {
    schemaVersion: text(root, "schemaVersion"),
    documentType: documentType.toUpperCase(),
    isAmendment: documentType.toUpperCase().endsWith("/A"),
    dateOfOriginalSubmission: text(root, "dateOfOriginalSubmission"),
    periodOfReport: text(root, "periodOfReport"),
    issuer: { cik: issuerCik, name: text(issuerNode, "issuerName") ?? "", ticker: text(issuerNode, "issuerTradingSymbol") },
    reportingOwners: children(root, "reportingOwner").map(parseOwner),
    aff10b5One: parseFlag(text(root, "aff10b5One")),
    notSubjectToSection16: parseFlag(text(root, "notSubjectToSection16")),
    noSecuritiesOwned: parseFlag(text(root, "noSecuritiesOwned")),
    nonDerivativeTransactions: children(ndt, "nonDerivativeTransaction").map((n) => parseTransaction(n, "nonDerivative", footnotes)),
    nonDerivativeHoldings: children(ndt, "nonDerivativeHolding").map((n) => parseRow(n, "nonDerivative", footnotes)),
    derivativeTransactions: children(dt, "derivativeTransaction").map((n) => parseTransaction(n, "derivative", footnotes)),
    derivativeHoldings: children(dt, "derivativeHolding").map((n) => parseRow(n, "derivative", footnotes)),
    footnotes,
    remarks: text(root, "remarks"),
    signatures: children(root, "ownerSignature").map((s) => ({ name: text(s, "signatureName") ?? "", date: text(s, "signatureDate") })),
  };
}

function parseOwner(node: XmlNode): ReportingOwner {
  const id = child(node, "reportingOwnerId");
  const rel = child(node, "reportingOwnerRelationship");
  const owner: ReportingOwner = {
    cik: text(id, "rptOwnerCik") ?? "",
    name: text(id, "rptOwnerName") ?? "",
    isDirector: parseFlag(text(rel, "isDirector")) ?? false,
    isOfficer: parseFlag(text(rel, "isOfficer")) ?? false,
    isTenPercentOwner: parseFlag(text(rel, "isTenPercentOwner")) ?? false,
    isOther: parseFlag(text(rel, "isOther")) ?? false,
    relationship: "",
  };
  const title = text(rel, "officerTitle");
  if (title !== undefined) owner.officerTitle = title;
  const other = text(rel, "otherText");
  if (other !== undefined) owner.otherText = other;
  const parts: string[] = [];
  if (owner.isDirector) parts.push("Director");
  if (owner.isOfficer) parts.push(title ? `Officer (${title})` : "Officer");
  if (owner.isTenPercentOwner) parts.push("10% Owner");
  if (owner.isOther) parts.push(other ? `Other (${other})` : "Other");
  owner.relationship = parts.join(", ");
  return owner;
}

/** `<x><value>…</value><footnoteId/></x>` → the value text. */
const valueOf = (node: XmlNode, name: string): string | undefined => text(child(node, name), "value");

function collectFootnotes(node: unknown, field: string, defined: Record<string, string>, out: FootnoteRef[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectFootnotes(n, field, defined, out);
    return;
  }
  if (!isNode(node)) return;
  for (const [key, v] of Object.entries(node)) {
    if (key === "footnoteId") {
      for (const ref of Array.isArray(v) ? v : [v]) {
        const id = attr(ref, "id");
        if (id !== undefined) out.push({ id, field, text: defined[id] });
      }
    } else if (!key.startsWith("@_") && key !== "#text") {
      collectFootnotes(v, key, defined, out);
    }
  }
}

function parseRow(node: XmlNode, table: OwnershipTable, defined: Record<string, string>): OwnershipHolding {
  const post = child(node, "postTransactionAmounts");
  const nature = child(node, "ownershipNature");
  const underlying = child(node, "underlyingSecurity");
  const di = valueOf(nature, "directOrIndirectOwnership")?.toUpperCase();
  const footnotes: FootnoteRef[] = [];
  collectFootnotes(node, "row", defined, footnotes);
  const derivative = table === "derivative";
  return {
    table,
    securityTitle: valueOf(node, "securityTitle") ?? "",
    sharesOwnedAfter: parseNumber(valueOf(post, "sharesOwnedFollowingTransaction"), "sharesOwnedFollowingTransaction"),
    valueOwnedAfter: parseNumber(valueOf(post, "valueOwnedFollowingTransaction"), "valueOwnedFollowingTransaction"),
    directOrIndirect: di === "D" || di === "I" ? di : undefined,
    natureOfOwnership: valueOf(nature, "natureOfOwnership"),
    exercisePrice: derivative ? parseNumber(valueOf(node, "conversionOrExercisePrice"), "conversionOrExercisePrice") : undefined,
    exerciseDate: derivative ? valueOf(node, "exerciseDate") : undefined,
    expirationDate: derivative ? valueOf(node, "expirationDate") : undefined,
    underlyingSecurityTitle: derivative ? valueOf(underlying, "underlyingSecurityTitle") : undefined,
    underlyingShares: derivative ? parseNumber(valueOf(underlying, "underlyingSecurityShares"), "underlyingSecurityShares") : undefined,
    footnotes,
  };
}

function parseTransaction(node: XmlNode, table: OwnershipTable, defined: Record<string, string>): OwnershipTransaction {
  const row = parseRow(node, table, defined);
  const coding = child(node, "transactionCoding");
  const amounts = child(node, "transactionAmounts");
  const code = (text(coding, "transactionCode") ?? "").toUpperCase();
  const info = describeTransactionCode(code);
  const ad = valueOf(amounts, "transactionAcquiredDisposedCode")?.toUpperCase();
  return {
    ...row,
    date: valueOf(node, "transactionDate"),
    deemedExecutionDate: valueOf(node, "deemedExecutionDate"),
    formType: text(coding, "transactionFormType"),
    code,
    codeMeaning: info.meaning,
    openMarket: info.openMarket,
    equitySwapInvolved: parseFlag(text(coding, "equitySwapInvolved")),
    timeliness: valueOf(node, "transactionTimeliness"),
    shares: parseNumber(valueOf(amounts, "transactionShares"), "transactionShares"),
    pricePerShare: parseNumber(valueOf(amounts, "transactionPricePerShare"), "transactionPricePerShare"),
    totalValue: parseNumber(valueOf(amounts, "transactionTotalValue"), "transactionTotalValue"),
    acquiredDisposed: ad === "A" || ad === "D" ? ad : undefined,
  };
}

// ---------------------------------------------------------------------------------------
// Insider activity

export interface InsiderTransaction extends OwnershipTransaction {
  issuerCik: string;
  ticker: string | undefined;
  /** The reporting owners of the filing (joint filings list several for one transaction). */
  owners: { cik: string; name: string; relationship: string }[];
  documentType: string;
}

/** All transactions of a document (non-derivative first), tagged with issuer and owners. */
export function insiderTransactions(doc: OwnershipDocument): InsiderTransaction[] {
  const owners = doc.reportingOwners.map((o) => ({ cik: o.cik, name: o.name, relationship: o.relationship }));
  return [...doc.nonDerivativeTransactions, ...doc.derivativeTransactions].map((t) => ({
    ...t,
    issuerCik: doc.issuer.cik,
    ticker: doc.issuer.ticker,
    owners,
    documentType: doc.documentType,
  }));
}

export interface InsiderActivitySummary {
  from: string | undefined;
  to: string | undefined;
  /** Open-market purchases (code P) of non-derivative securities. */
  buys: { count: number; shares: number; value: number };
  /** Open-market sales (code S) of non-derivative securities. */
  sells: { count: number; shares: number; value: number };
  /** Buys minus sells. */
  netShares: number;
  netValue: number;
  distinctBuyers: number;
  distinctSellers: number;
  /** Largest open-market transactions by dollar value. */
  largest: { date: string | undefined; code: string; owners: string[]; shares: number; pricePerShare: number | undefined; value: number }[];
  /** Transactions in the window, by code. */
  countsByCode: Record<string, number>;
}

/**
 * Net open-market buying (P minus S) over [from, to] (inclusive, YYYY-MM-DD, either
 * optional), counted on the non-derivative table only (derivative share counts are in
 * other units). Amendments that repeat an original's transactions are not de-duplicated.
 */
export function summarizeInsiderActivity(
  transactions: readonly InsiderTransaction[],
  window: { from?: string; to?: string; largest?: number } = {},
): InsiderActivitySummary {
  const { from, to } = window;
  if (from !== undefined && to !== undefined && from > to) {
    throw new ArgusError("INVALID_RANGE", `The window starts (${from}) after it ends (${to}).`);
  }
  const inWindow = transactions.filter((t) => {
    if (t.date === undefined) return from === undefined && to === undefined;
    const d = t.date.slice(0, 10);
    return (from === undefined || d >= from) && (to === undefined || d <= to);
  });
  const summary: InsiderActivitySummary = {
    from,
    to,
    buys: { count: 0, shares: 0, value: 0 },
    sells: { count: 0, shares: 0, value: 0 },
    netShares: 0,
    netValue: 0,
    distinctBuyers: 0,
    distinctSellers: 0,
    largest: [],
    countsByCode: {},
  };
  const buyers = new Set<string>();
  const sellers = new Set<string>();
  const openMarket: InsiderActivitySummary["largest"] = [];
  for (const t of inWindow) {
    summary.countsByCode[t.code] = (summary.countsByCode[t.code] ?? 0) + 1;
    if (t.table !== "nonDerivative" || (t.code !== "P" && t.code !== "S")) continue;
    const shares = t.shares ?? 0;
    const value = t.totalValue ?? shares * (t.pricePerShare ?? 0);
    const side = t.code === "P" ? summary.buys : summary.sells;
    side.count += 1;
    side.shares += shares;
    side.value += value;
    for (const o of t.owners) (t.code === "P" ? buyers : sellers).add(o.cik || o.name);
    openMarket.push({ date: t.date, code: t.code, owners: t.owners.map((o) => o.name), shares, pricePerShare: t.pricePerShare, value });
  }
  summary.netShares = summary.buys.shares - summary.sells.shares;
  summary.netValue = summary.buys.value - summary.sells.value;
  summary.distinctBuyers = buyers.size;
  summary.distinctSellers = sellers.size;
  summary.largest = openMarket.sort((a, b) => b.value - a.value).slice(0, window.largest ?? 5);
  return summary;
}
