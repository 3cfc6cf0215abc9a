import { randomBytes } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { fromRoot } from "../src/core/package-root.js";
import { startHttpServer } from "../src/server/http/server.js";
import { createMcpServer } from "../src/server/mcp/server.js";
import { createBareServer, startBareHttpServer } from "./bare-server.js";
import type { Fixture } from "./fixture.js";

export type TransportName = "in-memory" | "stdio" | "http";
export const TRANSPORTS: readonly TransportName[] = ["in-memory", "stdio", "http"];

export const ARGUS_CLI = fromRoot("dist", "src", "server", "cli", "main.js");
export const BARE_SERVER = fromRoot("dist", "bench", "bare-server.js");

/** A connected SDK client; both servers are driven through the same client code. */
export interface Endpoint {
  client: Client;
  close(): Promise<void>;
}

export interface Pair {
  argus: Endpoint;
  bare: Endpoint;
}

/** Connects a client and lists tools once, so the client caches the outputSchema validator. */
async function connect(transport: Transport, name: string): Promise<Client> {
  const client = new Client({ name: `argus-bench-${name}`, version: "1" });
  await client.connect(transport);
  const { tools } = await client.listTools();
  if (!tools.some((t) => t.name === "get_bars" && t.outputSchema)) throw new Error(`${name}: no get_bars with an outputSchema in tools/list`);
  return client;
}

async function inMemory(fx: Fixture): Promise<Pair> {
  const make = async (server: ReturnType<typeof createMcpServer>, name: string): Promise<Endpoint> => {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = await connect(clientSide, name);
    return {
      client,
      close: async () => {
        await client.close();
        await server.close();
      },
    };
  };
  return { argus: await make(createMcpServer(fx.app, fx.registry), "argus-memory"), bare: await make(createBareServer(fx.payload), "bare-memory") };
}

async function stdio(fx: Fixture): Promise<Pair> {
  const spawn = async (args: string[], name: string): Promise<Endpoint> => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args,
      env: { PATH: process.env.PATH ?? "", ...fx.env },
      cwd: fx.home,
      stderr: "pipe",
    });
    let stderr = "";
    transport.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString("utf8");
    });
    try {
      const client = await connect(transport, name);
      return { client, close: () => client.close() };
    } catch (err) {
      throw new Error(`${name} failed to start: ${(err as Error).message}\n${stderr}`);
    }
  };
  return {
    argus: await spawn([ARGUS_CLI, "serve", "--stdio"], "argus-stdio"),
    bare: await spawn([BARE_SERVER, "--stdio", fx.payloadPath], "bare-stdio"),
  };
}

async function http(fx: Fixture): Promise<Pair> {
  const token = `argus_${randomBytes(32).toString("base64url")}`;
  const argusHttp = await startHttpServer(fx.app, fx.registry, {
    host: "127.0.0.1",
    port: 0,
    token,
    stateless: false,
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: fx.app.config.http.maxBodyBytes,
    // The bench measures the transport, not the per-token budget (600/min by default).
    rateLimitPerMinute: 100_000_000,
  });
  const bareHttp = await startBareHttpServer(fx.payload);
  const make = async (url: string, headers: Record<string, string>, name: string, stop: () => Promise<void>): Promise<Endpoint> => {
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
    const client = await connect(transport, name);
    return {
      client,
      close: async () => {
        await transport.terminateSession().catch(() => undefined);
        await client.close();
        await stop();
      },
    };
  };
  return {
    argus: await make(argusHttp.url, { Authorization: `Bearer ${token}` }, "argus-http", () => argusHttp.close()),
    bare: await make(bareHttp.url, {}, "bare-http", () => bareHttp.close()),
  };
}

export function openPair(name: TransportName, fx: Fixture): Promise<Pair> {
  switch (name) {
    case "in-memory":
      return inMemory(fx);
    case "stdio":
      return stdio(fx);
    case "http":
      return http(fx);
  }
}
