import { fork, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { cpus, loadavg, platform, release } from "node:os";
import autocannon from "autocannon";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { fromRoot } from "../src/core/package-root.js";
import { PACKAGE_VERSION } from "../src/core/version.js";
import { CLOCK_AT } from "./fixture.js";
import {
  BARE_PATH,
  BENCH_RATE_LIMIT_PER_MINUTE,
  HTTP_RESOURCE_PATH,
  HTTP_TOOL,
  HTTP_TOOL_ARGS,
  HTTP_TOOL_PATH,
  LADDER,
  type LadderRung,
  type ParentMessage,
  type StageTiming,
  type TargetCpu,
  type TargetReady,
} from "./http-target.js";
import { percentile } from "./stats.js";

/**
 * HTTP throughput and tail latency of one read tool through Argus's REST API and through
 * MCP over Streamable HTTP, side by side with a bare express handler that answers the
 * same bytes, under a closed-loop load of 50 concurrent keep-alive connections from
 * autocannon on 127.0.0.1. The servers run in a child process (bench/http-target.ts) so
 * the load generator never shares their event loop. Diagnostics in the same run say where
 * the difference goes: a ladder that adds Argus's REST layers one at a time, a bare MCP
 * SDK server over the same transport, and in-process stage timings. Returns the markdown
 * section for docs/BENCHMARKS.md (bench/run.ts assembles the file) and a console summary.
 */

function intEnv(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${raw}`);
  return n;
}

const CONNECTIONS = intEnv("BENCH_HTTP_CONNECTIONS", 50, 1);
const WARMUP_S = intEnv("BENCH_HTTP_WARMUP_S", 2);
/** Measured seconds per headline target, split evenly over the rounds. */
const SECONDS = intEnv("BENCH_HTTP_SECONDS", 10, 1);
/** Measured seconds per diagnostic target (ladder rungs, bare SDK), split over the rounds. */
const DIAG_SECONDS = intEnv("BENCH_HTTP_DIAG_SECONDS", 4, 1);
const DIAG = process.env.BENCH_HTTP_DIAG !== "0";
const ROUNDS = intEnv("BENCH_HTTP_ROUNDS", 2, 1);
const TARGET = 1.5;
const TARGET_SCRIPT = fromRoot("dist", "bench", "http-target.js");

type MainKey = "bare" | "rest-post" | "rest-get" | "mcp" | "mcp-stateless";
type DiagKey = "sdk-mcp" | `ladder-${LadderRung}`;
export type TargetKey = MainKey | DiagKey;
const MAIN_TARGETS: readonly MainKey[] = ["bare", "rest-post", "rest-get", "mcp", "mcp-stateless"];
const DIAG_TARGETS: readonly DiagKey[] = [...LADDER.map((r) => `ladder-${r}` as const), "sdk-mcp"];

const SELECTED: TargetKey[] = (() => {
  const raw = process.env.BENCH_HTTP_TARGETS;
  const main = raw ? raw.split(",").map((s) => s.trim()).filter((s): s is MainKey => (MAIN_TARGETS as readonly string[]).includes(s)) : [...MAIN_TARGETS];
  // Every ratio is against the peer, so the peer always runs.
  return ["bare", ...main.filter((k) => k !== "bare"), ...(DIAG ? DIAG_TARGETS : [])];
})();
const isDiag = (k: TargetKey): k is DiagKey => (DIAG_TARGETS as readonly string[]).includes(k);

const LABEL: Record<TargetKey, string> = {
  bare: "bare express handler (peer)",
  "rest-post": `REST \`POST ${HTTP_TOOL_PATH}\``,
  "rest-get": `REST \`GET ${HTTP_RESOURCE_PATH.replace(/\?.*$/, "")}?…\``,
  mcp: "MCP `tools/call`, Streamable HTTP with sessions (SSE answers)",
  "mcp-stateless": "MCP `tools/call`, Streamable HTTP stateless (JSON answers)",
  "ladder-guard": "+ request id, Host/Origin guard",
  "ladder-auth": "+ bearer-token auth, CSRF guard",
  "ladder-ratelimit": "+ per-token rate limiter",
  "ladder-json": "+ JSON body parser (`express.json`)",
  "ladder-tool": "+ the tool: `registry.call` + `sendToolResult` in a plain route",
  "ladder-router": "+ Argus's `toolRouter` in place of that route (its route table, the disconnect signal)",
  "sdk-mcp": "bare MCP SDK server, Streamable HTTP with sessions",
};
const SHORT: Record<TargetKey, string> = {
  bare: "bare express",
  "rest-post": "REST POST /tools",
  "rest-get": "REST GET /bars",
  mcp: "MCP (sessions)",
  "mcp-stateless": "MCP (stateless)",
  "ladder-guard": "ladder +guard",
  "ladder-auth": "ladder +auth",
  "ladder-ratelimit": "ladder +ratelimit",
  "ladder-json": "ladder +json",
  "ladder-tool": "ladder +tool",
  "ladder-router": "ladder +router",
  "sdk-mcp": "bare SDK MCP",
};

interface Target {
  key: TargetKey;
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** MCP sessions, one per connection. */
  sessions?: string[];
}

interface RunTotals {
  ok: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  seconds: number;
  latencies: number[];
  serverCpuMs: number;
  loadCpuMs: number;
  wallMs: number;
  /** Server CPU µs per answered request, one entry per measured run. */
  perRun: number[];
}

export interface TargetResult {
  key: TargetKey;
  requestsPerSec: number;
  requests: number;
  p50: number;
  p97_5: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  /** Bytes of one response body. */
  bodyBytes: number;
  /** CPU of the server process during the measured runs, % of one core. */
  serverCpu: number;
  /** Server CPU time per answered request, µs. */
  cpuUsPerRequest: number;
  /** Highest minus lowest server CPU per request across the measured runs, µs: the run-to-run noise. */
  cpuUsSpread: number;
  /** CPU of the load generator (this process), % of one core. */
  loadCpu: number;
}

/* ------------------------------------------------------------------ child process */

interface Child {
  proc: ChildProcess;
  ready: TargetReady;
  cpu(): Promise<TargetCpu>;
  stop(): Promise<void>;
}

async function startChild(): Promise<Child> {
  const profDir = process.env.BENCH_HTTP_CPU_PROF;
  if (profDir) mkdirSync(profDir, { recursive: true });
  const proc = fork(TARGET_SCRIPT, [], {
    execArgv: profDir ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [],
    env: { PATH: process.env.PATH ?? "", ARGUS_LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "pipe", "ipc"],
  });
  let stderr = "";
  proc.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString("utf8");
  });
  const exited = new Promise<number | null>((done) => proc.once("exit", (code) => done(code)));
  const ready = await new Promise<TargetReady>((ok, fail) => {
    const onMessage = (m: TargetReady | TargetCpu) => {
      if (m.type === "ready") {
        proc.off("message", onMessage);
        ok(m);
      }
    };
    proc.on("message", onMessage);
    void exited.then((code) => fail(new Error(`the HTTP target process exited (code ${code}) before it was ready:\n${stderr}`)));
  });
  return {
    proc,
    ready,
    cpu: () =>
      new Promise<TargetCpu>((ok, fail) => {
        if (!proc.connected) return fail(new Error(`the HTTP target process is gone:\n${stderr}`));
        const onMessage = (m: TargetReady | TargetCpu) => {
          if (m.type === "cpu") {
            proc.off("message", onMessage);
            ok(m);
          }
        };
        proc.on("message", onMessage);
        proc.send({ type: "cpu" } satisfies ParentMessage);
        void exited.then(() => fail(new Error(`the HTTP target process exited during the run:\n${stderr}`)));
      }),
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      if (!proc.connected) {
        proc.kill();
        await exited;
        return;
      }
      proc.send({ type: "stop" } satisfies ParentMessage);
      const timer = setTimeout(() => proc.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/* ------------------------------------------------------------------ requests */

const MCP_HEADERS = { "Content-Type": "application/json", Accept: "application/json, text/event-stream", "Mcp-Protocol-Version": LATEST_PROTOCOL_VERSION };
const CALL_BODY = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: HTTP_TOOL, arguments: HTTP_TOOL_ARGS } });

