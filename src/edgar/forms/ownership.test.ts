import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isArgusError } from "../../core/errors.js";
import {
  describeTransactionCode,
  insiderTransactions,
  parseOwnershipDocument,
  summarizeInsiderActivity,
  TRANSACTION_CODES,
  type InsiderTransaction,
  type OwnershipDocument,
} from "./ownership.js";

const FIXTURES = resolve(import.meta.dirname, "../../../../shared/fixtures/edgar/forms");
const haveFixtures = existsSync(FIXTURES);
if (!haveFixtures) console.warn(`Skipping ownership fixture tests: ${FIXTURES} is absent.`);
const read = (name: string): string => readFileSync(resolve(FIXTURES, name), "utf8");

/** Independent count of opening tags (a plain string split, not the parser). */
const countTag = (xml: string, tag: string): number => xml.split(new RegExp(`<${tag}[\\s>]`)).length - 1;

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

function expectRowsMatchXml(xml: string, doc: OwnershipDocument): void {
  expect(doc.nonDerivativeTransactions).toHaveLength(countTag(xml, "nonDerivativeTransaction"));
  expect(doc.nonDerivativeHoldings).toHaveLength(countTag(xml, "nonDerivativeHolding"));
  expect(doc.derivativeTransactions).toHaveLength(countTag(xml, "derivativeTransaction"));
  expect(doc.derivativeHoldings).toHaveLength(countTag(xml, "derivativeHolding"));
  expect(Object.keys(doc.footnotes)).toHaveLength(countTag(xml, "footnote"));
  expect(doc.reportingOwners).toHaveLength(countTag(xml, "reportingOwner"));
  // Every footnote reference resolves to a defined footnote.
  const rows = [...doc.nonDerivativeTransactions, ...doc.nonDerivativeHoldings, ...doc.derivativeTransactions, ...doc.derivativeHoldings];
  const refs = rows.flatMap((r) => r.footnotes);
  expect(refs.length).toBe(countTag(xml, "footnoteId"));
  for (const ref of refs) expect(ref.text, `footnote ${ref.id}`).toBe(doc.footnotes[ref.id]);
  for (const t of [...doc.nonDerivativeTransactions, ...doc.derivativeTransactions]) {
    expect(Object.hasOwn(TRANSACTION_CODES, t.code)).toBe(true);
    expect(t.codeMeaning).toBe(describeTransactionCode(t.code).meaning);
  }
}

