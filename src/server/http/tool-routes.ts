import express, { type Request, type Response, type Router } from "express";
import type { App } from "../../app.js";
import { toArgusError } from "../../core/errors.js";
import type { ToolRegistry, ToolResult } from "../../../tools/registry.js";
import { callerOf } from "./auth.js";
import { sendError } from "./errors.js";
import { queryToArgs } from "./query-args.js";
import { RESOURCE_ROUTES } from "./routes.js";

/** The REST success body: the tool's structured output, its one-line summary and any images. */
export function sendToolResult(res: Response, result: ToolResult): void {
  if (!result.ok) return sendError(res, result.error);
  res.json(result.images.length > 0 ? { result: result.structured, text: result.text, images: result.images } : { result: result.structured, text: result.text });
}

/**
 * An AbortSignal that fires when the client goes away before the answer, so long tools
 * (backtests) stop. It listens on the response: the request's own "close" fires as soon as
 * its body has been read, which would cancel every call.
 */
function disconnectSignal(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * Every tool at `POST /tools/:name`, and the resource-style GETs of routes.ts, all through
 * the registry: the same validation, error codes and results as MCP.
 */
export function toolRouter(app: App, registry: ToolRegistry): Router {
  const router = express.Router();
  const call = async (req: Request, res: Response, name: string, args: unknown) => {
    sendToolResult(res, await registry.call(name, args, { app, signal: disconnectSignal(res), caller: callerOf(res) }));
  };

  router.get("/tools", (_req, res) => {
    const tools = registry.list();
    res.json({ result: { count: tools.length, tools }, text: `${tools.length} tools.` });
  });
  router.post("/tools/:name", (req, res) => call(req, res, String(req.params.name), req.body ?? {}));

  for (const route of RESOURCE_ROUTES) {
    const descriptor = registry.list().find((d) => d.name === route.tool);
    if (!descriptor) throw new Error(`REST route ${route.path} names tool ${route.tool}, which is not in the registry`);
    router.get(route.path, async (req, res) => {
      let args: Record<string, unknown>;
      try {
        args = { ...queryToArgs(req.query as Record<string, unknown>, descriptor.inputSchema, route.tool), ...req.params };
      } catch (err) {
        return sendError(res, toArgusError(err));
      }
      await call(req, res, route.tool, args);
    });
  }
  return router;
}