type RpcAnswer = { result?: { structuredContent?: unknown; isError?: boolean; content?: { text?: string }[] }; error?: unknown };

/** The JSON-RPC message in an MCP answer: plain JSON, or the `data:` line of an SSE event. */
function rpcMessage(contentType: string, body: string): RpcAnswer {
  if (contentType.includes("text/event-stream")) {
    const data = body
      .split("\n")
      .filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).trim());
    if (data.length !== 1) throw new Error(`expected one SSE data line in the MCP answer, got ${data.length}: ${body.slice(0, 300)}`);
    return JSON.parse(data[0]!) as RpcAnswer;
  }
  return JSON.parse(body) as RpcAnswer;
}

/** Opens one MCP session the way a client does: initialize, then notifications/initialized. */
async function openSession(url: string, auth: Record<string, string>): Promise<string> {
  const init = await fetch(url, {
    method: "POST",
    headers: { ...MCP_HEADERS, ...auth },
    body: JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "argus-bench-http", version: "1" } } }),
  });
  const text = await init.text();
  const sid = init.headers.get("mcp-session-id");
  if (init.status !== 200 || !sid) throw new Error(`MCP initialize answered HTTP ${init.status}: ${text.slice(0, 300)}`);
  const done = await fetch(url, { method: "POST", headers: { ...MCP_HEADERS, ...auth, "Mcp-Session-Id": sid }, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) });
  await done.text();
  if (done.status !== 202) throw new Error(`notifications/initialized answered HTTP ${done.status}`);
  return sid;
}

