import { z } from "zod";
import type { App } from "../../src/app.js";
import { singleReportOf, type StoredBacktest } from "../../src/backtest/backtest-manager.js";
import { backtestConfigSchema } from "../../src/backtest/config.js";
import { formatBacktestList, formatBacktestTable, formatComparison } from "../../src/backtest/report/format.js";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { defineTool, READ_ONLY, WithImages, type ToolImage } from "../spec.js";

/** Headline numbers of any backtest kind. */
const summaryShape = z.object({
  totalReturn: z.number(),
  cagr: z.number().nullable(),
  sharpe: z.number().nullable(),
  maxDrawdown: z.number(),
  trades: z.number().int(),
  hitRate: z.number().nullable(),
  benchmarkReturn: z.number().nullable(),
  rejections: z.number().int().describe("Proposals the risk firewall refused"),
});

const headerShape = {
  id: z.string(),
  name: z.string(),
  kind: z.enum(["single", "sweep", "walk_forward"]),
  strategy: z.string(),
  start: z.string(),
  end: z.string(),
  createdAt: z.string(),
  summary: summaryShape,
  configHash: z.string().describe("SHA-256 of the validated configuration and limits"),
  dataHash: z.string().describe("SHA-256 of every bar the run read"),
  reportHash: z.string().describe("SHA-256 of the report: the same config and data reproduce it exactly"),
  elapsedMs: z.number().int(),
  bars: z.number().int(),
  barsPerSecond: z.number(),
};

function header(b: Omit<StoredBacktest, "report" | "config">) {
  return {
    id: b.id,
    name: b.name,
    kind: b.kind,
    strategy: b.strategy,
    start: b.startDate,
    end: b.endDate,
    createdAt: toExchangeIso(b.createdAt),
    summary: b.summary,
    configHash: b.configHash,
    dataHash: b.dataHash,
    reportHash: b.reportHash,
    elapsedMs: b.elapsedMs,
    bars: b.bars,
    barsPerSecond: b.elapsedMs > 0 ? Math.round((b.bars / b.elapsedMs) * 1000) : 0,
  };
}

function chartImage(app: App, b: StoredBacktest): ToolImage[] {
  const png = app.backtest.chart(b);
  return png ? [{ data: png.png.toString("base64"), mimeType: "image/png" }] : [];
}

/** Every n-th point (and the last), so a 20-year daily curve fits in a tool answer. */
function thin<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const step = (xs.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => xs[Math.round(i * step)]!);
}

const resultShape = z.object({
  ...headerShape,
  benchmark: z.string().nullable(),
  orders: z.record(z.string(), z.number()).nullable(),
  rejectionsByCode: z.record(z.string(), z.number()).nullable().describe("Failed firewall checks over every refused proposal"),
  policy: z.object({ approval: z.string(), supervision: z.string(), timing: z.string() }).nullable(),
  text: z.string().describe("The report as a readable table"),
});

function resultOf(b: StoredBacktest) {
  const s = singleReportOf(b.report);
  return {
    ...header(b),
    benchmark: s?.benchmark ?? null,
    orders: s?.orders ?? null,
    rejectionsByCode: s?.firewall.rejectionsByCode ?? null,
    policy: s?.policy ?? null,
    text: formatBacktestTable(b),
  };
}

export const runBacktest = defineTool({
  name: "run_backtest",
  title: "Run a backtest",
  description:
    "Replays history through Argus itself — the same analysis, risk firewall and paper broker — with a strategy given as data: the default ensemble, " +
    'a declarative rules strategy (indicators, entry/exit conditions, sizing, rebalancing) or "null". Nothing after each replayed moment is visible to the strategy. ' +
    "Orders are approved by a recorded policy (only firewall-passing proposals), never touching your real book. Optional parameter sweep and walk-forward. " +
    "Returns CAGR, volatility, Sharpe, Sortino, max drawdown, hit rate, profit factor, costs, exposure, turnover, firewall rejections by code, a buy-and-hold comparison, " +
    "hashes for reproduction and a PNG of equity and drawdown. Long runs report progress and can be cancelled. Stored; read it again with get_backtest.",
  input: backtestConfigSchema.extend({ chart: z.boolean().default(true).describe("Attach the equity/drawdown PNG") }),
  output: resultShape,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(input, { app, signal, progress }) {
    const { chart, ...config } = input;
    const stored = await app.backtest.run(config, {
      ...(signal ? { signal } : {}),
      ...(progress ? { onProgress: (p: { done: number; total: number; message: string }) => progress(p.done, p.total, p.message) } : {}),
    });
    return new WithImages(resultOf(stored), chart ? chartImage(app, stored) : []);
  },
  summarize: (o) => o.text,
});

