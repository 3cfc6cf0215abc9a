import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import cors from "cors";
import express, { type NextFunction, type Request, type Response } from "express";
import { rateLimit } from "express-rate-limit";
import type { App } from "../../app.js";
import { PACKAGE_VERSION } from "../../core/version.js";
import type { ToolRegistry } from "../../../tools/registry.js";
import { mcpHttpHandler, rpcError } from "../mcp/http.js";
import { AuditFeed } from "./audit-feed.js";
import { startBookWatcher } from "../book-watcher.js";
import { authenticate, clientTokenOnly, csrfGuard, principalOf, type Credentials } from "./auth.js";
import { ConsoleSessions } from "./console-sessions.js";
import { consoleRouter } from "./console-routes.js";
import { assignRequestId, fail } from "./errors.js";
import { allowedHostValues, allowedOriginValues, hostAndOriginGuard } from "./host-guard.js";
import { humanRouter } from "./human-routes.js";
import { buildOpenApi } from "./openapi.js";
import { toolRouter } from "./tool-routes.js";

/** A token, or a getter that follows its file (see liveToken) so rotation needs no restart. */
export type TokenRef = string | (() => string);

export interface HttpServerOptions {
  host: string;
  port: number;
  /** The MCP (client) token. */
  token: TokenRef;
  /** The approver token; when absent nothing can be approved over HTTP and the console cannot sign in. */
  approverToken?: TokenRef;
  stateless: boolean;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  /** Requests per minute per token, MCP and REST together (default: the app's config). */
  rateLimitPerMinute?: number;
  /** MCP sessions idle longer than this are closed (default 30 minutes). */
  sessionIdleMs?: number;
  maxSessions?: number;
  /** How often new audit rows are looked for, for the console's live feed (default 250 ms). */
  feedPollMs?: number;
  /** How often the live feed sends the server's clock (default 5 s). */
  clockEventMs?: number;
  /** How often fills are audited and due proposals expired (default: execution.watchIntervalMs). */
  watchIntervalMs?: number;
}

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:7420/mcp. */
  url: string;
  /** The server's root, e.g. http://127.0.0.1:7420 (console at /console/, REST at /api/v1). */
  baseUrl: string;
  port: number;
  close(): Promise<void>;
  sessionCount(): number;
}

const asGetter = (t: TokenRef): (() => string) => (typeof t === "string" ? () => t : t);

/**
 * One HTTP server for every network surface (DESIGN §3): MCP at /mcp, the REST API at
 * /api/v1, the approval console at /console/. Each surface only wires requests to the
 * tool registry or the managers; the order of the middleware is the security model:
 * Host/Origin first, then who is calling, then CSRF for cookie sessions, then the
 * per-token rate limit, and only then a body is parsed.
 */