async function buildTargets(r: TargetReady): Promise<Target[]> {
  const auth = { Authorization: `Bearer ${r.token}` };
  const base = (port: number) => `http://127.0.0.1:${port}`;
  const json = { ...auth, "Content-Type": "application/json" };
  const args = JSON.stringify(HTTP_TOOL_ARGS);
  const sessions = async (url: string) => {
    const out: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) out.push(await openSession(url, auth));
    return out;
  };
  const out: Target[] = [];
  for (const key of SELECTED) {
    switch (key) {
      case "bare":
        // The same request as the REST POST; the handler ignores the body.
        out.push({ key, url: `${base(r.barePort)}${BARE_PATH}`, method: "POST", headers: json, body: args });
        break;
      case "rest-post":
        out.push({ key, url: `${base(r.argusPort)}${HTTP_TOOL_PATH}`, method: "POST", headers: json, body: args });
        break;
      case "rest-get":
        out.push({ key, url: `${base(r.argusPort)}${HTTP_RESOURCE_PATH}`, method: "GET", headers: auth });
        break;
      case "mcp": {
        const url = `${base(r.argusPort)}/mcp`;
        out.push({ key, url, method: "POST", headers: { ...MCP_HEADERS, ...auth }, body: CALL_BODY, sessions: await sessions(url) });
        break;
      }
      case "mcp-stateless":
        out.push({ key, url: `${base(r.statelessPort)}/mcp`, method: "POST", headers: { ...MCP_HEADERS, ...auth }, body: CALL_BODY });
        break;
      case "sdk-mcp": {
        const url = `${base(r.sdkPort)}/mcp`;
        out.push({ key, url, method: "POST", headers: { ...MCP_HEADERS, ...auth }, body: CALL_BODY, sessions: await sessions(url) });
        break;
      }
      default: {
        const rung = key.slice("ladder-".length) as LadderRung;
        out.push({ key, url: `${base(r.ladderPorts[rung])}${HTTP_TOOL_PATH}`, method: "POST", headers: json, body: args });
      }
    }
  }
  return out;
}

/**
 * One request to each target before (and after) measuring: REST, the ladder and the peer
 * must send the very same bytes, and every MCP `tools/call` answer's structuredContent must
 * be the REST `result`, so every ratio compares the same answer. Returns each body's size.
 */
async function verify(targets: readonly Target[], payload: string): Promise<Map<TargetKey, number>> {
  const expected = JSON.parse(payload) as { result: unknown; text: string };
  const sizes = new Map<TargetKey, number>();
  for (const t of targets) {
    const headers = { ...t.headers, ...(t.sessions ? { "Mcp-Session-Id": t.sessions[0]! } : {}) };
    const res = await fetch(t.url, { method: t.method, headers, ...(t.body !== undefined ? { body: t.body } : {}) });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${SHORT[t.key]} answered HTTP ${res.status}: ${body.slice(0, 300)}`);
    sizes.set(t.key, Buffer.byteLength(body));
    if (!t.url.endsWith("/mcp")) {
      if (body !== payload) throw new Error(`${SHORT[t.key]} sent a different body than the captured REST payload; the comparison would be unfair`);
      continue;
    }
    const result = rpcMessage(res.headers.get("content-type") ?? "", body).result;
    if (!result || result.isError || JSON.stringify(result.structuredContent) !== JSON.stringify(expected.result)) {
      throw new Error(`${SHORT[t.key]}: the tools/call answer's structuredContent is not the REST result: ${body.slice(0, 300)}`);
    }
    if (!result.content?.[0]?.text?.startsWith(expected.text)) throw new Error(`${SHORT[t.key]}: the tools/call text is not the REST text`);
  }
  return sizes;
}

