import { randomUUID } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import cors from "cors";
import express, { type Request, type Response } from "express";
import type { App } from "../../app.js";
import type { ToolRegistry } from "../../../tools/registry.js";
import { allowedHostValues, allowedOriginValues, bearerAuth, hostAndOriginGuard } from "./http-guards.js";
import { createMcpServer } from "./server.js";
import { approvalsRouter } from "../http/approvals.js";

export interface HttpServerOptions {
  host: string;
  port: number;
  token: string;
  /** Secret for POST /api/v1/approvals/:id; when absent the approvals API is not served. */
  approverToken?: string;
  stateless: boolean;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  /** Sessions idle longer than this are closed (default 30 minutes). */
  sessionIdleMs?: number;
  maxSessions?: number;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
  sessionCount(): number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
}

function rpcError(res: Response, status: number, message: string): void {
  res.status(status).json({ jsonrpc: "2.0", error: { code: -32000, message }, id: null });
}

/**
 * MCP over Streamable HTTP on express. Stateful by default (one MCP server per client
 * session, addressed by the Mcp-Session-Id header); stateless builds a server for each
 * request, for deployments behind load balancers.
 */
export async function startHttpServer(app: App, registry: ToolRegistry, opts: HttpServerOptions): Promise<RunningHttpServer> {
  const sessions = new Map<string, Session>();
  const idleMs = opts.sessionIdleMs ?? 30 * 60_000;
  const maxSessions = opts.maxSessions ?? 100;
  let port = opts.port;

  const web = express();
  web.disable("x-powered-by");
  web.use(hostAndOriginGuard(() => allowedHostValues(opts.host, port, opts.allowedHosts), () => allowedOriginValues(port, opts.allowedOrigins)));
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
  web.use("/mcp", bearerAuth(() => opts.token));
  if (opts.approverToken) {
    const approverToken = opts.approverToken;
    web.use("/api/v1", approvalsRouter(app, () => approverToken));
  }
  web.use("/mcp", express.json({ limit: opts.maxBodyBytes }));

  const handleStateless = async (req: Request, res: Response) => {
    const server = createMcpServer(app, registry);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  const handleStateful = async (req: Request, res: Response) => {
    const id = req.headers["mcp-session-id"];
    const sessionId = Array.isArray(id) ? id[0] : id;
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session) return rpcError(res, 404, "Unknown or expired MCP session; initialize a new one.");
      session.lastSeen = Date.now();
      return session.transport.handleRequest(req, res, req.body);
    }
    if (req.method !== "POST" || !isInitializeRequest(req.body)) {
      return rpcError(res, 400, "No Mcp-Session-Id header: send an initialize request first.");
    }
    if (sessions.size >= maxSessions) return rpcError(res, 503, `Too many open MCP sessions (${maxSessions}); close idle clients and retry.`);
    const server = createMcpServer(app, registry);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessions.set(sid, { transport, lastSeen: Date.now() });
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  web.all("/mcp", (req, res) => {
    const handler = opts.stateless ? handleStateless : handleStateful;
    handler(req, res).catch((err: unknown) => {
      app.logger.error({ err }, "MCP HTTP request failed");
      if (!res.headersSent) rpcError(res, 500, "Internal error; the server logged it and keeps serving.");
    });
  });
  // Malformed JSON and oversized bodies come back as JSON-RPC errors, not HTML pages.
  web.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: unknown) => {
    const status = err.status ?? 500;
    const message = err.type === "entity.too.large" ? `Request body is larger than ${opts.maxBodyBytes} bytes.` : status === 400 ? "Request body is not valid JSON." : "Internal error.";
    if (status >= 500) app.logger.error({ err }, "HTTP error");
    rpcError(res, status, message);
  });

  const sweep = setInterval(() => {
    const cutoff = Date.now() - idleMs;
    for (const [sid, s] of sessions) {
      if (s.lastSeen < cutoff) {
        sessions.delete(sid);
        void s.transport.close();
      }
    }
  }, Math.min(idleMs, 60_000));
  sweep.unref();

  const http: HttpServer = await new Promise((resolve, reject) => {
    const s = web.listen(opts.port, opts.host, () => resolve(s));
    s.once("error", reject);
  });
  port = (http.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${hostForUrl}:${port}/mcp`,
    port,
    sessionCount: () => sessions.size,
    close: async () => {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
