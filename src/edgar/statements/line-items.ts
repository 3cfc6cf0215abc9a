/** Catalog of statement line items and the us-gaap tags that can carry them, in order. */

export type StatementKind = "income" | "balance" | "cashflow";
/** currency: monetary (USD…); perShare: currency per share; shares: share counts. */
export type ItemUnit = "currency" | "perShare" | "shares";

export interface Derivation {
  /** value = Σ sign × input item */
  terms: Array<{ item: string; sign: 1 | -1 }>;
}

export interface LineItem {
  item: string;
  label: string;
  kind: StatementKind;
  unit: ItemUnit;
  /** instant (balance sheet) or duration (flows) */
  periodType: "instant" | "duration";
  /** tags tried in order per period: the first that has the period wins */
  tags: string[];
  /** used only for periods where no tag has a value */
  derive?: Derivation;
}

const inc = (item: string, label: string, tags: string[], extra: Partial<LineItem> = {}): LineItem => ({
  item, label, kind: "income", unit: "currency", periodType: "duration", tags, ...extra,
});
const bal = (item: string, label: string, tags: string[], extra: Partial<LineItem> = {}): LineItem => ({
  item, label, kind: "balance", unit: "currency", periodType: "instant", tags, ...extra,
});
const cf = (item: string, label: string, tags: string[], extra: Partial<LineItem> = {}): LineItem => ({
  item, label, kind: "cashflow", unit: "currency", periodType: "duration", tags, ...extra,
});

