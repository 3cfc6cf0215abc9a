import { formatMoney, textTable } from "../../core/text-table.js";
import type { StoredBacktest } from "../backtest-manager.js";
import type { SingleReport } from "./build-report.js";
import type { SeriesMetrics } from "./metrics.js";

/** Readable tables of a backtest for tool summaries and the CLI. */

export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(digits)}%`;
}

function ratio(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(2);
}

function metricRows(m: SeriesMetrics | null): string[] {
  if (!m) return ["—", "—", "—", "—", "—", "—"];
  return [pct(m.totalReturn), pct(m.cagr), pct(m.volatility), ratio(m.sharpe), ratio(m.sortino), pct(m.maxDrawdown)];
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
      ["Hit rate", pct(n.hitRate)],
      ["Profit factor", ratio(n.profitFactor)],
      ["Costs (slippage)", `${formatMoney(n.costs.total)} (${pct(n.costs.asPctOfInitial, 2)} of start)`],
      ["Average exposure", pct(n.exposure.average)],
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
    const rows = r.runs.map((x) => [JSON.stringify(x.parameters), x.objective === null ? "—" : x.objective.toFixed(3), pct(x.summary.totalReturn), pct(x.summary.maxDrawdown), String(x.summary.trades)]);
    return `${head}\n\nSweep over ${r.runs.length} combinations, objective ${r.objective}; best ${JSON.stringify(r.bestParameters)}.\n${textTable(["Parameters", r.objective, "Return", "Max DD", "Trades"], rows)}\n\nBest run:\n${singleTable(r.best)}`;
  }
  const rows = r.windows.map((w) => [`${w.train.start}..${w.train.end}`, `${w.test.start}..${w.test.end}`, JSON.stringify(w.chosen), w.trainObjective === null ? "—" : w.trainObjective.toFixed(3), pct(w.result.totalReturn), pct(w.result.benchmarkReturn), pct(w.result.maxDrawdown)]);
  return `${head}\n\nWalk-forward, ${r.windows.length} windows, objective ${r.objective}. Out of sample: ${pct(r.outOfSample.compoundedReturn)} compounded vs ${pct(r.outOfSample.benchmarkCompoundedReturn)} for the benchmark.\n${textTable(["Train", "Test", "Chosen", `Train ${r.objective}`, "Test return", "Benchmark", "Test max DD"], rows)}`;
}

export function formatComparison(all: StoredBacktest[]): string {
  const rows: [string, (b: StoredBacktest) => string][] = [
    ["Strategy", (b) => b.strategy],
    ["Period", (b) => `${b.startDate}..${b.endDate}`],
    ["Total return", (b) => pct(b.summary.totalReturn)],
    ["CAGR", (b) => pct(b.summary.cagr)],
    ["Sharpe", (b) => ratio(b.summary.sharpe)],
    ["Max drawdown", (b) => pct(b.summary.maxDrawdown)],
    ["Hit rate", (b) => pct(b.summary.hitRate)],
    ["Trades", (b) => String(b.summary.trades)],
    ["Refused by firewall", (b) => String(b.summary.rejections)],
    ["Benchmark return", (b) => pct(b.summary.benchmarkReturn)],
    ["Report hash", (b) => `${b.reportHash.slice(0, 12)}…`],
  ];
  return textTable(
    ["", ...all.map((b) => b.id.slice(0, 11))],
    rows.map(([label, f]) => [label, ...all.map(f)]),
  );
}
