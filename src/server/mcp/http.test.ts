import { request } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/support/app.js";
import { createToolRegistry } from "../../../tools/index.js";
import { startHttpServer, type RunningHttpServer } from "../http/server.js";

const TOKEN = "test-token-0123456789abcdef";

function rawPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const INIT = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });

for (const stateless of [false, true]) {
  describe(`MCP over Streamable HTTP (${stateless ? "stateless" : "sessions"})`, () => {
    let t: TestApp;
    let server: RunningHttpServer;

    beforeAll(async () => {
      t = createTestApp();
      server = await startHttpServer(t.app, createToolRegistry(), {
        host: "127.0.0.1",
        port: 0,
        token: TOKEN,
        stateless,
        allowedHosts: [],
        allowedOrigins: ["https://console.example"],
        maxBodyBytes: 100_000,
      });
    });
    afterAll(async () => {
      await server.close();
      t.cleanup();
    });

    it("lets the SDK client list tools and call get_bars with the token", async () => {
      const client = new Client({ name: "http-test", version: "1" });
      const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name)).toEqual(expect.arrayContaining(["get_bars", "analyze_ticker", "chart_ticker"]));
      const r = await client.callTool({ name: "get_bars", arguments: { symbol: "MKT.DEMO", limit: 5 } });
      expect(r.isError).toBeFalsy();
      expect((r.structuredContent as { count: number }).count).toBe(5);
      if (!stateless) expect(server.sessionCount()).toBe(1);
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    });

    it("answers 401 without the token, or with a wrong one", async () => {
      expect((await rawPost(server.url, {}, INIT)).status).toBe(401);
      expect((await rawPost(server.url, { authorization: "Bearer wrong-token-wrong-token" }, INIT)).status).toBe(401);
    });

    it("refuses a foreign Origin and a foreign Host even with the token (DNS rebinding)", async () => {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const foreignOrigin = await rawPost(server.url, { ...auth, origin: "https://evil.example" }, INIT);
      expect(foreignOrigin.status).toBe(403);
      expect(foreignOrigin.body).toMatch(/FORBIDDEN_ORIGIN/);
      const foreignHost = await rawPost(server.url, { ...auth, host: `evil.example:${server.port}` }, INIT);
      expect(foreignHost.status).toBe(403);
      const allowedOrigin = await rawPost(server.url, { ...auth, origin: "https://console.example" }, INIT);
      expect(allowedOrigin.status).toBe(200);
    });

    it("answers CORS preflights for allowed origins only, before auth", async () => {
      const preflight = (origin: string) =>
        fetch(server.url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } });
      const allowed = await preflight("https://console.example");
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("https://console.example");
      expect(allowed.headers.get("access-control-allow-headers")).toMatch(/Authorization/);
      expect((await preflight("https://evil.example")).status).toBe(403);
    });

    it("turns malformed and oversized bodies into JSON-RPC errors and keeps serving", async () => {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const bad = await rawPost(server.url, auth, "{not json");
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body).error.message).toMatch(/not valid JSON/);
      const big = await rawPost(server.url, auth, JSON.stringify({ pad: "x".repeat(200_000) }));
      expect(big.status).toBe(413);
      expect((await rawPost(server.url, auth, INIT)).status).toBe(200);
    });
  });
}
