import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ElicitRequestSchema, type ElicitRequestFormParams, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../app.js";
import { PACKAGE_VERSION } from "../core/version.js";
import { createMcpServer } from "../server/mcp/server.js";
import type { ToolRegistry } from "../../tools/registry.js";

/** Answers the server's elicitation requests (an order to approve) by asking the person. */
export type ElicitationHandler = (request: ElicitRequestFormParams, signal: AbortSignal) => Promise<ElicitResult>;

export interface ArgusConnection {
  client: Client;
  /** Where the tools come from, for the banner: "in-process" or the server URL. */
  where: string;
  close(): Promise<void>;
}

/**
 * The agent's MCP client. It declares elicitation, so propose_order asks the person at
 * this terminal inside the tool call; the model never sees that exchange, let alone
 * answers it.
 */
function agentClient(elicit: ElicitationHandler): Client {
  const client = new Client({ name: "argus-agent", title: "Argus copilot", version: PACKAGE_VERSION }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
    if (request.params.mode === "url") return { action: "decline" };
    return elicit(request.params as ElicitRequestFormParams, extra.signal);
  });
  return client;
}

/**
 * Argus in this process: the same MCP server the other clients get, over an in-memory
 * pair (or a pair given by the caller, e.g. one that records every message).
 */
export async function connectInProcess(
  app: App,
  registry: ToolRegistry,
  elicit: ElicitationHandler,
  opts: { linkedPair?: () => [Transport, Transport] } = {},
): Promise<ArgusConnection> {
  const server = createMcpServer(app, registry);
  const [clientSide, serverSide] = opts.linkedPair ? opts.linkedPair() : InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = agentClient(elicit);
  await client.connect(clientSide);
  return {
    client,
    where: "in-process",
    async close() {
      await client.close();
      await server.close();
    },
  };
}

/** A running Argus over Streamable HTTP, with its MCP token. */
export async function connectRemote(url: string, token: string, elicit: ElicitationHandler): Promise<ArgusConnection> {
  const client = agentClient(elicit);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return { client, where: url, close: () => client.close() };
}
