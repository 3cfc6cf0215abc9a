import { analyzeTicker } from "./analysis/analyze-ticker.js";
import { listAnalyses, optimizeWeights, scoreOutcomes } from "./analysis/analysis-log-tools.js";
import { explainSignal } from "./analysis/explain-signal.js";
import { chartTicker } from "./analysis/chart-ticker.js";
import { getAccount, getFills, getMode, getOrders, getPositions, getRiskStatus, verifyAuditLog } from "./execution/account-tools.js";
import { cancelOrder, checkOrder, getProposal, listProposals, proposeOrder } from "./execution/order-tools.js";
import { getIndicators } from "./analysis/get-indicators.js";
import { findOutliers, portfolioMetricsTool, priceOptionTool } from "./analysis/research-tools.js";
import { checkDataQuality } from "./data/check-data-quality.js";
import { getBars } from "./data/get-bars.js";
import { getLatestPrice } from "./data/get-latest-price.js";
import { getMarketStatus } from "./data/get-market-status.js";
import { getTradingCalendar } from "./data/get-trading-calendar.js";
import { importBarsCsv } from "./data/import-bars-csv.js";
import { listSymbols } from "./data/list-symbols.js";
import { getCompany, listFilings, searchCompanies } from "./edgar/company-tools.js";
import { get13FHoldings, getInsiderTransactions } from "./edgar/ownership-tools.js";
import { getFactors } from "./edgar/factor-tools.js";
import { getFilingSignals } from "./edgar/signal-tools.js";
import { getConceptHistory, getFinancialStatements } from "./edgar/statement-tools.js";
import { compareBacktests, getBacktest, listBacktests, runBacktest } from "./backtest/backtest-tools.js";
import { ToolRegistry } from "./registry.js";
import type { ToolSpec } from "./spec.js";

/**
 * Every tool Argus serves, by area (the REST API's OpenAPI tags), in the order clients
 * list them. Add new tools to their area here.
 */
export const TOOL_AREAS = {
  data: [getMarketStatus, getTradingCalendar, listSymbols, getBars, getLatestPrice, checkDataQuality, importBarsCsv],
  analysis: [getIndicators, analyzeTicker, explainSignal, listAnalyses, scoreOutcomes, optimizeWeights, findOutliers, priceOptionTool, portfolioMetricsTool, chartTicker],
  edgar: [searchCompanies, getCompany, listFilings, getFinancialStatements, getConceptHistory, getFactors, get13FHoldings, getInsiderTransactions, getFilingSignals],
  execution: [getMode, getAccount, getPositions, getOrders, getFills, listProposals, checkOrder, proposeOrder, getProposal, cancelOrder, getRiskStatus, verifyAuditLog],
  backtest: [runBacktest, getBacktest, listBacktests, compareBacktests],
} as unknown as Record<"data" | "analysis" | "edgar" | "execution" | "backtest", readonly ToolSpec[]>;

export const ALL_TOOLS: readonly ToolSpec[] = Object.values(TOOL_AREAS).flat();

/** The area a tool belongs to, by name. */
export function toolArea(name: string): string | undefined {
  for (const [area, specs] of Object.entries(TOOL_AREAS)) if (specs.some((s) => s.name === name)) return area;
  return undefined;
}

export function createToolRegistry(): ToolRegistry {
  return new ToolRegistry(ALL_TOOLS);
}