/* ------------------------------------------------------------------ load */

function emptyTotals(): RunTotals {
  return { ok: 0, errors: 0, timeouts: 0, non2xx: 0, mismatches: 0, seconds: 0, latencies: [], serverCpuMs: 0, loadCpuMs: 0, wallMs: 0, perRun: [] };
}

/** One autocannon run against a target, added to `into`. Latencies are kept per response (ms, float). */
async function load(child: Child, t: Target, seconds: number, into: RunTotals): Promise<void> {
  let next = 0;
  const opts: autocannon.Options = {
    url: t.url,
    method: t.method,
    headers: t.headers,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    ...(t.body !== undefined ? { body: t.body } : {}),
    // Each connection is one MCP client with its own session.
    ...(t.sessions ? { setupClient: (client: autocannon.Client) => client.setHeaders({ ...t.headers, "Mcp-Session-Id": t.sessions![next++ % t.sessions!.length]! }) } : {}),
  };
  const before = await child.cpu();
  const loadBefore = process.cpuUsage();
  const wall0 = performance.now();
  const result = await new Promise<autocannon.Result>((ok, fail) => {
    const instance = autocannon(opts, (err: unknown, r: autocannon.Result) => (err ? fail(err as Error) : ok(r)));
    instance.on("response", (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) into.latencies.push(ms);
    });
  });
  const wallMs = performance.now() - wall0;
  const used = process.cpuUsage(loadBefore);
  const after = await child.cpu();
  into.ok += result["2xx"];
  into.errors += result.errors;
  into.timeouts += result.timeouts;
  into.non2xx += result.non2xx;
  into.mismatches += result.mismatches;
  into.seconds += result.duration;
  into.serverCpuMs += (after.cpuUs - before.cpuUs) / 1000;
  into.perRun.push((after.cpuUs - before.cpuUs) / Math.max(1, result["2xx"]));
  into.loadCpuMs += (used.user + used.system) / 1000;
  into.wallMs += wallMs;
}

function summarizeTarget(key: TargetKey, r: RunTotals, bodyBytes: number): TargetResult {
  const sorted = Array.from(Float64Array.from(r.latencies).sort());
  return {
    key,
    requestsPerSec: r.ok / r.seconds,
    requests: r.ok,
    p50: percentile(sorted, 50),
    p97_5: percentile(sorted, 97.5),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
    bodyBytes,
    serverCpu: (100 * r.serverCpuMs) / r.wallMs,
    cpuUsPerRequest: (1000 * r.serverCpuMs) / Math.max(1, r.ok),
    cpuUsSpread: r.perRun.length > 1 ? Math.max(...r.perRun) - Math.min(...r.perRun) : Number.NaN,
    loadCpu: (100 * r.loadCpuMs) / r.wallMs,
  };
}

/* ------------------------------------------------------------------ report */

export interface HttpRatios {
  /** Peer requests/s ÷ Argus requests/s: above 1 means Argus serves fewer. */
  throughput: number;
  /** Argus ÷ peer: above 1 means Argus is slower. */
  p50: number;
  p99: number;
  meets: boolean;
}

function ratiosOf(r: TargetResult, bare: TargetResult): HttpRatios {
  const throughput = bare.requestsPerSec / r.requestsPerSec;
  const p99 = r.p99 / bare.p99;
  return { throughput, p50: r.p50 / bare.p50, p99, meets: throughput <= TARGET && p99 <= TARGET };
}

const ms = (x: number): string => x.toFixed(2);
const ratio = (x: number): string => `${x.toFixed(2)}×`;
const rate = (x: number): string => Math.round(x).toLocaleString("en-US");
const pct = (x: number): string => `${Math.round(x)}%`;
const us = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : "–");
const signed = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(0)}`;

function table(header: string[], rows: string[][], align?: string): string[] {
  const rule = header.map((_, i) => ((align?.[i] ?? (i === 0 ? "l" : "r")) === "r" ? "---:" : "---")).join("|");
  return [`| ${header.join(" | ")} |`, `|${rule}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

