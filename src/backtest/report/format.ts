import { formatMoney, formatPercent, textTable } from "../../core/text-table.js";
import type { BacktestSummary, StoredBacktest } from "../backtest-manager.js";
import type { SingleReport } from "./build-report.js";
import type { SeriesMetrics } from "./metrics.js";

/** Readable tables of a backtest for tool summaries and the CLI. */

function ratio(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(2);
}

function metricRows(m: SeriesMetrics | null): string[] {
  if (!m) return ["—", "—", "—", "—", "—", "—"];
  return [formatPercent(m.totalReturn), formatPercent(m.cagr), formatPercent(m.volatility), ratio(m.sharpe), ratio(m.sortino), formatPercent(m.maxDrawdown)];
}

function singleTable(r: SingleReport): string {
  const n = r.numbers;
  const labels = ["Total return", "CAGR", "Volatility", "Sharpe", "Sortino", "Max drawdown"];
  const strat = metricRows(n.metrics);
  const bench = metricRows(n.benchmark);
  const perf = textTable(
    ["", "Strategy", `${r.benchmark} buy-and-hold`],
    labels.map((l, i) => [l, strat[i]!, bench[i]!]),
  );
  const trading = textTable(
    ["Trading", ""],
    [
      ["Round trips", String(n.tradeCount)],
      ["Hit rate", formatPercent(n.hitRate)],
      ["Profit factor", ratio(n.profitFactor)],
      ["Costs (slippage)", `${formatMoney(n.costs.total)} (${formatPercent(n.costs.asPctOfInitial, 2)} of start)`],
      ["Average exposure", formatPercent(n.exposure.average)],
      ["Annual turnover", n.turnover.annual === null ? "—" : `${n.turnover.annual.toFixed(2)}×`],
      ["Orders proposed / sent / refused", `${r.orders.proposed} / ${r.orders.submitted} / ${r.orders.blocked + r.orders.blockedOnRecheck}`],
    ],
  );
  const codes = Object.entries(r.firewall.rejectionsByCode);
  const refusals = codes.length === 0 ? "The firewall refused no proposal." : `Firewall refusals by check: ${codes.map(([c, k]) => `${c} ${k}`).join(", ")}.`;
  const shown = r.stateEvents.slice(0, 10).map((e) => `${e.date} ${e.from}→${e.to}`);
  const more = r.stateEvents.length > shown.length ? ` and ${r.stateEvents.length - shown.length} more (get_backtest lists them)` : "";
  const states = r.stateEvents.length === 0 ? "" : `\nTrading state changes (${r.stateEvents.length}): ${shown.join(", ")}${more}.`;
  return `${perf}\n\n${trading}\n\n${refusals}${states}\nApproval: ${r.policy.approval}`;
}

export function formatBacktestTable(b: StoredBacktest): string {
  const head = `Backtest ${b.id} — ${b.name} (${b.strategy}, ${b.startDate}..${b.endDate}); ${b.bars.toLocaleString("en-US")} bars in ${(b.elapsedMs / 1000).toFixed(1)} s. Report hash ${b.reportHash.slice(0, 16)}…, data hash ${b.dataHash.slice(0, 16)}….`;
  const r = b.report;
  if (r.kind === "single") return `${head}\n\n${singleTable(r)}`;
  if (r.kind === "sweep") {
    const rows = r.runs.map((x) => [JSON.stringify(x.parameters), x.objective === null ? "—" : x.objective.toFixed(3), formatPercent(x.summary.totalReturn), formatPercent(x.summary.maxDrawdown), String(x.summary.trades)]);
    return `${head}\n\nSweep over ${r.runs.length} combinations, objective ${r.objective}; best ${JSON.stringify(r.bestParameters)}.\n${textTable(["Parameters", r.objective, "Return", "Max DD", "Trades"], rows)}\n\nBest run:\n${singleTable(r.best)}`;
  }
  const rows = r.windows.map((w) => [`${w.train.start}..${w.train.end}`, `${w.test.start}..${w.test.end}`, JSON.stringify(w.chosen), w.trainObjective === null ? "—" : w.trainObjective.toFixed(3), formatPercent(w.result.totalReturn), formatPercent(w.result.benchmarkReturn), formatPercent(w.result.maxDrawdown)]);
  return `${head}\n\nWalk-forward, ${r.windows.length} windows, objective ${r.objective}. Out of sample: ${formatPercent(r.outOfSample.compoundedReturn)} compounded vs ${formatPercent(r.outOfSample.benchmarkCompoundedReturn)} for the benchmark.\n${textTable(["Train", "Test", "Chosen", `Train ${r.objective}`, "Test return", "Benchmark", "Test max DD"], rows)}`;
}

export function formatComparison(all: StoredBacktest[]): string {
  const rows: [string, (b: StoredBacktest) => string][] = [
    ["Strategy", (b) => b.strategy],
    ["Period", (b) => `${b.startDate}..${b.endDate}`],
    ["Total return", (b) => formatPercent(b.summary.totalReturn)],
    ["CAGR", (b) => formatPercent(b.summary.cagr)],
    ["Sharpe", (b) => ratio(b.summary.sharpe)],
    ["Max drawdown", (b) => formatPercent(b.summary.maxDrawdown)],
    ["Hit rate", (b) => formatPercent(b.summary.hitRate)],
    ["Trades", (b) => String(b.summary.trades)],
    ["Refused by firewall", (b) => String(b.summary.rejections)],
    ["Benchmark return", (b) => formatPercent(b.summary.benchmarkReturn)],
    ["Report hash", (b) => `${b.reportHash.slice(0, 12)}…`],
  ];
  return textTable(
    ["", ...all.map((b) => b.id.slice(0, 11))],
    rows.map(([label, f]) => [label, ...all.map(f)]),
  );
}

/** One line per stored backtest, for listings. */
export function formatBacktestList(rows: { id: string; name: string; start: string; end: string; summary: BacktestSummary }[]): string {
  if (rows.length === 0) return "No backtests stored yet; run one with run_backtest.";
  return rows.map((b) => `${b.id}  ${b.name}  ${b.start}..${b.end}  return ${formatPercent(b.summary.totalReturn)}  max DD ${formatPercent(b.summary.maxDrawdown)}  Sharpe ${ratio(b.summary.sharpe)}`).join("\n");
}
