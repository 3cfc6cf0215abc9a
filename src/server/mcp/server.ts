import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { App } from "../../app.js";
import { PACKAGE_VERSION } from "../../core/version.js";
import type { ToolRegistry, ToolResult } from "../../../tools/registry.js";
import type { ElicitationAnswer, ElicitationRequest } from "../../../tools/spec.js";
import { readPrompt } from "./instructions.js";
import { registerPrompts } from "./prompts.js";

/** Converts a registry outcome to an MCP result: data as structuredContent, errors as isError. */
export function toCallToolResult(result: ToolResult, opts: { textJson: boolean }): CallToolResult {
  if (result.ok) {
    const text = opts.textJson ? `${result.text}\n${JSON.stringify(result.structured)}` : result.text;
    const images = result.images.map((i) => ({ type: "image" as const, data: i.data, mimeType: i.mimeType }));
    return { content: [{ type: "text", text }, ...images], structuredContent: result.structured };
  }
  const { code, message, details } = result.error;
  return {
    isError: true,
    content: [{ type: "text", text: `${code}: ${message}` }],
    _meta: { "argus/error": details === undefined ? { code, message } : { code, message, details } },
  };
}

let instructions: string | undefined;

/**
 * An MCP server over the tool registry. The low-level Server is used so that input
 * validation and error results go through the registry and read the same on every
 * surface. One instance serves one transport (one client session).
 */
export function createMcpServer(app: App, registry: ToolRegistry): Server {
  instructions ??= readPrompt("server-instructions");
  const server = new Server(
    { name: "argus", title: "Argus", version: PACKAGE_VERSION },
    { capabilities: { tools: { listChanged: false }, prompts: { listChanged: false }, completions: {} }, instructions },
  );
  registerPrompts(server, app);
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [...registry.list()] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    // Elicitation is offered to tools only when this client declared it; the request is tied
    // to the tool call (relatedRequestId) so it travels on the same stream over HTTP.
    const canElicit = server.getClientCapabilities()?.elicitation !== undefined;
    const elicit = canElicit
      ? async (req: ElicitationRequest): Promise<ElicitationAnswer> => {
          const r = await server.elicitInput({ mode: "form", message: req.message, requestedSchema: req.requestedSchema as never }, { relatedRequestId: extra.requestId });
          return { action: r.action, ...(r.content ? { content: r.content as Record<string, unknown> } : {}) };
        }
      : undefined;
    // Progress goes back on the same request's stream, only when the client asked for it.
    const progressToken = request.params._meta?.progressToken;
    const progress =
      progressToken !== undefined
        ? (done: number, total: number, message?: string) => {
            void extra
              .sendNotification({ method: "notifications/progress", params: { progressToken, progress: done, total, ...(message ? { message } : {}) } })
              .catch(() => undefined);
          }
        : undefined;
    const result = await registry.call(request.params.name, request.params.arguments ?? {}, { app, signal: extra.signal, ...(elicit ? { elicit } : {}), ...(progress ? { progress } : {}) });
    return toCallToolResult(result, { textJson: app.config.mcp.textJson });
  });
  return server;
}
