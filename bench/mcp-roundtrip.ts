import { readFileSync } from "node:fs";
import { cpus, platform, release } from "node:os";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { fromRoot } from "../src/core/package-root.js";
import { PACKAGE_VERSION } from "../src/core/version.js";
import { createFixture, TOOL_ARGS, TOOL_NAME, type Fixture } from "./fixture.js";
import { profileStages } from "./profile.js";
import { consoleTable, markdown, verdict, type RunInfo, type TransportResult } from "./report.js";
import { summarize } from "./stats.js";
import { openPair, TRANSPORTS, type Pair, type TransportName } from "./transports.js";

/**
 * MCP round trips for get_bars, Argus against a bare SDK server, on the in-memory, stdio
 * and Streamable HTTP transports. Prints a table; returns the markdown section for
 * docs/BENCHMARKS.md (bench/run.ts assembles the file).
 */

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return n;
}

const CALLS = intEnv("BENCH_CALLS", 2000);
const WARMUP = intEnv("BENCH_WARMUP", 200);
const BLOCKS = Math.max(1, intEnv("BENCH_BLOCKS", 10));
const TARGET = 1.3;
const SELECTED: TransportName[] = process.env.BENCH_TRANSPORTS
  ? process.env.BENCH_TRANSPORTS.split(",").map((s) => s.trim() as TransportName).filter((s) => TRANSPORTS.includes(s))
  : [...TRANSPORTS];

const PARAMS = { name: TOOL_NAME, arguments: { ...TOOL_ARGS } };

/** The one client call both servers get. Throws on an error result. */
async function call(client: Client): Promise<CallToolResult> {
  const r = (await client.callTool(PARAMS)) as CallToolResult;
  if (r.isError) throw new Error(`get_bars returned an error: ${JSON.stringify(r.content)}`);
  return r;
}

/** Sequential timed calls; returns the block's wall time in ms. */
async function timedBlock(client: Client, n: number, samples: number[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call(client);
    samples.push(performance.now() - t0);
  }
  return performance.now() - start;
}

/** Both servers must send the same bytes: same text, same structuredContent as the captured payload. */
function assertSame(transport: string, argus: CallToolResult, bare: CallToolResult, fx: Fixture): void {
  const expected = fx.payload.result;
  for (const [who, r] of [["argus", argus], ["bare", bare]] as const) {
    if (JSON.stringify(r.structuredContent) !== JSON.stringify(expected.structuredContent) || JSON.stringify(r.content) !== JSON.stringify(expected.content)) {
      throw new Error(`${transport}: the ${who} result differs from the captured payload; the comparison would be unfair`);
    }
  }
}

async function measure(name: TransportName, pair: Pair, fx: Fixture): Promise<TransportResult> {
  for (let i = 0; i < WARMUP; i++) {
    await call(pair.argus.client);
    await call(pair.bare.client);
  }
  assertSame(name, await call(pair.argus.client), await call(pair.bare.client), fx);

  const samples = { argus: [] as number[], bare: [] as number[] };
  const wall = { argus: 0, bare: 0 };
  for (let b = 0; b < BLOCKS; b++) {
    const n = Math.floor(CALLS / BLOCKS) + (b < CALLS % BLOCKS ? 1 : 0);
    const order = b % 2 === 0 ? (["argus", "bare"] as const) : (["bare", "argus"] as const);
    for (const who of order) wall[who] += await timedBlock(pair[who].client, n, samples[who]);
  }
  return { transport: name, argus: summarize(samples.argus, wall.argus), bare: summarize(samples.bare, wall.bare) };
}

export async function runMcpBench(): Promise<{ markdown: string; verdicts: { transport: string; meets: boolean }[] }> {
  const started = performance.now();
  if (SELECTED.length === 0) throw new Error(`BENCH_TRANSPORTS names no known transport (${TRANSPORTS.join(", ")})`);
  process.stdout.write(`Argus MCP benchmark: get_bars ${JSON.stringify(TOOL_ARGS)}\n`);
  process.stdout.write(`${CALLS} calls per server and transport (${WARMUP} warm-up, ${BLOCKS} interleaved blocks); transports: ${SELECTED.join(", ")}\n`);
  const fx = await createFixture();
  process.stdout.write(`Demo data seeded in ${(fx.seedMs / 1000).toFixed(1)} s (not timed). Payload: ${fx.payloadBytes} bytes, ${fx.barCount} bars.\n\n`);

  const results: TransportResult[] = [];
  try {
    for (const name of SELECTED) {
      const pair = await openPair(name, fx);
      try {
        const t0 = performance.now();
        results.push(await measure(name, pair, fx));
        process.stdout.write(`  ${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      } finally {
        await pair.argus.close();
        await pair.bare.close();
      }
    }
    const stages = process.env.BENCH_PROFILE === "0" ? [] : await profileStages(fx);

    const sdk = JSON.parse(readFileSync(fromRoot("node_modules", "@modelcontextprotocol", "sdk", "package.json"), "utf8")) as { version: string };
    const info: RunInfo = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      platform: `${platform()} ${release()}`,
      sdkVersion: sdk.version,
      argusVersion: PACKAGE_VERSION,
      calls: CALLS,
      warmup: WARMUP,
      blocks: BLOCKS,
      target: TARGET,
      request: JSON.stringify(TOOL_ARGS),
      payloadBytes: fx.payloadBytes,
      barCount: fx.barCount,
      seedMs: fx.seedMs,
      durationMs: performance.now() - started,
      command: "npm run bench",
    };
    process.stdout.write(`\n${consoleTable(results, info)}\n`);
    if (stages.length > 0) {
      process.stdout.write("\nArgus in process, mean µs per get_bars call by stage:\n");
      for (const s of stages) process.stdout.write(`  ${s.stage.padEnd(48)} ${s.meanUs.toFixed(1).padStart(8)}  ${s.note}\n`);
    }
    process.stdout.write(`\nPayload ${fx.payloadBytes} bytes; Node ${info.node}; ${info.cpu} × ${info.cores}; ${(info.durationMs / 1000).toFixed(1)} s\n`);
    return { markdown: markdown(results, info, stages), verdicts: results.map((r) => ({ transport: r.transport, meets: verdict(r, TARGET) === "meets" })) };
  } finally {
    fx.cleanup();
  }
}
