import { randomBytes } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import express, { type RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import { authenticate, csrfGuard, principalOf, type Credentials } from "../src/server/http/auth.js";
import { ConsoleSessions } from "../src/server/http/console-sessions.js";
import { assignRequestId } from "../src/server/http/errors.js";
import { allowedHostValues, allowedOriginValues, hostAndOriginGuard } from "../src/server/http/host-guard.js";
import { startHttpServer, type RunningHttpServer } from "../src/server/http/server.js";
import { sendToolResult, toolRouter } from "../src/server/http/tool-routes.js";
import { toCallToolResult } from "../src/server/mcp/server.js";
import { startBareHttpServer, type RunningBareHttp } from "./bare-server.js";
import { createFixture, type Fixture } from "./fixture.js";

/**
 * The servers of the HTTP throughput benchmark (bench/http-throughput.ts), in a child
 * process of their own so they never share an event loop with the load generator:
 *
 * - Argus's HTTP server (`startHttpServer`), MCP sessions (stateful), REST at /api/v1;
 * - a second Argus HTTP server on the same app with stateless MCP (plain JSON answers);
 * - the peer: a bare express app with one route that answers with the exact JSON body
 *   Argus's REST route gave for the benchmark request (fetched once from Argus itself);
 * - diagnostics: a ladder of express apps that add Argus's REST layers one at a time
 *   (the same middleware functions startHttpServer mounts, in its order), and a bare MCP
 *   SDK server over Streamable HTTP answering the same CallToolResult (bench/bare-server.ts).
 *
 * All on 127.0.0.1, port 0. The ports, the token, the payload and in-process stage timings
 * go back over IPC; the parent then asks for CPU usage around each run ({type:"cpu"}) and
 * finally {type:"stop"}. Run only by fork(): node dist/bench/http-target.js
 */

export const HTTP_TOOL = "get_bars";
/** A read tool, cheap but representative: the latest 20 daily bars of a demo symbol. */
export const HTTP_TOOL_ARGS = { symbol: "MKT.DEMO", timeframe: "1Day", limit: 20 } as const;
/** The same request as a resource GET (routes.ts: /bars/:symbol answered by get_bars). */
export const HTTP_RESOURCE_PATH = `/api/v1/bars/${HTTP_TOOL_ARGS.symbol}?timeframe=${HTTP_TOOL_ARGS.timeframe}&limit=${HTTP_TOOL_ARGS.limit}`;
export const HTTP_TOOL_PATH = `/api/v1/tools/${HTTP_TOOL}`;
export const BARE_PATH = "/bare";
/** Per-token budget for the benchmark: far above anything 50 loopback clients can send. */
export const BENCH_RATE_LIMIT_PER_MINUTE = 100_000_000;

/** The REST layers in the order startHttpServer applies them; each ladder rung adds one. */
export const LADDER = ["guard", "auth", "ratelimit", "json", "tool", "router"] as const;
export type LadderRung = (typeof LADDER)[number];

export interface StageTiming {
  stage: string;
  /** Microseconds per call, in process: the mean of the fastest of 7 batches. */
  meanUs: number;
}

export interface TargetReady {
  type: "ready";
  token: string;
  /** Argus, MCP with sessions. */
  argusPort: number;
  /** Argus, stateless MCP (same app, same REST). */
  statelessPort: number;
  barePort: number;
  /** Bare MCP SDK server (sessions), same CallToolResult. */
  sdkPort: number;
  ladderPorts: Record<LadderRung, number>;
  /** The REST body, exactly as Argus sent it (and as the peer sends it). */
  payload: string;
  barCount: number;
  seedMs: number;
  stages: StageTiming[];
}

export interface TargetCpu {
  type: "cpu";
  /** Microseconds of CPU (user + system) since the process started. */
  cpuUs: number;
  /** performance.now() of the child, ms. */
  at: number;
}

export type ParentMessage = { type: "cpu" } | { type: "stop" };

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

async function listen(web: express.Express): Promise<HttpServer> {
  return new Promise((ok, fail) => {
    const s = web.listen(0, "127.0.0.1", () => ok(s));
    s.once("error", fail);
  });
}

async function closeServer(s: HttpServer): Promise<void> {
  s.closeAllConnections();
  await new Promise<void>((done) => s.close(() => done()));
}

/**
 * One rung of the ladder: Argus's REST middleware up to `rung`, built from the same
 * functions and options startHttpServer uses, in its order; below the `tool` rung the
 * route answers the prepared body as the peer does; the `tool` rung calls the registry in a
 * plain route, and the `router` rung mounts Argus's own toolRouter instead.
 */
async function ladderServer(rung: LadderRung, fx: Fixture, token: string, body: unknown): Promise<HttpServer> {
  const level = LADDER.indexOf(rung);
  const creds: Credentials = { client: () => token, approver: () => undefined, sessions: new ConsoleSessions(() => undefined, 60_000) };
  const web = express();
  web.disable("x-powered-by");
  web.set("query parser", "simple");
  let port = 0;
  web.use(assignRequestId);
  web.use(hostAndOriginGuard(() => allowedHostValues("127.0.0.1", port, []), () => allowedOriginValues(port, [])));
  const chain: RequestHandler[] = [];
  if (level >= LADDER.indexOf("auth")) chain.push(authenticate(creds), csrfGuard);
  if (level >= LADDER.indexOf("ratelimit")) {
    chain.push(
      rateLimit({
        windowMs: 60_000,
        limit: BENCH_RATE_LIMIT_PER_MINUTE,
        standardHeaders: "draft-8",
        legacyHeaders: false,
        keyGenerator: (_req, res) => principalOf(res).key,
      }),
    );
  }
  if (level >= LADDER.indexOf("json")) chain.push(express.json({ limit: fx.app.config.http.maxBodyBytes }));
  if (chain.length > 0) web.use("/api/v1", ...chain);
  if (rung === "router") {
    web.use("/api/v1", toolRouter(fx.app, fx.registry));
  } else if (rung === "tool") {
    web.post(HTTP_TOOL_PATH, async (req, res) => {
      sendToolResult(res, await fx.registry.call(HTTP_TOOL, req.body ?? {}, { app: fx.app }));
    });
  } else {
    web.post(HTTP_TOOL_PATH, (_req, res) => {
      res.json(body);
    });
  }
  const s = await listen(web);
  port = (s.address() as AddressInfo).port;
  return s;
}

/** Mean µs per call of each in-process stage of the benchmark request (what the tool rung adds). */
async function stageTimings(fx: Fixture, restBody: string): Promise<StageTiming[]> {
  const spec = fx.registry.get(HTTP_TOOL);
  const descriptor = fx.registry.list().find((d) => d.name === HTTP_TOOL);
  if (!spec || !descriptor) throw new Error(`no ${HTTP_TOOL} in the registry`);
  const ctx = { app: fx.app };
  const parsed = spec.input.parse(HTTP_TOOL_ARGS);
  const out = (await spec.run(parsed as never, ctx)) as Record<string, unknown>;
  // The same compiled check the registry runs (its validators are private): same schema, same options.
  const ajv = new Ajv({ allErrors: false, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(descriptor.outputSchema);
  const object = JSON.parse(restBody) as unknown;
  // The fastest of several batches: the least disturbed by anything else on the machine.
  const time = async (stage: string, fn: () => unknown): Promise<StageTiming> => {
    for (let i = 0; i < 2_000; i++) await fn();
    let best = Infinity;
    for (let b = 0; b < 7; b++) {
      const n = 3_000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await fn();
      best = Math.min(best, ((performance.now() - t0) * 1000) / n);
    }
    return { stage, meanUs: best };
  };
  return [
    await time("registry.call (whole tool)", () => fx.registry.call(HTTP_TOOL, HTTP_TOOL_ARGS, ctx)),
    await time("input validation (zod safeParse)", () => spec.input.safeParse(HTTP_TOOL_ARGS)),
    await time("spec.run (getBars + shaping)", () => spec.run(parsed as never, ctx)),
    await time("output check (compiled JSON Schema, ajv)", () => validate(out)),
    await time("summarize (text)", () => spec.summarize(out as never)),
    await time("JSON.stringify of the REST body (peer too)", () => JSON.stringify(object)),
  ];
}

async function main(): Promise<void> {
  const fx = await createFixture();
  const token = `argus_${randomBytes(32).toString("base64url")}`;
  const common = {
    host: "127.0.0.1",
    port: 0,
    token,
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: fx.app.config.http.maxBodyBytes,
    rateLimitPerMinute: BENCH_RATE_LIMIT_PER_MINUTE,
  };
  const servers: RunningHttpServer[] = [];
  servers.push(await startHttpServer(fx.app, fx.registry, { ...common, stateless: false }));
  servers.push(await startHttpServer(fx.app, fx.registry, { ...common, stateless: true }));
  const [argus, stateless] = servers as [RunningHttpServer, RunningHttpServer];

  // The peer's body is Argus's own REST answer for the request, captured once.
  const res = await fetch(`${argus.baseUrl}${HTTP_TOOL_PATH}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(HTTP_TOOL_ARGS),
  });
  const payload = await res.text();
  if (res.status !== 200) throw new Error(`Argus answered the benchmark request with HTTP ${res.status}: ${payload}`);
  const body = JSON.parse(payload) as { result: { count: number } };

  // A bare express handler: no middleware, the parsed payload sent with res.json, as a
  // hand-written route would (so both sides serialize the same object on every request).
  const web = express();
  web.post(BARE_PATH, (_req, r) => {
    r.json(body);
  });
  web.get(BARE_PATH, (_req, r) => {
    r.json(body);
  });
  const plain: HttpServer[] = [await listen(web)];
  const ladderPorts = {} as Record<LadderRung, number>;
  for (const rung of LADDER) {
    const s = await ladderServer(rung, fx, token, body);
    plain.push(s);
    ladderPorts[rung] = (s.address() as AddressInfo).port;
  }

  // The bare MCP SDK server answers the CallToolResult Argus gives for the request.
  const outcome = await fx.registry.call(HTTP_TOOL, HTTP_TOOL_ARGS, { app: fx.app });
  const result = JSON.parse(JSON.stringify(toCallToolResult(outcome, { textJson: fx.app.config.mcp.textJson }))) as CallToolResult;
  const tool = fx.registry.list().find((d) => d.name === HTTP_TOOL) as unknown as Tool;
  const sdk: RunningBareHttp = await startBareHttpServer({ tool, result });

  const stages = await stageTimings(fx, payload);

  const stop = async () => {
    for (const s of servers) await s.close();
    await sdk.close();
    for (const s of plain) await closeServer(s);
    fx.cleanup();
    process.disconnect?.();
  };

  process.on("message", (msg: ParentMessage) => {
    if (msg.type === "cpu") {
      const u = process.cpuUsage();
      process.send?.({ type: "cpu", cpuUs: u.user + u.system, at: performance.now() } satisfies TargetCpu);
    } else if (msg.type === "stop") {
      stop().catch((err: unknown) => {
        process.stderr.write(`http-target: ${(err as Error).stack ?? String(err)}\n`);
        process.exit(1);
      });
    }
  });
  process.on("disconnect", () => {
    // The parent went away without a stop: do not linger.
    setTimeout(() => process.exit(0), 200).unref();
  });

  process.send?.({
    type: "ready",
    token,
    argusPort: argus.port,
    statelessPort: stateless.port,
    barePort: (plain[0]!.address() as AddressInfo).port,
    sdkPort: Number(new URL(sdk.url).port),
    ladderPorts,
    payload,
    barCount: body.result.count,
    seedMs: fx.seedMs,
    stages,
  } satisfies TargetReady);
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain && process.send === undefined) {
  process.stderr.write("bench/http-target: run by bench/http-throughput.ts through child_process.fork\n");
  process.exitCode = 2;
} else if (isMain) {
  main().catch((err: unknown) => {
    process.stderr.write(`http-target: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
