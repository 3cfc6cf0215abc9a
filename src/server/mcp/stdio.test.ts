import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, describe, expect, it } from "vitest";
import { fromRoot } from "../../core/package-root.js";

const CLI = fromRoot("dist", "src", "server", "cli", "main.js");

describe.skipIf(!existsSync(CLI))("MCP over stdio with the built CLI (npm test builds it first)", () => {
  const home = mkdtempSync(join(tmpdir(), "argus-stdio-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("lists the tools and calls get_bars on demo data; stdout carries only protocol", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI, "serve", "--stdio"],
      env: { PATH: process.env.PATH ?? "", ARGUS_HOME: home, ARGUS_CLOCK_AT: "2026-11-23T15:00:00Z" },
      stderr: "pipe",
    });
    const client = new Client({ name: "stdio-test", version: "1" });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain("get_bars");
    const r = await client.callTool({ name: "get_bars", arguments: { symbol: "MKT.DEMO", timeframe: "1Day", limit: 252 } });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as { count: number; last: string };
    expect(s.count).toBe(252);
    expect(s.last).toBe("2026-11-20T00:00:00-05:00");
    const bad = await client.callTool({ name: "get_bars", arguments: { symbol: "NOPE" } });
    expect(bad.isError).toBe(true);
    await client.close();
  });

  it("survives garbage on stdin and keeps answering, writing only JSON-RPC to stdout", async () => {
    const child = spawn(process.execPath, [CLI, "serve", "--stdio"], {
      env: { PATH: process.env.PATH ?? "", ARGUS_HOME: home, ARGUS_CLOCK_AT: "2026-11-23T15:00:00Z" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const send = (msg: unknown) => child.stdin.write(`${typeof msg === "string" ? msg : JSON.stringify(msg)}\n`);
    send("this is not json");
    send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "get_bars", arguments: { symbol: "MKT.DEMO", limit: "lots" } } });
    send({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "get_latest_price", arguments: { symbol: "MKT.DEMO" } } });
    const deadline = Date.now() + 20_000;
    while (!out.includes('"id":3') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill();
    const lines = out.trim().split("\n").map((l) => JSON.parse(l) as { id?: number; result?: { isError?: boolean; content: { text: string }[] } });
    expect(lines.every((l) => "jsonrpc" in l)).toBe(true);
    const byId = new Map(lines.map((l) => [l.id, l]));
    expect(byId.get(2)?.result?.isError).toBe(true);
    expect(byId.get(2)?.result?.content[0]?.text).toMatch(/^INVALID_INPUT: .*limit/);
    expect(byId.get(3)?.result?.isError).toBeFalsy();
  });
});