export async function startHttpServer(app: App, registry: ToolRegistry, opts: HttpServerOptions): Promise<RunningHttpServer> {
  let port = opts.port;
  const approver = opts.approverToken !== undefined ? asGetter(opts.approverToken) : () => undefined;
  const creds: Credentials = {
    client: asGetter(opts.token),
    approver,
    sessions: new ConsoleSessions(approver, app.config.http.consoleIdleMinutes * 60_000),
  };
  const mcp = mcpHttpHandler(app, registry, { stateless: opts.stateless, ...(opts.sessionIdleMs !== undefined ? { sessionIdleMs: opts.sessionIdleMs } : {}), ...(opts.maxSessions !== undefined ? { maxSessions: opts.maxSessions } : {}) });
  const feed = new AuditFeed(app.audit, opts.feedPollMs ?? 250, (err) => app.logger.error({ err }, "audit feed poll failed"));
  let openApi: Record<string, unknown> | undefined;
  const watcher = startBookWatcher(app, opts.watchIntervalMs ?? app.config.execution.watchIntervalMs);

  // One budget per token across MCP and REST; the answer speaks each surface's error format.
  const perToken = rateLimit({
    windowMs: 60_000,
    limit: opts.rateLimitPerMinute ?? app.config.http.rateLimitPerMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (_req, res) => principalOf(res).key,
    handler: (req, res) => {
      const message = `More than ${opts.rateLimitPerMinute ?? app.config.http.rateLimitPerMinute} requests a minute with this token; retry after ${String(res.getHeader("Retry-After") ?? "60")} s.`;
      if (req.baseUrl === "/mcp") rpcError(res, 429, message, "RATE_LIMITED");
      else fail(res, "RATE_LIMITED", message);
    },
  });

  const web = express();
  web.disable("x-powered-by");
  web.set("query parser", "simple");
  web.use(assignRequestId);
  // Built on first use: requests arrive only after listen, when the real port is known.
  let hosts: Set<string> | undefined;
  let origins: Set<string> | undefined;
  web.use(
    hostAndOriginGuard(
      () => (hosts ??= allowedHostValues(opts.host, port, opts.allowedHosts)),
      () => (origins ??= allowedOriginValues(port, opts.allowedOrigins)),
    ),
  );
  web.get("/healthz", (_req, res) => {
    res.json({ ok: true });
  });

  // Browsers on an allowed origin (the guard above refused all others) may call /mcp:
  // preflights are answered before auth, since browsers send no Authorization on them.
  web.use(
    "/mcp",
    cors({
      origin: true,
      methods: ["GET", "POST", "DELETE"],
      allowedHeaders: ["Authorization", "Content-Type", "Accept", "Mcp-Session-Id", "Mcp-Protocol-Version", "Last-Event-ID"],
      exposedHeaders: ["Mcp-Session-Id", "Mcp-Protocol-Version"],
      maxAge: 600,
    }),
  );
  web.use("/mcp", clientTokenOnly(creds), perToken, express.json({ limit: opts.maxBodyBytes }));
  web.all("/mcp", (req, res) => mcp.handle(req, res));

  web.get("/api/v1/openapi.json", (_req, res) => {
    openApi ??= buildOpenApi(registry, { version: PACKAGE_VERSION });
    res.json(openApi);
  });
  web.use("/api/v1", authenticate(creds), csrfGuard, perToken, express.json({ limit: opts.maxBodyBytes }));
  web.use("/api/v1", toolRouter(app, registry));
  web.use("/api/v1", humanRouter(app, registry, feed, { clockEventMs: opts.clockEventMs ?? 5_000 }));
  web.use("/api/v1", (req, res) => fail(res, "NOT_FOUND", `No API route ${req.method} ${req.baseUrl}${req.path}; the OpenAPI document at /api/v1/openapi.json lists them.`));

  web.use("/console", consoleRouter(app, creds));
  web.get("/", (_req, res) => res.redirect(302, "/console/"));

  // Malformed JSON and oversized bodies get the surface's error format, never an HTML page.
  web.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const tooLarge = err.type === "entity.too.large";
    const badJson = err.type === "entity.parse.failed";
    if (!tooLarge && !badJson) app.logger.error({ err, path: req.path }, "HTTP request failed");
    const message = tooLarge ? `Request body is larger than ${opts.maxBodyBytes} bytes.` : badJson ? "Request body is not valid JSON." : "Internal error; the server logged it and keeps serving.";
    if (res.headersSent) return;
    const code = tooLarge ? "PAYLOAD_TOO_LARGE" : badJson ? "INVALID_INPUT" : "INTERNAL";
    if (req.path.startsWith("/mcp") || req.baseUrl.startsWith("/mcp")) rpcError(res, tooLarge ? 413 : badJson ? 400 : 500, message, code);
    else fail(res, code, message);
  });

  const http: HttpServer = await new Promise((resolve, reject) => {
    const s = web.listen(opts.port, opts.host, () => resolve(s));
    s.once("error", reject);
  });
  port = (http.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  const baseUrl = `http://${hostForUrl}:${port}`;
  return {
    url: `${baseUrl}/mcp`,
    baseUrl,
    port,
    sessionCount: () => mcp.sessionCount(),
    close: async () => {
      watcher.stop();
      feed.stop();
      await mcp.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
