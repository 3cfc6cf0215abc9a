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
});
