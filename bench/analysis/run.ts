import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import { BacktestClock } from "../../src/core/clock.js";
import { loadConfig } from "../../src/core/config.js";
import { silentLogger } from "../../src/core/logger.js";
import { fromRoot } from "../../src/core/package-root.js";
import { benchOnnxLatency } from "../../src/analysis/model/latency.js";
import { ProbabilityModel } from "../../src/analysis/model/probability-model.js";
import { createToolRegistry } from "../../tools/index.js";
import { percentile } from "../stats.js";

const ANALYZE_CALLS = Number(process.env.BENCH_ANALYZE_CALLS ?? 1000);
const ANALYZE_TARGET_P50_MS = 2;
const ONNX_TARGET_P99_US = 50;

export interface AnalysisBenchResult {
  analyze: { calls: number; p50Ms: number; p99Ms: number; meanMs: number };
  onnx: { calls: number; p50Us: number; p99Us: number };
  markdown: string;
}

/**
 * Server-side cost of analyze_ticker (the registry call a surface makes: validation,
 * bars, indicators, regime, votes, ONNX probability, the log insert, output check) on the
 * demo universe, rotating over its symbols; and batch-1 ONNX inference latency.
 */
export async function runAnalysisBench(): Promise<AnalysisBenchResult> {
  const home = mkdtempSync(join(tmpdir(), "argus-bench-analysis-"));
  const app = createApp(loadConfig({ env: { ARGUS_HOME: home }, cwd: home }), { clock: new BacktestClock(Date.parse("2026-11-23T15:00:00Z")), logger: silentLogger() });
  try {
    const registry = createToolRegistry();
    const symbols = app.data.symbols().map((s) => s.symbol);
    const run = async (i: number) => {
      const r = await registry.call("analyze_ticker", { symbol: symbols[i % symbols.length] }, { app });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    };
    for (let i = 0; i < 100; i++) await run(i); // warm-up: model load, JIT, caches
    const samples: number[] = [];
    for (let i = 0; i < ANALYZE_CALLS; i++) {
      const start = performance.now();
      await run(i);
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const analyze = { calls: samples.length, p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), meanMs: samples.reduce((s, x) => s + x, 0) / samples.length };

    const model = await ProbabilityModel.load(fromRoot("models", "probability-v1.onnx"));
    const lat = await benchOnnxLatency(model, { calls: 10_000 });
    await model.close();
    const onnx = { calls: lat.calls, p50Us: lat.p50Us, p99Us: lat.p99Us };

    const verdict = (ok: boolean) => (ok ? "meets" : "**misses**");
    const markdown = [
      "## Analysis",
      "",
      "| Measure | Result | Target | Verdict |",
      "|---|---:|---:|---|",
      `| analyze_ticker server-side p50 | ${analyze.p50Ms.toFixed(3)} ms | < ${ANALYZE_TARGET_P50_MS} ms | ${verdict(analyze.p50Ms < ANALYZE_TARGET_P50_MS)} |`,
      `| analyze_ticker server-side p99 | ${analyze.p99Ms.toFixed(3)} ms | — | — |`,
      `| ONNX batch-1 inference p99 | ${onnx.p99Us.toFixed(1)} µs | < ${ONNX_TARGET_P99_US} µs | ${verdict(onnx.p99Us < ONNX_TARGET_P99_US)} |`,
      `| ONNX batch-1 inference p50 | ${onnx.p50Us.toFixed(1)} µs | — | — |`,
      "",
      `analyze_ticker: ${analyze.calls} sequential registry calls (after 100 warm-up calls) rotating over the ${symbols.length} demo symbols, each reading 400 daily bars, ` +
        "computing the indicators, regime, three votes and the ensemble, running the ONNX model, writing the analysis-log row (SQLite, WAL) and checking the output schema; " +
        `mean ${analyze.meanMs.toFixed(3)} ms. ONNX: ${onnx.calls} single-row \`predict()\` calls on \`models/probability-v1.onnx\` (onnxruntime-node, one thread).`,
      "",
    ].join("\n");
    return { analyze, onnx, markdown };
  } finally {
    app.close();
    rmSync(home, { recursive: true, force: true });
  }
}