interface Info {
  date: string;
  node: string;
  cpu: string;
  cores: number;
  platform: string;
  loadAvg: string;
  sdkVersion: string;
  autocannonVersion: string;
  expressVersion: string;
  argusVersion: string;
  barCount: number;
  seedMs: number;
  durationMs: number;
  stages: StageTiming[];
}

function consoleSummary(results: readonly TargetResult[], info: Info): string {
  const bare = results.find((r) => r.key === "bare")!;
  const header = ["target", "req/s", "p50 ms", "p97.5 ms", "p99 ms", "errors", "non-2xx", "srv CPU", "µs/req", "spread", "gen CPU", "thr ratio", "p99 ratio", "verdict"];
  const rows = results.map((r) => {
    const q = r.key === "bare" || isDiag(r.key) ? undefined : ratiosOf(r, bare);
    return [
      SHORT[r.key],
      rate(r.requestsPerSec),
      ms(r.p50),
      ms(r.p97_5),
      ms(r.p99),
      String(r.errors),
      String(r.non2xx),
      pct(r.serverCpu),
      us(r.cpuUsPerRequest),
      us(r.cpuUsSpread),
      pct(r.loadCpu),
      q ? ratio(q.throughput) : "-",
      q ? ratio(q.p99) : "-",
      q ? (q.meets ? "meets" : "MISSES") : r.key === "bare" ? "peer" : "diag",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const stages = info.stages.map((s) => `  ${s.stage.padEnd(44)} ${s.meanUs.toFixed(2).padStart(8)} µs`);
  return [
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
    "",
    "In process, per call:",
    ...stages,
    "",
    `Target: within ${TARGET}× of the bare handler on throughput and p99. Load average at the end: ${info.loadAvg}. Suite took ${(info.durationMs / 1000).toFixed(1)} s.`,
  ].join("\n");
}

function markdown(results: readonly TargetResult[], info: Info): string {
  const by = new Map(results.map((r) => [r.key, r]));
  const bare = by.get("bare")!;
  const headline = results.filter((r) => r.key !== "bare" && !isDiag(r.key));
  const t = TARGET;
  const out: string[] = [];
  out.push("## HTTP throughput (REST and MCP over HTTP)");
  out.push("");
  out.push(
    `Requests per second and tail latency for one read tool, \`${HTTP_TOOL} ${JSON.stringify(HTTP_TOOL_ARGS)}\` (the latest ${info.barCount} daily bars of a demo symbol, fixed clock), ` +
      `under ${CONNECTIONS} concurrent keep-alive connections from autocannon on 127.0.0.1, through Argus's REST API and through MCP over Streamable HTTP, ` +
      `side by side with a bare express handler that answers the same bytes, measured in the same run. Target: Argus within ${t}× of the bare handler on throughput and on p99.`,
  );
  out.push("");
  out.push("### Ratios (against the bare express handler)");
  out.push("");
  out.push(
    ...table(
      ["Argus surface", "throughput ratio (bare ÷ Argus)", "p50 ratio (Argus ÷ bare)", "p99 ratio (Argus ÷ bare)", `Verdict (≤ ${t}× on throughput and p99)`],
      headline.map((r) => {
        const q = ratiosOf(r, bare);
        return [LABEL[r.key], ratio(q.throughput), ratio(q.p50), ratio(q.p99), q.meets ? "meets target" : "**misses target**"];
      }),
      "lrrrl",
    ),
  );
  out.push("");
  const misses = headline.filter((r) => !ratiosOf(r, bare).meets);
  if (misses.length > 0) {
    out.push(
      `${misses.length === headline.length ? "Every surface misses" : `${misses.length} of ${headline.length} surfaces miss`} the ${t}× target in this run (${misses.map((r) => SHORT[r.key]).join(", ")}); ` +
        "the sections after the absolute numbers measure where the time goes.",
    );
    out.push("");
  }
  out.push(
    "Ratios above 1 mean Argus is slower. With a fixed number of connections each waiting for its answer (a closed loop), latency and throughput are two views of " +
      "the same per-request cost: when the server is the bottleneck, mean latency ≈ connections ÷ requests/s, so the p50 ratio tracks the throughput ratio.",
  );
  out.push("");
  out.push("### Absolute numbers");
  out.push("");
  out.push(
    ...table(
      ["Target", "requests/s", "p50 (ms)", "p97.5 (ms)", "p99 (ms)", "max (ms)", "requests", "errors", "non-2xx", "body (bytes)", "server CPU", "server CPU per request (µs)", "run-to-run spread (µs)", "load-generator CPU"],
      [bare, ...headline].map((r) => [
        LABEL[r.key],
        rate(r.requestsPerSec),
        ms(r.p50),
        ms(r.p97_5),
        ms(r.p99),
        ms(r.max),
        r.requests.toLocaleString("en-US"),
        String(r.errors),
        String(r.non2xx),
        r.bodyBytes.toLocaleString("en-US"),
        pct(r.serverCpu),
        us(r.cpuUsPerRequest),
        us(r.cpuUsSpread),
        pct(r.loadCpu),
      ]),
    ),
  );
  out.push("");
  out.push(
    "Server CPU is the server process's user + system time over the measured runs' wall time, in % of one core (V8's helper threads can take it past 100%); near 100% the server is the bottleneck, which is what the ratios " +
      "should measure (a load generator near 100% with the server well below it would mean autocannon set the pace). Server CPU per request is that CPU time ÷ answered requests: " +
      "the cost of one request, less sensitive than requests/s to other load on the machine.",
  );
  out.push("");

  const ladder = LADDER.map((r) => by.get(`ladder-${r}`)).filter((r): r is TargetResult => r !== undefined);
  const rest = by.get("rest-post");
  if (ladder.length === LADDER.length) {
    out.push("### Where REST's time goes: the layers one at a time");
    out.push("");
    out.push(
      "Each rung is an express app on the same server process that adds one of the layers `startHttpServer` puts in front of `POST /api/v1/tools/<name>`, built from the same " +
        "functions and options in the same order; until the tool rung the route answers the prepared body as the peer does. Each rung gets the same request and sends the same bytes " +
        `(checked). The cost of a layer is the rise in server CPU per request from the rung before; the run-to-run spread is the highest minus the lowest CPU per request over the measured runs of that target. Rungs are measured for ${DIAG_SECONDS} s each, interleaved with the targets above.`,
    );
    out.push("");
    const rows: string[][] = [];
    let prev = bare;
    rows.push(["bare express handler (peer)", rate(bare.requestsPerSec), ms(bare.p99), us(bare.cpuUsPerRequest), us(bare.cpuUsSpread), "", ""]);
    for (const r of ladder) {
      rows.push([LABEL[r.key], rate(r.requestsPerSec), ms(r.p99), us(r.cpuUsPerRequest), us(r.cpuUsSpread), signed(r.cpuUsPerRequest - prev.cpuUsPerRequest), ratio(bare.requestsPerSec / r.requestsPerSec)]);
      prev = r;
    }
    if (rest) {
      rows.push([
        "Argus's REST route as served: the rest of `startHttpServer` (its other routes and mounts)",
        rate(rest.requestsPerSec),
        ms(rest.p99),
        us(rest.cpuUsPerRequest),
        us(rest.cpuUsSpread),
        signed(rest.cpuUsPerRequest - prev.cpuUsPerRequest),
        ratio(bare.requestsPerSec / rest.requestsPerSec),
      ]);
    }
    out.push(...table(["Rung", "requests/s", "p99 (ms)", "server CPU per request (µs)", "run-to-run spread (µs)", "Δ µs from the rung above", "throughput ratio (bare ÷ rung)"], rows));
    out.push("");
    out.push(
      "A Δ smaller than the run-to-run spread of the two rungs is within this run's noise: read the ladder for the large steps, and the sum (the last row against the peer) for the whole cost.",
    );
    out.push("");
  }
  if (info.stages.length > 0) {
    out.push(
      "In process (no HTTP), cost per call of the benchmark request's tool stages, timed in the server process before the load runs (mean per call of the fastest of 7 batches of 3,000):",
    );
    out.push("");
    out.push(...table(["Stage", "µs per call"], info.stages.map((s) => [s.stage, s.meanUs.toFixed(2)])));
    out.push("");
  }
  const sdk = by.get("sdk-mcp");
  const mcp = by.get("mcp");
  if (sdk) {
    out.push("### Where MCP's time goes: the SDK transport");
    out.push("");
    out.push(
      "A bare `@modelcontextprotocol/sdk` server (bench/bare-server.ts: `createMcpExpressApp`, `StreamableHTTPServerTransport`, one session per connection, no auth) answering the " +
        "same CallToolResult (checked), against Argus's MCP with sessions and the bare express handler:",
    );
    out.push("");
    const rows = [bare, sdk, ...(mcp ? [mcp] : [])].map((r) => [LABEL[r.key], rate(r.requestsPerSec), ms(r.p99), us(r.cpuUsPerRequest), ratio(bare.requestsPerSec / r.requestsPerSec)]);
    out.push(...table(["Server", "requests/s", "p99 (ms)", "server CPU per request (µs)", "throughput ratio (bare express ÷ server)"], rows));
    out.push("");
    if (mcp) {
      out.push(
        `Of Argus's ${us(mcp.cpuUsPerRequest)} µs of server CPU per MCP request, the bare SDK server spends ${us(sdk.cpuUsPerRequest)} µs (${pct((100 * sdk.cpuUsPerRequest) / mcp.cpuUsPerRequest)}) ` +
          `to answer the same result with no tool and no auth; the bare express handler spends ${us(bare.cpuUsPerRequest)} µs.`,
      );
      out.push("");
    }
  }

  out.push("### Setup");
  out.push("");
  out.push(
    `- Command: \`npm run bench\` (environment: \`BENCH_SUITES=http\` runs only this suite; \`BENCH_HTTP_CONNECTIONS\` (${CONNECTIONS}), \`BENCH_HTTP_WARMUP_S\` (${WARMUP_S}), ` +
      `\`BENCH_HTTP_SECONDS\` (${SECONDS}, measured per target), \`BENCH_HTTP_DIAG_SECONDS\` (${DIAG_SECONDS}, per diagnostic target), \`BENCH_HTTP_ROUNDS\` (${ROUNDS}), ` +
      "`BENCH_HTTP_TARGETS=rest-post,rest-get,mcp,mcp-stateless`, `BENCH_HTTP_DIAG=0` skips the ladder and the bare SDK server, " +
      "`BENCH_HTTP_CPU_PROF=<dir>` writes a `--cpu-prof` of the server process, `BENCH_DOCS=0` leaves this file alone)",
  );
  out.push(
    `- Load: autocannon ${info.autocannonVersion} in the benchmark process, ${CONNECTIONS} connections, no pipelining; per target a warm-up run (${WARMUP_S} s; 1 s for diagnostics) that is discarded, ` +
      `then ${SECONDS} s measured in ${ROUNDS} run${ROUNDS > 1 ? "s" : ""}, all targets in forward then reverse order from round to round to cancel drift. ` +
      "requests/s is 2xx answers ÷ measured seconds. Percentiles are nearest-rank over every 2xx response time autocannon reports (its `response` event, float ms), " +
      "not autocannon's own histogram, which rounds to whole milliseconds. Any error, timeout or non-2xx answer fails the suite.",
  );
  out.push(
    "- Servers: one child process (`dist/bench/http-target.js`, forked) on 127.0.0.1, so the load generator and the servers each have a core: Argus's `startHttpServer` " +
      "(Host/Origin guard, request id, bearer-token auth, CSRF guard, per-token rate limit, `express.json` body limit; book watcher at its default interval) with MCP sessions, " +
      "a second `startHttpServer` on the same app with `stateless: true`, the peer, and the diagnostic servers (idle while others are measured). Demo data seeded before timing; clock frozen at " +
      `${CLOCK_AT} (ARGUS_CLOCK_AT), so every answer is identical.`,
  );
  out.push(
    `- Rate limit: \`rateLimitPerMinute: ${BENCH_RATE_LIMIT_PER_MINUTE.toLocaleString("en-US")}\` for the benchmark (the default, 600 a minute per token, would be spent in the first tenth of a second); ` +
      "the limiter still runs and counts every request.",
  );
  out.push(
    `- Peer: express ${info.expressVersion} with its defaults and no middleware, one route answering \`res.json(body)\` with the body Argus's REST route sent for the request (fetched once from Argus, parsed), ` +
      "so it serializes the same object on every request; it gets the same POST (headers and JSON body, which it does not read) as `POST /api/v1/tools/get_bars`.",
  );
  out.push(
    "- Same answer: before measuring, one request to each target: REST POST, REST GET, the ladder and the peer must send byte-identical bodies, and each MCP `tools/call` answer's `structuredContent` " +
      "must equal the REST `result` (its text the REST `text`). Checked again after measuring.",
  );
  out.push(
    `- MCP with sessions: ${CONNECTIONS} sessions opened first (initialize, notifications/initialized), one per connection, as ${CONNECTIONS} separate clients would; each answer is an SSE stream ` +
      "with one event. Stateless: no session; Argus builds a server and transport for each request and answers plain JSON (`enableJsonResponse`).",
  );
  out.push(`- Node ${info.node}, ${info.platform}, ${info.cpu}, ${info.cores} cores (load average ${info.loadAvg} at the end of the suite); @modelcontextprotocol/sdk ${info.sdkVersion}; Argus ${info.argusVersion}`);
  out.push(`- Date: ${info.date}; demo seeding took ${(info.seedMs / 1000).toFixed(1)} s (not timed); the whole suite took ${(info.durationMs / 1000).toFixed(1)} s.`);
  out.push("");
  return out.join("\n");
}

/* ------------------------------------------------------------------ main */

function version(pkg: string): string {
  return (JSON.parse(readFileSync(fromRoot("node_modules", ...pkg.split("/"), "package.json"), "utf8")) as { version: string }).version;
}

export async function runHttpBench(): Promise<{ markdown: string; console: string; verdicts: { target: TargetKey; meets: boolean }[] }> {
  const started = performance.now();
  process.stdout.write(
    `HTTP benchmark: ${HTTP_TOOL} ${JSON.stringify(HTTP_TOOL_ARGS)}; ${CONNECTIONS} connections; per target ${WARMUP_S} s warm-up + ${SECONDS} s measured ` +
      `(diagnostics: 1 s + ${DIAG_SECONDS} s) in ${ROUNDS} round(s); targets: ${SELECTED.join(", ")}\n`,
  );
  const child = await startChild();
  try {
    const ready = child.ready;
    const targets = await buildTargets(ready);
    const sizes = await verify(targets, ready.payload);
    process.stdout.write(`Servers ready (seeded in ${(ready.seedMs / 1000).toFixed(1)} s); REST body ${Buffer.byteLength(ready.payload)} bytes, identical across targets.\n`);

    const totals = new Map<TargetKey, RunTotals>(targets.map((t) => [t.key, emptyTotals()]));
    const check = (key: TargetKey, r: RunTotals, phase: string) => {
      if (r.errors + r.timeouts + r.non2xx + r.mismatches > 0) {
        throw new Error(`${SHORT[key]} ${phase}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx answers; the numbers would be meaningless`);
      }
    };
    if (WARMUP_S > 0) {
      for (const t of targets) {
        const w = emptyTotals();
        await load(child, t, isDiag(t.key) ? 1 : WARMUP_S, w);
        check(t.key, w, "warm-up");
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const into = totals.get(t.key)!;
        await load(child, t, (isDiag(t.key) ? DIAG_SECONDS : SECONDS) / ROUNDS, into);
        check(t.key, into, "measured run");
      }
      process.stdout.write(`  round ${round + 1}/${ROUNDS} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    await verify(targets, ready.payload);

    const results = targets.map((t) => summarizeTarget(t.key, totals.get(t.key)!, sizes.get(t.key)!));
    const info: Info = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      platform: `${platform()} ${release()}`,
      loadAvg: loadavg()
        .map((x) => x.toFixed(1))
        .join(" / "),
      sdkVersion: version("@modelcontextprotocol/sdk"),
      autocannonVersion: version("autocannon"),
      expressVersion: version("express"),
      argusVersion: PACKAGE_VERSION,
      barCount: ready.barCount,
      seedMs: ready.seedMs,
      durationMs: performance.now() - started,
      stages: ready.stages,
    };
    const bare = results.find((r) => r.key === "bare")!;
    return {
      markdown: markdown(results, info),
      console: consoleSummary(results, info),
      verdicts: results.filter((r) => r.key !== "bare" && !isDiag(r.key)).map((r) => ({ target: r.key, meets: ratiosOf(r, bare).meets })),
    };
  } finally {
    await child.stop();
  }
}
