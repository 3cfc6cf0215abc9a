import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { createMcpExpressApp } from "@modelcontextprotocol/sdk/server/express.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, isInitializeRequest, ListToolsRequestSchema, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Request, Response } from "express";

/**
 * The benchmark's peer: a bare MCP SDK server with a single tool that answers every call
 * with a fixed CallToolResult. The bench fills it with the exact result Argus gives for
 * the measured request and the exact tool descriptor (input and output schema) Argus
 * lists, so both servers send the same bytes and the client validates the same schema.
 *
 * Runnable on its own as a stdio server: node dist/bench/bare-server.js --stdio <payload.json>
 */

export interface BarePayload {
  /** The tool as Argus lists it (name, description, inputSchema, outputSchema, annotations). */
  tool: Tool;
  /** What Argus answers for the benchmark's request. */
  result: CallToolResult;
}

export function readPayload(path: string): BarePayload {
  return JSON.parse(readFileSync(path, "utf8")) as BarePayload;
}

export function createBareServer(payload: BarePayload): Server {
  const server = new Server({ name: "bare", version: "1.0.0" }, { capabilities: { tools: { listChanged: false } } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [payload.tool] }));
  server.setRequestHandler(CallToolRequestSchema, (request) => {
    if (request.params.name !== payload.tool.name) {
      return { isError: true, content: [{ type: "text", text: `UNKNOWN_TOOL: ${request.params.name}` }] };
    }
    return payload.result;
  });
  return server;
}

export interface RunningBareHttp {
  url: string;
  close(): Promise<void>;
}

/**
 * Streamable HTTP with sessions, as the SDK's own examples serve it: createMcpExpressApp
 * (localhost Host check and JSON body parser), one server and transport per session,
 * no authentication.
 */
export async function startBareHttpServer(payload: BarePayload, host = "127.0.0.1"): Promise<RunningBareHttp> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const web = createMcpExpressApp({ host });

  const handle = async (req: Request, res: Response): Promise<void> => {
    const header = req.headers["mcp-session-id"];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId) {
      const existing = transports.get(sessionId);
      if (!existing) {
        res.status(404).json({ jsonrpc: "2.0", error: { code: -32000, message: "Unknown session" }, id: null });
        return;
      }
      await existing.handleRequest(req, res, req.body);
      return;
    }
    if (req.method !== "POST" || !isInitializeRequest(req.body)) {
      res.status(400).json({ jsonrpc: "2.0", error: { code: -32000, message: "No session" }, id: null });
      return;
    }
    const server = createBareServer(payload);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        transports.set(sid, transport);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) transports.delete(transport.sessionId);
      void server.close();
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  };

  web.all("/mcp", (req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`bare server: ${(err as Error).stack ?? String(err)}\n`);
      if (!res.headersSent) res.status(500).end();
    });
  });

  const http: HttpServer = await new Promise((ok, fail) => {
    const s = web.listen(0, host, () => ok(s));
    s.once("error", fail);
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/mcp`,
    close: async () => {
      await Promise.all([...transports.values()].map((t) => t.close()));
      transports.clear();
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}

async function serveStdio(payloadPath: string): Promise<void> {
  const server = createBareServer(readPayload(payloadPath));
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((done) => {
    transport.onclose = () => done();
    process.stdin.once("end", () => done());
  });
  await server.close();
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const payloadPath = args[0] === "--stdio" ? args[1] : undefined;
  if (!payloadPath) {
    process.stderr.write("usage: node dist/bench/bare-server.js --stdio <payload.json>\n");
    process.exitCode = 2;
  } else {
    serveStdio(payloadPath).catch((err: unknown) => {
      process.stderr.write(`bare server: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
  }
}
