import { pathToFileURL } from "node:url";
import { contentHash, orderIntentSchema } from "../../src/execution/intent.js";
import { CHECK_CODES, RiskFirewall } from "../../src/risk/firewall.js";
import { baseContext, baseIntent, NOW, openOrder, position } from "../../src/risk/test-context.js";
import type { OrderIntent, RiskContext } from "../../src/risk/types.js";
import { percentile } from "../stats.js";

/**
 * In-process latency of RiskFirewall.evaluate with the full check list on a realistic
 * book: $100k equity, 10 positions across 7 sectors, 5 open orders (protective stops,
 * a pending buy, a notional buy), 8 recent proposals. The order adds to an existing
 * position, so no check can take a "reduces only" shortcut.
 *
 * Peers, measured in the same run on the same order: the work the order path already
 * does per proposal before the firewall — `orderIntentSchema.parse` (zod input
 * validation) and `contentHash` (RFC 8785 canonical JSON + SHA-256).
 *
 * Standalone: `npx tsx bench/risk/run.ts`, or `npm run build && node dist/bench/risk/run.js`.
 */

const CALLS = Number(process.env.BENCH_RISK_CALLS ?? 100_000);
const WARMUP = Number(process.env.BENCH_RISK_WARMUP ?? 20_000);
const TARGET_P99_US = 50;

export function benchContext(): { intent: OrderIntent; ctx: RiskContext } {
  const positions = [
    position("AAPL", 30, 230, 210),
    position("MSFT", 15, 400, 380),
    position("NVDA", 35, 180, 150),
    position("JPM", 25, 250, 240),
    position("BAC", 120, 45, 40),
    position("XOM", 50, 110, 112),
    position("JNJ", 40, 155, 150),
    position("PG", 35, 165, 160),
    position("CAT", 15, 380, 350),
    position("HD", 12, 390, 400),
  ];
  const openOrders = [
    openOrder({ symbol: "AAPL", side: "sell", type: "stop", stopPrice: 210, limitPrice: null, qty: 30, timeInForce: "gtc" }),
    openOrder({ symbol: "NVDA", side: "sell", type: "stop", stopPrice: 160, limitPrice: null, qty: 35, timeInForce: "gtc" }),
    openOrder({ symbol: "XOM", side: "sell", type: "limit", limitPrice: 120, qty: 25, timeInForce: "gtc" }),
    openOrder({ symbol: "KO", side: "buy", type: "limit", limitPrice: 69.5, qty: 40 }),
    openOrder({ symbol: "UNH", side: "buy", type: "market", limitPrice: null, qty: null, notional: 2_000 }),
  ];
  const recent = Array.from({ length: 8 }, (_, i) => ({ clientOrderId: `argus-recent-${i}`, contentHash: `h${i}`.padEnd(64, "0"), t: NOW - 5_000 * (i + 1) }));
  const ctx = baseContext({ positions, openOrders, recent, usedClientOrderIds: new Set(Array.from({ length: 200 }, (_, i) => `argus-old-${i}`)) });
  const intent = baseIntent({ symbol: "MSFT", side: "buy", type: "limit", limitPrice: 399.5, timeInForce: "day", qty: 10, stopLoss: 385 });
  return { intent, ctx };
}

interface Latency {
  calls: number;
  p50Us: number;
  p99Us: number;
  meanUs: number;
  maxUs: number;
}