describe.skipIf(!haveFixtures)("ownership fixtures", () => {
  it("Form 4 (X0306, Snowflake CFO): 1 exercise + 5 sales, 8 holdings, 1 option exercise, 16 footnotes", () => {
    const xml = read("form4.snow.xml");
    const doc = parseOwnershipDocument(xml);
    expectRowsMatchXml(xml, doc);
    expect(doc).toMatchObject({
      schemaVersion: "X0306",
      documentType: "4",
      isAmendment: false,
      periodOfReport: "2022-12-13",
      issuer: { cik: "0001640147", name: "Snowflake Inc.", ticker: "SNOW" },
      aff10b5One: undefined,
    });
    expect(doc.reportingOwners[0]).toMatchObject({ cik: "0001402349", name: "Scarpelli Michael", isOfficer: true, officerTitle: "Chief Financial Officer", relationship: "Officer (Chief Financial Officer)" });
    expect(doc.nonDerivativeTransactions.map((t) => t.code)).toEqual(["M", "S", "S", "S", "S", "S"]);
    const sale = doc.nonDerivativeTransactions[1];
    expect(sale).toMatchObject({ date: "2022-12-13", code: "S", openMarket: true, shares: 73170, pricePerShare: 150.841, acquiredDisposed: "D", sharesOwnedAfter: 227927, directOrIndirect: "D" });
    expect(sale?.footnotes.map((f) => [f.id, f.field])).toEqual([
      ["F2", "transactionCoding"],
      ["F3", "transactionPricePerShare"],
    ]);
    expect(sale?.footnotes[1]?.text).toMatch(/^The price reported in Column 4 is a weighted-average price\. .*\$150\.300 to \$151\.295/);
    expect(doc.nonDerivativeHoldings[0]).toMatchObject({ sharesOwnedAfter: 577218, directOrIndirect: "I", natureOfOwnership: "Trust" });
    expect(doc.nonDerivativeHoldings[0]?.footnotes[0]).toMatchObject({ id: "F8", field: "natureOfOwnership" });
    expect(doc.derivativeTransactions[0]).toMatchObject({
      securityTitle: "Stock Option (Right to Buy)",
      code: "M",
      codeMeaning: "Exercise or conversion of derivative security exempted pursuant to Rule 16b-3",
      openMarket: false,
      shares: 200000,
      acquiredDisposed: "A",
      exercisePrice: 8.88,
      exerciseDate: undefined,
      expirationDate: "2029-08-26",
      underlyingSecurityTitle: "Class A Common Stock",
      underlyingShares: 200000,
      sharesOwnedAfter: 2219299,
    });
    expect(doc.derivativeTransactions[0]?.footnotes).toEqual([expect.objectContaining({ id: "F16", field: "exerciseDate" })]);
  });

  it("Form 4 (X0508, 374Water): award of RSUs and options, 10b5-1 flag read", () => {
    const xml = read("374WaterForm4.xml");
    const doc = parseOwnershipDocument(xml);
    expectRowsMatchXml(xml, doc);
    expect(doc.schemaVersion).toBe("X0508");
    expect(doc.aff10b5One).toBe(false);
    expect(doc.issuer).toEqual({ cik: "0000933972", name: "374Water Inc.", ticker: "SCWO" });
    // X0508 writes flags as true/false and omits the false ones.
    expect(doc.reportingOwners[0]).toMatchObject({ isOfficer: true, isDirector: false, officerTitle: "Chief Technology Officer" });
    expect(doc.nonDerivativeTransactions[0]).toMatchObject({ code: "A", codeMeaning: "Grant, award or other acquisition pursuant to Rule 16b-3(d)", shares: 757756, pricePerShare: 0, equitySwapInvolved: false });
    expect(doc.derivativeTransactions[0]).toMatchObject({ code: "A", exercisePrice: 0.33, expirationDate: "2035-04-29", underlyingShares: 757576 });
    expect(doc.derivativeTransactions[0]?.footnotes.map((f) => f.field)).toEqual(["transactionShares", "exerciseDate"]);
  });

  it("Form 3 (X0206, Snowflake director): 6 derivative holdings, no transactions", () => {
    const xml = read("form3.snow.xml");
    const doc = parseOwnershipDocument(xml);
    expectRowsMatchXml(xml, doc);
    expect(doc).toMatchObject({ schemaVersion: "X0206", documentType: "3", noSecuritiesOwned: false });
    expect(doc.nonDerivativeTransactions).toHaveLength(0);
    expect(doc.derivativeHoldings).toHaveLength(6);
    expect(doc.reportingOwners[0]?.relationship).toBe("Director");
    const pref = doc.derivativeHoldings[0];
    expect(pref).toMatchObject({ securityTitle: "Series E Preferred Stock", exercisePrice: undefined, underlyingSecurityTitle: "Class B Common Stock", underlyingShares: 134018, directOrIndirect: "I", natureOfOwnership: "Limited Partnership" });
    expect(pref?.footnotes.map((f) => `${f.field}:${f.id}`)).toEqual([
      "conversionOrExercisePrice:F1",
      "exerciseDate:F1",
      "expirationDate:F1",
      "underlyingSecurityTitle:F2",
      "underlyingSecurityTitle:F3",
      "natureOfOwnership:F4",
    ]);
  });

  it("Form 5 (X0306, Snowflake director): a gift and 2 holdings", () => {
    const xml = read("form5.snow.xml");
    const doc = parseOwnershipDocument(xml);
    expectRowsMatchXml(xml, doc);
    expect(doc.documentType).toBe("5");
    expect(doc.nonDerivativeTransactions[0]).toMatchObject({ formType: "5", code: "G", codeMeaning: "Bona fide gift", shares: 61386, acquiredDisposed: "D", sharesOwnedAfter: 54666 });
    expect(doc.nonDerivativeTransactions[0]?.footnotes[0]?.text).toBe("Represents shares that the Reporting Person transferred for no consideration.");
  });

  it("summarizes the Snowflake Form 4: 5 open-market sales, no buys", () => {
    const doc = parseOwnershipDocument(read("form4.snow.xml"));
    const s = summarizeInsiderActivity(insiderTransactions(doc), { from: "2022-12-01", to: "2022-12-31" });
    expect(s.buys).toEqual({ count: 0, shares: 0, value: 0 });
    expect(s.sells.count).toBe(5);
    expect(s.sells.shares).toBe(73170 + 74907 + 41986 + 5496 + 4441);
    expect(s.netShares).toBe(-200000);
    const dollars = 73170 * 150.841 + 74907 * 151.814 + 41986 * 152.655 + 5496 * 153.872 + 4441 * 154.76;
    expect(s.netValue).toBeCloseTo(-dollars, 2);
    expect(s.distinctSellers).toBe(1);
    expect(s.distinctBuyers).toBe(0);
    expect(s.largest[0]).toMatchObject({ code: "S", shares: 74907, owners: ["Scarpelli Michael"] });
    expect(s.countsByCode).toEqual({ M: 2, S: 5 });
    expect(summarizeInsiderActivity(insiderTransactions(doc), { from: "2023-01-01", to: "2023-12-31" }).sells.count).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------
// Synthetic

const ownerXml = (cik: string, name: string) =>
  `<reportingOwner><reportingOwnerId><rptOwnerCik>${cik}</rptOwnerCik><rptOwnerName>${name}</rptOwnerName></reportingOwnerId><reportingOwnerRelationship><isDirector>1</isDirector><isTenPercentOwner>1</isTenPercentOwner></reportingOwnerRelationship></reportingOwner>`;
const txXml = (code: string, shares: string, price: string, date = "2024-02-01") =>
  `<nonDerivativeTransaction><securityTitle><value>Common Stock</value></securityTitle><transactionDate><value>${date}</value></transactionDate><transactionCoding><transactionFormType>4</transactionFormType><transactionCode>${code}</transactionCode><equitySwapInvolved>0</equitySwapInvolved></transactionCoding><transactionAmounts><transactionShares><value>${shares}</value></transactionShares><transactionPricePerShare><value>${price}</value></transactionPricePerShare><transactionAcquiredDisposedCode><value>${code === "P" ? "A" : "D"}</value></transactionAcquiredDisposedCode></transactionAmounts><postTransactionAmounts><sharesOwnedFollowingTransaction><value>1000</value></sharesOwnedFollowingTransaction></postTransactionAmounts><ownershipNature><directOrIndirectOwnership><value>D</value></directOrIndirectOwnership></ownershipNature></nonDerivativeTransaction>`;
const doc4 = (owners: string, txs: string, docType = "4", extra = "") =>
  `<?xml version="1.0"?><ownershipDocument><schemaVersion>X0508</schemaVersion><documentType>${docType}</documentType><periodOfReport>2024-02-01</periodOfReport>${extra}<issuer><issuerCik>0000000123</issuerCik><issuerName>Acme</issuerName><issuerTradingSymbol>ACME</issuerTradingSymbol></issuer>${owners}<aff10b5One>1</aff10b5One><nonDerivativeTable>${txs}</nonDerivativeTable></ownershipDocument>`;

describe("parseOwnershipDocument (synthetic)", () => {
  it("reads a 4/A with joint owners, 10b5-1 flag and commas in numbers", () => {
    const doc = parseOwnershipDocument(
      doc4(ownerXml("0000000001", "Fund LP") + ownerXml("0000000002", "Fund GP"), txXml("P", "1,500", "10.00"), "4/A", "<dateOfOriginalSubmission>2024-02-02</dateOfOriginalSubmission>"),
    );
    expect(doc).toMatchObject({ documentType: "4/A", isAmendment: true, aff10b5One: true, dateOfOriginalSubmission: "2024-02-02" });
    expect(doc.reportingOwners.map((o) => o.relationship)).toEqual(["Director, 10% Owner", "Director, 10% Owner"]);
    expect(doc.nonDerivativeTransactions[0]).toMatchObject({ code: "P", openMarket: true, shares: 1500, pricePerShare: 10 });
    expect(doc.footnotes).toEqual({});
  });

  it("rejects malformed and non-ownership documents with INVALID_INPUT", () => {
    expectInvalid(() => parseOwnershipDocument("<ownershipDocument><issuer></ownershipDocument>"), /not well-formed/);
    expectInvalid(() => parseOwnershipDocument("<edgarSubmission/>"), /expected an <ownershipDocument>/);
    expectInvalid(() => parseOwnershipDocument("<ownershipDocument><documentType>10-K</documentType></ownershipDocument>"), /documentType/);
    expectInvalid(() => parseOwnershipDocument(doc4(ownerXml("1", "A"), txXml("S", "ten", "1"))), /not a number/);
  });
});

describe("TRANSACTION_CODES", () => {
  it("has the SEC's 20 codes, only P and S open-market", () => {
    expect(Object.keys(TRANSACTION_CODES).sort()).toEqual(["A", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "O", "P", "S", "U", "V", "W", "X", "Z"]);
    expect(Object.entries(TRANSACTION_CODES).filter(([, v]) => v.openMarket).map(([k]) => k)).toEqual(["P", "S"]);
    expect(TRANSACTION_CODES.F.meaning).toMatch(/tax liability/);
    expect(describeTransactionCode("q")).toMatchObject({ meaning: 'Unknown transaction code "Q"', openMarket: false });
  });
});

describe("summarizeInsiderActivity", () => {
  const txs: InsiderTransaction[] = [
    ...insiderTransactions(parseOwnershipDocument(doc4(ownerXml("0000000001", "Alice"), txXml("P", "1000", "10") + txXml("A", "500", "0")))),
    ...insiderTransactions(parseOwnershipDocument(doc4(ownerXml("0000000002", "Bob"), txXml("P", "200", "11", "2024-02-05")))),
    ...insiderTransactions(parseOwnershipDocument(doc4(ownerXml("0000000003", "Carol"), txXml("S", "300", "12", "2024-02-06")))),
    ...insiderTransactions(parseOwnershipDocument(doc4(ownerXml("0000000004", "Dan"), txXml("S", "9999", "12", "2024-03-15")))),
  ];
  it("nets P minus S within the window and counts distinct insiders", () => {
    const s = summarizeInsiderActivity(txs, { from: "2024-02-01", to: "2024-02-29" });
    expect(s.buys).toEqual({ count: 2, shares: 1200, value: 12200 });
    expect(s.sells).toEqual({ count: 1, shares: 300, value: 3600 });
    expect(s.netShares).toBe(900);
    expect(s.netValue).toBe(8600);
    expect(s.distinctBuyers).toBe(2);
    expect(s.distinctSellers).toBe(1);
    expect(s.largest.map((l) => l.owners[0])).toEqual(["Alice", "Carol", "Bob"]);
    expect(s.countsByCode).toEqual({ P: 2, A: 1, S: 1 });
  });
  it("rejects a reversed window", () => {
    try {
      summarizeInsiderActivity(txs, { from: "2024-03-01", to: "2024-02-01" });
      throw new Error("expected INVALID_RANGE");
    } catch (err) {
      expect(isArgusError(err) && err.code).toBe("INVALID_RANGE");
    }
  });
});
