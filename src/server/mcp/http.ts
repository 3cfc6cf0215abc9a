import { randomUUID } from "node:crypto";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Request, Response } from "express";
import type { App } from "../../app.js";
import type { ToolRegistry } from "../../../tools/registry.js";
import { createMcpServer } from "./server.js";

export interface McpHttpOptions {
  stateless: boolean;
  /** Sessions idle longer than this are closed (default 30 minutes). */
  sessionIdleMs?: number;
  maxSessions?: number;
}

export interface McpHttpHandler {
  handle(req: Request, res: Response): void;
  sessionCount(): number;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
}

export function rpcError(res: Response, status: number, message: string, code?: string): void {
  res.status(status).json({ jsonrpc: "2.0", error: { code: -32000, message: code ? `${code}: ${message}` : message, ...(code ? { data: { code } } : {}) }, id: null });
}

/**
 * MCP over Streamable HTTP. Stateful by default (one MCP server per client session,
 * addressed by the Mcp-Session-Id header); stateless builds a server for each request,
 * for deployments behind load balancers. Auth, origin checks and body parsing are the
 * HTTP server's job (src/server/http/server.ts); this only speaks the protocol.
 */
export function mcpHttpHandler(app: App, registry: ToolRegistry, opts: McpHttpOptions): McpHttpHandler {
  const sessions = new Map<string, Session>();
  const idleMs = opts.sessionIdleMs ?? 30 * 60_000;
  const maxSessions = opts.maxSessions ?? 100;

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

  return {
    handle(req, res) {
      const handler = opts.stateless ? handleStateless : handleStateful;
      handler(req, res).catch((err: unknown) => {
        app.logger.error({ err }, "MCP HTTP request failed");
        if (!res.headersSent) rpcError(res, 500, "Internal error; the server logged it and keeps serving.");
      });
    },
    sessionCount: () => sessions.size,
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
    },
  };
}
