import { writeFileSync } from "node:fs";
import { fromRoot } from "../src/core/package-root.js";
import { runAnalysisBench } from "./analysis/run.js";
import { runAuditBench } from "./audit/run.js";
import { runBacktestBench } from "./backtest.js";
import { runEdgarBench } from "./edgar.js";
import { runHttpBench } from "./http-throughput.js";
import { runFirewallBench } from "./risk/run.js";
import { runIndicatorBench } from "./indicators/run.js";
import { runMcpBench } from "./mcp-roundtrip.js";

/**
 * `npm run bench`: every benchmark, each against its named peer in the same run, written
 * to docs/BENCHMARKS.md. BENCH_SUITES=mcp,http,indicators,analysis,risk,audit,edgar,backtest picks suites (all by
 * default); BENCH_DOCS=0 prints without writing the file.
 */
const SUITES = ["mcp", "http", "indicators", "analysis", "risk", "audit", "edgar", "backtest"] as const;
type Suite = (typeof SUITES)[number];

async function main(): Promise<void> {
  const selected = (process.env.BENCH_SUITES?.split(",").map((s) => s.trim()) ?? [...SUITES]).filter((s): s is Suite => (SUITES as readonly string[]).includes(s));
  const sections: string[] = [];
  if (selected.includes("mcp")) sections.push((await runMcpBench()).markdown);
  if (selected.includes("http")) {
    process.stdout.write("\n== HTTP throughput ==\n");
    const r = await runHttpBench();
    process.stdout.write(`${r.console}\n`);
    sections.push(r.markdown);
  }
  if (selected.includes("indicators")) {
    process.stdout.write("\n== Indicators ==\n");
    sections.push((await runIndicatorBench()).markdown);
  }
  if (selected.includes("analysis")) {
    process.stdout.write("\n== Analysis ==\n");
    const a = await runAnalysisBench();
    process.stdout.write(`analyze_ticker p50 ${a.analyze.p50Ms.toFixed(3)} ms, p99 ${a.analyze.p99Ms.toFixed(3)} ms; ONNX batch-1 p50 ${a.onnx.p50Us.toFixed(1)} µs, p99 ${a.onnx.p99Us.toFixed(1)} µs\n`);
    sections.push(a.markdown);
  }
  if (selected.includes("risk")) {
    process.stdout.write("\n== Risk firewall ==\n");
    const r = await runFirewallBench();
    process.stdout.write(`${r.markdown}\n`);
    sections.push(r.markdown);
  }
  if (selected.includes("audit")) {
    process.stdout.write("\n== Audit log ==\n");
    const r = await runAuditBench();
    process.stdout.write(`${r.markdown}\n`);
    sections.push(r.markdown);
  }
  if (selected.includes("edgar")) {
    process.stdout.write("\n== SEC EDGAR ==\n");
    const r = await runEdgarBench();
    process.stdout.write(`${r.console}\n`);
    sections.push(r.markdown);
  }
  if (selected.includes("backtest")) {
    process.stdout.write("\n== Backtest replay ==\n");
    const r = await runBacktestBench();
    process.stdout.write(`${r.console}\n`);
    sections.push(r.markdown);
  }
  if (process.env.BENCH_DOCS !== "0" && selected.length === SUITES.length) {
    const doc = [
      "# Benchmarks",
      "",
      "Produced by `npm run bench` (all suites, one run, this machine). Every comparison is against a named peer measured in the same run; ratios come first in each section.",
      "",
      ...sections,
    ].join("\n");
    const path = fromRoot("docs", "BENCHMARKS.md");
    writeFileSync(path, doc.endsWith("\n") ? doc : `${doc}\n`);
    process.stdout.write(`\nWrote ${path}\n`);
  } else if (process.env.BENCH_DOCS !== "0") {
    process.stdout.write("\n(docs/BENCHMARKS.md is written only when every suite runs.)\n");
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
