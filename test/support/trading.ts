import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from "../../src/server/http/server.js";
import { createToolRegistry } from "../../tools/index.js";
import { createTestApp, type TestApp } from "./app.js";

/** Saturday 2026-11-21 12:00 New York: the demo's last session (Friday) has closed, so its prices are fresh. */
export const WEEKEND_NOON = Date.parse("2026-11-21T17:00:00Z");
export const MCP_TOKEN = "mcp-token-for-tests-0123456789";
export const APPROVER_TOKEN = "approver-token-for-tests-98765";

export interface TradingHarness {
  t: TestApp;
  server: RunningHttpServer;
  /** A model's session: the SDK client over HTTP with the MCP token. */
  model: Client;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** A human approving out of band over the approvals API. */
  decide(id: string, decision: "approve" | "reject", token?: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startTradingHarness(
  opts: { now?: number; demoAsOf?: number; env?: Record<string, string>; elicitation?: boolean; server?: Partial<HttpServerOptions> } = {},
): Promise<TradingHarness> {
  const t = createTestApp({ now: opts.now ?? WEEKEND_NOON, ...(opts.demoAsOf !== undefined ? { demoAsOf: opts.demoAsOf } : {}), ...(opts.env ? { env: opts.env } : {}) });
  const server = await startHttpServer(t.app, createToolRegistry(), {
    host: "127.0.0.1",
    port: 0,
    token: MCP_TOKEN,
    approverToken: APPROVER_TOKEN,
    stateless: false,
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: 1_000_000,
    ...opts.server,
  });
  const model = new Client({ name: "adversarial-model", version: "1" });
  await model.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${MCP_TOKEN}` } } }));
  const base = server.url.replace(/\/mcp$/, "");
  return {
    t,
    server,
    model,
    call: (name, args = {}) => model.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    async decide(id, decision, token = APPROVER_TOKEN) {
      const res = await fetch(`${base}/api/v1/approvals/${encodeURIComponent(id)}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ decision, approver: "test-human" }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      await model.close().catch(() => undefined);
      await server.close();
      t.cleanup();
    },
  };
}

export function errorCode(r: CallToolResult): string {
  return r.isError ? String((r.content[0] as { text: string }).text).split(":")[0]! : "ok";
}