export const getBacktest = defineTool({
  name: "get_backtest",
  title: "Get a stored backtest",
  description:
    "A stored backtest by id: its configuration, headline numbers and, as asked, the trades with their entry and exit reasons, the firewall's refusals, the " +
    "equity/drawdown/benchmark curves (thinned to curvePoints) and the PNG chart. Sweeps include every combination; walk-forward runs every window.",
  input: z.object({
    id: z.string().min(1).max(100),
    include: z.array(z.enum(["trades", "curves", "refusals", "config"])).default(["trades"]).describe("Extra sections to include"),
    curvePoints: z.number().int().min(10).max(5000).default(250),
    maxTrades: z.number().int().min(1).max(5000).default(200),
    chart: z.boolean().default(false).describe("Attach the equity/drawdown PNG"),
  }),
  output: z.object({
    ...resultShape.shape,
    metrics: z.record(z.string(), z.unknown()).nullable(),
    benchmarkMetrics: z.record(z.string(), z.unknown()).nullable(),
    costs: z.record(z.string(), z.unknown()).nullable(),
    exposure: z.record(z.string(), z.unknown()).nullable(),
    turnover: z.record(z.string(), z.unknown()).nullable(),
    stateEvents: z.array(z.record(z.string(), z.unknown())).nullable(),
    trades: z.array(z.record(z.string(), z.unknown())).optional(),
    tradesTotal: z.number().int().optional(),
    curves: z.object({ date: z.array(z.string()), equity: z.array(z.number()), drawdown: z.array(z.number()), benchmarkEquity: z.array(z.number().nullable()), exposure: z.array(z.number()) }).optional(),
    refusals: z.array(z.record(z.string(), z.unknown())).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    sweep: z.array(z.record(z.string(), z.unknown())).optional(),
    windows: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const b = app.backtest.get(input.id);
    const s = singleReportOf(b.report);
    const n = s?.numbers;
    const out: Record<string, unknown> = {
      ...resultOf(b),
      metrics: n?.metrics ?? null,
      benchmarkMetrics: n?.benchmark ?? null,
      costs: n?.costs ?? null,
      exposure: n?.exposure ?? null,
      turnover: n?.turnover ?? null,
      stateEvents: s?.stateEvents ?? null,
    };
    if (s && n && input.include.includes("trades")) {
      out.trades = n.trades.slice(0, input.maxTrades) as unknown as Record<string, unknown>[];
      out.tradesTotal = n.trades.length;
    }
    if (s && n && input.include.includes("curves")) {
      const idx = thin(
        n.curves.t.map((_, i) => i),
        input.curvePoints,
      );
      out.curves = {
        date: idx.map((i) => s.numbers.curves.t[i]!).map((t) => toExchangeIso(t).slice(0, 10)),
        equity: idx.map((i) => n.curves.equity[i]!),
        drawdown: idx.map((i) => n.curves.drawdown[i]!),
        benchmarkEquity: idx.map((i) => n.curves.benchmarkEquity[i] ?? null),
        exposure: idx.map((i) => n.curves.exposure[i]!),
      };
    }
    if (s && input.include.includes("refusals")) out.refusals = s.firewall.examples as unknown as Record<string, unknown>[];
    if (input.include.includes("config")) out.config = b.config as unknown as Record<string, unknown>;
    if (b.report.kind === "sweep") out.sweep = b.report.runs as unknown as Record<string, unknown>[];
    if (b.report.kind === "walk_forward") out.windows = b.report.windows as unknown as Record<string, unknown>[];
    return new WithImages(out as never, input.chart ? chartImage(app, b) : []);
  },
  summarize: (o) => o.text,
});

export const listBacktests = defineTool({
  name: "list_backtests",
  title: "List stored backtests",
  description: "Stored backtests, newest first, with their headline numbers and hashes. Use get_backtest for one in full, compare_backtests to set several side by side.",
  input: z.object({ limit: z.number().int().min(1).max(500).default(20) }),
  output: z.object({ backtests: z.array(z.object(headerShape)) }),
  annotations: READ_ONLY,
  run(input, { app }) {
    return { backtests: app.backtest.list(input.limit).map(header) };
  },
  summarize: (o) => formatBacktestList(o.backtests),
});

export const compareBacktests = defineTool({
  name: "compare_backtests",
  title: "Compare backtests",
  description:
    "Sets 2–8 stored backtests side by side: total return, CAGR, Sharpe, max drawdown, hit rate, trades, firewall refusals and the benchmark's return (get_backtest has every metric), " +
    "and says whether their configurations, data and reports are identical (equal hashes mean a run reproduced exactly).",
  input: z.object({ ids: z.array(z.string().min(1).max(100)).min(2).max(8) }),
  output: z.object({
    backtests: z.array(z.object(headerShape)),
    sameConfig: z.boolean(),
    sameData: z.boolean(),
    sameReport: z.boolean(),
    text: z.string(),
  }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const all = input.ids.map((id) => app.backtest.get(id));
    const same = (k: "configHash" | "dataHash" | "reportHash") => all.every((b) => b[k] === all[0]![k]);
    return { backtests: all.map(header), sameConfig: same("configHash"), sameData: same("dataHash"), sameReport: same("reportHash"), text: formatComparison(all) };
  },
  summarize: (o) => o.text,
});
