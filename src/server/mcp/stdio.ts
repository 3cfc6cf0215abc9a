import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { App } from "../../app.js";
import type { ToolRegistry } from "../../../tools/registry.js";
import { createMcpServer } from "./server.js";

/** Serves MCP on stdin/stdout. Logs go to stderr: stdout carries only the protocol. */
export async function serveStdio(app: App, registry: ToolRegistry): Promise<void> {
  const server = createMcpServer(app, registry);
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.close();
}