export const LINE_ITEMS: readonly LineItem[] = [
  // ── income statement ──
  inc("revenue", "Revenue", [
    "RevenueFromContractWithCustomerExcludingAssessedTax",
    "RevenueFromContractWithCustomerIncludingAssessedTax",
    "Revenues",
    "SalesRevenueNet",
    "SalesRevenueGoodsNet",
    "SalesRevenueServicesNet",
    "RevenuesNetOfInterestExpense",
  ]),
  inc("costOfRevenue", "Cost of revenue", [
    "CostOfRevenue",
    "CostOfGoodsAndServicesSold",
    "CostOfGoodsSold",
    "CostOfGoodsAndServiceExcludingDepreciationDepletionAndAmortization",
    "CostOfServices",
  ]),
  inc("grossProfit", "Gross profit", ["GrossProfit"], {
    derive: { terms: [{ item: "revenue", sign: 1 }, { item: "costOfRevenue", sign: -1 }] },
  }),
  inc("researchAndDevelopment", "Research and development", ["ResearchAndDevelopmentExpense"]),
  inc("sellingGeneralAdministrative", "Selling, general and administrative", [
    "SellingGeneralAndAdministrativeExpense",
  ]),
  inc("operatingExpenses", "Operating expenses", ["OperatingExpenses", "CostsAndExpenses"]),
  inc("operatingIncome", "Operating income", ["OperatingIncomeLoss"]),
  inc("interestExpense", "Interest expense", [
    "InterestExpense",
    "InterestExpenseNonoperating",
    "InterestExpenseDebt",
    "InterestAndDebtExpense",
  ]),
  inc("pretaxIncome", "Income before income taxes", [
    "IncomeLossFromContinuingOperationsBeforeIncomeTaxesExtraordinaryItemsNoncontrollingInterest",
    "IncomeLossFromContinuingOperationsBeforeIncomeTaxesMinorityInterestAndIncomeLossFromEquityMethodInvestments",
    "IncomeLossFromContinuingOperationsBeforeIncomeTaxesDomestic",
  ]),
  inc("incomeTaxExpense", "Income tax expense", ["IncomeTaxExpenseBenefit"]),
  inc("netIncome", "Net income attributable to the company", ["NetIncomeLoss", "ProfitLoss"]),
  inc("epsBasic", "EPS, basic", ["EarningsPerShareBasic", "EarningsPerShareBasicAndDiluted"], { unit: "perShare" }),
  inc("epsDiluted", "EPS, diluted", ["EarningsPerShareDiluted", "EarningsPerShareBasicAndDiluted"], {
    unit: "perShare",
  }),
  inc("sharesBasic", "Weighted average shares, basic", ["WeightedAverageNumberOfSharesOutstandingBasic"], {
    unit: "shares",
  }),
  inc("sharesDiluted", "Weighted average shares, diluted", ["WeightedAverageNumberOfDilutedSharesOutstanding"], {
    unit: "shares",
  }),

  // ── balance sheet ──
  bal("cash", "Cash and cash equivalents", [
    "CashAndCashEquivalentsAtCarryingValue",
    "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents",
    "Cash",
  ]),
  bal("shortTermInvestments", "Short-term investments", [
    "MarketableSecuritiesCurrent",
    "AvailableForSaleSecuritiesDebtSecuritiesCurrent",
    "ShortTermInvestments",
  ]),
  bal("receivables", "Accounts receivable, net", ["AccountsReceivableNetCurrent", "ReceivablesNetCurrent"]),
  bal("inventory", "Inventory", ["InventoryNet"]),
  bal("currentAssets", "Total current assets", ["AssetsCurrent"]),
  bal("propertyPlantEquipment", "Property, plant and equipment, net", [
    "PropertyPlantAndEquipmentNet",
    "PropertyPlantAndEquipmentAndFinanceLeaseRightOfUseAssetAfterAccumulatedDepreciationAndAmortization",
  ]),
  bal("goodwill", "Goodwill", ["Goodwill"]),
  bal("totalAssets", "Total assets", ["Assets"]),
  bal("accountsPayable", "Accounts payable", ["AccountsPayableCurrent"]),
  bal("currentLiabilities", "Total current liabilities", ["LiabilitiesCurrent"]),
  bal("longTermDebt", "Long-term debt", [
    "LongTermDebtNoncurrent",
    "LongTermDebt",
    "LongTermDebtAndCapitalLeaseObligations",
    "LongTermDebtAndCapitalLeaseObligationsNoncurrent",
  ]),
  bal("totalLiabilitiesAndEquity", "Total liabilities and equity", ["LiabilitiesAndStockholdersEquity"]),
  bal("stockholdersEquity", "Stockholders' equity (parent)", ["StockholdersEquity"]),
  bal("totalEquity", "Total equity incl. noncontrolling interest", [
    "StockholdersEquityIncludingPortionAttributableToNoncontrollingInterest",
    "StockholdersEquity",
  ]),
  bal("totalLiabilities", "Total liabilities", ["Liabilities"], {
    derive: { terms: [{ item: "totalLiabilitiesAndEquity", sign: 1 }, { item: "totalEquity", sign: -1 }] },
  }),

  // ── cash flow ──
  cf("operatingCashFlow", "Net cash from operating activities", [
    "NetCashProvidedByUsedInOperatingActivities",
    "NetCashProvidedByUsedInOperatingActivitiesContinuingOperations",
  ]),
  cf("capitalExpenditures", "Capital expenditures", [
    "PaymentsToAcquirePropertyPlantAndEquipment",
    "PaymentsToAcquireProductiveAssets",
  ]),
  cf("freeCashFlow", "Free cash flow (CFO − capex)", [], {
    derive: { terms: [{ item: "operatingCashFlow", sign: 1 }, { item: "capitalExpenditures", sign: -1 }] },
  }),
  cf("investingCashFlow", "Net cash from investing activities", [
    "NetCashProvidedByUsedInInvestingActivities",
    "NetCashProvidedByUsedInInvestingActivitiesContinuingOperations",
  ]),
  cf("financingCashFlow", "Net cash from financing activities", [
    "NetCashProvidedByUsedInFinancingActivities",
    "NetCashProvidedByUsedInFinancingActivitiesContinuingOperations",
  ]),
  cf("dividendsPaid", "Dividends paid", [
    "PaymentsOfDividends",
    "PaymentsOfDividendsCommonStock",
    "PaymentsOfOrdinaryDividends",
  ]),
  cf("shareRepurchases", "Repurchases of common stock", ["PaymentsForRepurchaseOfCommonStock"]),
  cf("depreciationAmortization", "Depreciation and amortization", [
    "DepreciationDepletionAndAmortization",
    "DepreciationAmortizationAndAccretionNet",
    "DepreciationAndAmortization",
    "Depreciation",
  ]),
  cf("stockBasedCompensation", "Share-based compensation", ["ShareBasedCompensation", "AllocatedShareBasedCompensationExpense"]),
];

export function lineItemsFor(kind: StatementKind): LineItem[] {
  return LINE_ITEMS.filter((i) => i.kind === kind);
}

export function lineItem(item: string): LineItem | undefined {
  return LINE_ITEMS.find((i) => i.item === item);
}