function measure(fn: () => unknown, calls: number, warmup: number): Latency {
  let sink: unknown;
  for (let i = 0; i < warmup; i++) sink = fn();
  const samples = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    sink = fn();
    samples[i] = (performance.now() - start) * 1000;
  }
  if (sink === undefined) throw new Error("benchmark produced nothing");
  const sorted = Array.from(samples).sort((a, b) => a - b);
  return {
    calls,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    meanUs: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    maxUs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

export interface RiskBenchResult {
  evaluate: Latency;
  zodParse: Latency;
  contentHash: Latency;
  approved: boolean;
  markdown: string;
}

export async function runFirewallBench(): Promise<RiskBenchResult> {
  const firewall = new RiskFirewall();
  const { intent, ctx } = benchContext();
  const check = firewall.evaluate(intent, ctx);
  if (check.checks.length !== CHECK_CODES.length) throw new Error("the firewall did not run every check");
  const failedChecks = check.checks.filter((c) => !c.passed).map((c) => c.code);
  const raw = { symbol: intent.symbol, side: intent.side, type: intent.type, timeInForce: intent.timeInForce, qty: intent.qty, limitPrice: intent.limitPrice, stopLoss: intent.stopLoss };

  const evaluate = measure(() => firewall.evaluate(intent, ctx), CALLS, WARMUP);
  const zodParse = measure(() => orderIntentSchema.parse(raw), CALLS, WARMUP);
  const hash = measure(() => contentHash(intent), CALLS, WARMUP);
  const again = measure(() => firewall.evaluate(intent, ctx), CALLS, 0);

  const us = (x: number) => `${x.toFixed(1)} µs`;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const meets = evaluate.p99Us < TARGET_P99_US;
  const markdown = [
    "## Risk firewall",
    "",
    `\`RiskFirewall.evaluate\` with all ${CHECK_CODES.length} checks, in process, on a realistic book: $100k equity, 10 positions in 7 sectors, 5 open orders (two protective stops, a take-profit, a limit buy, a notional buy), 8 recent proposals, 200 used client ids. The order (buy 10 MSFT limit $399.50, stop loss $385) adds to a held position, so every check does its full work; it is ${check.approved ? "approved" : `rejected by ${failedChecks.join(", ")}`}. Target: p99 < ${TARGET_P99_US} µs.`,
    "",
    "### Ratios (firewall ÷ peer, same order, same run)",
    "",
    "| Peer | p50 ratio | p99 ratio |",
    "|---|---:|---:|",
    `| zod \`orderIntentSchema.parse\` (input validation) | ${ratio(evaluate.p50Us, zodParse.p50Us)} | ${ratio(evaluate.p99Us, zodParse.p99Us)} |`,
    `| \`contentHash\` (canonical JSON + SHA-256) | ${ratio(evaluate.p50Us, hash.p50Us)} | ${ratio(evaluate.p99Us, hash.p99Us)} |`,
    "",
    "Both peers run on the same order path before the firewall does (propose validates the input and hashes it), so the ratios say how the whole check list compares with work nobody notices.",
    "",
    "### Absolute numbers",
    "",
    "| Measure | p50 | p99 | mean | max | calls | Target | Verdict |",
    "|---|---:|---:|---:|---:|---:|---:|---|",
    `| \`evaluate\` (${CHECK_CODES.length} checks) | ${us(evaluate.p50Us)} | ${us(evaluate.p99Us)} | ${us(evaluate.meanUs)} | ${us(evaluate.maxUs)} | ${evaluate.calls} | p99 < ${TARGET_P99_US} µs | ${meets ? "meets" : "**misses**"} |`,
    `| \`evaluate\`, repeated at the end | ${us(again.p50Us)} | ${us(again.p99Us)} | ${us(again.meanUs)} | ${us(again.maxUs)} | ${again.calls} | — | — |`,
    `| zod \`orderIntentSchema.parse\` | ${us(zodParse.p50Us)} | ${us(zodParse.p99Us)} | ${us(zodParse.meanUs)} | ${us(zodParse.maxUs)} | ${zodParse.calls} | — | — |`,
    `| \`contentHash\` | ${us(hash.p50Us)} | ${us(hash.p99Us)} | ${us(hash.meanUs)} | ${us(hash.maxUs)} | ${hash.calls} | — | — |`,
    "",
    `Sequential calls after ${WARMUP} warm-up calls each, timed one by one with \`performance.now()\` (its own overhead, well under 1 µs, is included). The max is a single outlier (likely garbage collection or scheduling on a shared 2-core machine); judge by p99. Node ${process.version}. Excludes building the context (broker, DataManager and database reads in \`buildRiskContext\`), which dominates a real proposal.`,
    "",
  ].join("\n");
  return { evaluate, zodParse, contentHash: hash, approved: check.approved, markdown };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  runFirewallBench().then(
    (r) => process.stdout.write(`${r.markdown}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
