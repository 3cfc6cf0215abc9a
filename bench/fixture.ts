import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { createApp, type App } from "../src/app.js";
import { loadConfig } from "../src/core/config.js";
import { createLogger } from "../src/core/logger.js";
import { createMcpServer, toCallToolResult } from "../src/server/mcp/server.js";
import { createToolRegistry } from "../tools/index.js";
import type { ToolRegistry } from "../tools/registry.js";
import type { BarePayload } from "./bare-server.js";

/** The request every benchmark call makes: one year of daily demo bars. */
export const CLOCK_AT = "2026-11-23T15:00:00Z";
export const TOOL_NAME = "get_bars";
export const TOOL_ARGS = { symbol: "MKT.DEMO", timeframe: "1Day", from: "2025-11-21", to: "2026-11-20" } as const;

export interface Fixture {
  home: string;
  /** Environment for a child `argus serve --stdio` on the same ARGUS_HOME. */
  env: Record<string, string>;
  app: App;
  registry: ToolRegistry;
  payload: BarePayload;
  payloadPath: string;
  /** Bytes of the CallToolResult as JSON. */
  payloadBytes: number;
  barCount: number;
  seedMs: number;
  cleanup(): void;
}

/**
 * A temporary ARGUS_HOME seeded with the demo universe (so generation is never timed),
 * the in-process app on it, and the peer's payload: the exact CallToolResult Argus
 * returns for the request and the get_bars descriptor from Argus's tools/list.
 */
export async function createFixture(): Promise<Fixture> {
  const home = mkdtempSync(join(tmpdir(), "argus-bench-"));
  const env = { ARGUS_HOME: home, ARGUS_CLOCK_AT: CLOCK_AT, ARGUS_LOG_LEVEL: "warn" };
  const config = loadConfig({ env, cwd: home });
  const started = performance.now();
  const app = createApp(config, { logger: createLogger("warn") });
  const seedMs = performance.now() - started;
  const registry = createToolRegistry();

  const outcome = await registry.call(TOOL_NAME, TOOL_ARGS, { app });
  if (!outcome.ok) throw new Error(`Argus answered the benchmark request with ${outcome.error.code}: ${outcome.error.message}`);
  // A JSON round trip: the peer must hold plain data, exactly what goes over the wire.
  const result = JSON.parse(JSON.stringify(toCallToolResult(outcome, { textJson: app.config.mcp.textJson }))) as CallToolResult;

  // The descriptor as a client sees it, through Argus's own tools/list.
  const server = createMcpServer(app, registry);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "argus-bench-capture", version: "1" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const { tools } = await client.listTools();
  await client.close();
  const tool = tools.find((t) => t.name === TOOL_NAME) as Tool | undefined;
  if (!tool?.outputSchema) throw new Error(`Argus's tools/list has no ${TOOL_NAME} with an outputSchema`);

  const payload: BarePayload = { tool, result };
  const payloadPath = join(home, "bare-payload.json");
  writeFileSync(payloadPath, JSON.stringify(payload));
  const barCount = (result.structuredContent as { count: number }).count;

  return {
    home,
    env,
    app,
    registry,
    payload,
    payloadPath,
    payloadBytes: Buffer.byteLength(JSON.stringify(result)),
    barCount,
    seedMs,
    cleanup: () => {
      app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
