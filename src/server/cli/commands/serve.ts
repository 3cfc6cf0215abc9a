import { serveStdio } from "../../mcp/stdio.js";
import { startHttpServer } from "../../http/server.js";
import { ensureToken, liveToken } from "../../auth/token.js";
import { startBookWatcher } from "../../book-watcher.js";
import { cliApp } from "../context.js";

export interface ServeFlags {
  stdio?: boolean;
  http?: boolean;
  port?: number;
  host?: string;
  stateless?: boolean;
}

/** `argus serve --stdio | --http [--port N]`. */
export async function serveCommand(flags: ServeFlags): Promise<number> {
  if (flags.stdio && flags.http) {
    process.stderr.write("Choose one transport: --stdio or --http.\n");
    return 1;
  }
  const overrides: Record<string, unknown> = {};
  const http: Record<string, unknown> = {};
  if (flags.port !== undefined) http.port = flags.port;
  if (flags.host !== undefined) http.host = flags.host;
  if (flags.stateless) http.stateless = true;
  if (Object.keys(http).length > 0) overrides.http = http;
  const { app, registry, config } = cliApp({ quiet: false, overrides });
  // Orders left between approval and the broker's answer by a previous run are settled first.
  const settled = await app.execution.reconcilePending();
  if (settled.found + settled.resubmitted + settled.blocked > 0) app.logger.warn(settled, "reconciled orders left by a previous run");

  if (flags.stdio) {
    // Fills are audited and undecided proposals expire while any server runs, not only HTTP.
    const watcher = startBookWatcher(app, config.execution.watchIntervalMs);
    await serveStdio(app, registry);
    watcher.stop();
    app.close();
    return 0;
  }

  const token = ensureToken(config.home, config.http.token);
  let server;
  try {
    // Both tokens follow their files: `argus token --rotate [--approver]` takes effect without a restart.
    server = await startHttpServer(app, registry, {
      ...config.http,
      token: liveToken(config.home, config.http.token),
      approverToken: liveToken(config.home, config.execution.approverToken, "approver-token"),
    });
  } catch (err) {
    app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      process.stderr.write(
        `Cannot listen on ${config.http.host}:${config.http.port} (${code === "EADDRINUSE" ? "the port is in use, perhaps by another Argus" : "permission denied"}); pass --port or set ARGUS_HTTP_PORT.\n`,
      );
      return 1;
    }
    throw err;
  }
  const where = token.source === "config" ? "from ARGUS_TOKEN" : `in ${token.path}${token.created ? " (created now)" : ""}; print it with \`npm run argus -- token\``;
  const snippet = JSON.stringify({ mcpServers: { argus: { type: "http", url: server.url, headers: { Authorization: "Bearer <token>" } } } }, null, 2);
  process.stdout.write(
    [
      `Argus MCP server (Streamable HTTP${config.http.stateless ? ", stateless" : ""}) listening on ${server.url}`,
      `Bearer token: ${where}`,
      `Approval console: ${server.baseUrl}/console/ (sign in with the approver token from ${config.execution.approverToken ? "ARGUS_APPROVER_TOKEN" : "`npm run argus -- token --approver`"}; or run \`argus approve <id>\`)`,
      `REST API: ${server.baseUrl}/api/v1 (OpenAPI document at ${server.baseUrl}/api/v1/openapi.json)`,
      `Mode: ${app.execution.mode.mode.toUpperCase()} (${app.execution.mode.reason}), broker ${app.execution.brokerName}`,
      `Data: ${app.data.symbols().length} symbols${config.data.demo ? " (demo symbols *.DEMO are SYNTHETIC, not real prices)" : ""}`,
      "Client configuration (IDE / MCP clients that speak HTTP):",
      snippet,
      "Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  app.close();
  return 0;
}
