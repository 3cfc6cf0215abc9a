import type { NextFunction, Request, Response } from "express";
import { fail } from "./errors.js";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost";
}

/** Host header values the server answers to: loopback names on its port, plus configured ones. */
export function allowedHostValues(bindHost: string, port: number, extra: readonly string[]): Set<string> {
  const names = new Set<string>(LOOPBACK_NAMES);
  if (!isLoopback(bindHost) && bindHost !== "0.0.0.0" && bindHost !== "::") names.add(bindHost.includes(":") ? `[${bindHost}]` : bindHost);
  const out = new Set<string>();
  for (const n of names) out.add(`${n}:${port}`.toLowerCase());
  for (const e of extra) out.add(e.toLowerCase());
  return out;
}

/** Browser origins allowed to call: the server's own loopback origins plus configured ones. */
export function allowedOriginValues(port: number, extra: readonly string[]): Set<string> {
  const out = new Set<string>(LOOPBACK_NAMES.map((n) => `http://${n}:${port}`));
  for (const e of extra) out.add(e.replace(/\/$/, "").toLowerCase());
  return out;
}

/** MCP clients get a JSON-RPC error body; everything else the REST error body. */
function refuse(req: Request, res: Response, message: string): void {
  if (req.path.startsWith("/mcp")) {
    res.status(403).json({ jsonrpc: "2.0", error: { code: -32000, message: `FORBIDDEN_ORIGIN: ${message}`, data: { code: "FORBIDDEN_ORIGIN" } }, id: null });
  } else {
    fail(res, "FORBIDDEN_ORIGIN", message);
  }
}

/**
 * DNS-rebinding defence (DESIGN §8): a page on evil.example that resolves its name to
 * 127.0.0.1 still sends `Host: evil.example` and its own Origin, so both are checked
 * before anything else runs. Requests without an Origin (non-browser clients) pass.
 */
export function hostAndOriginGuard(getHosts: () => Set<string>, getOrigins: () => Set<string>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const host = (req.headers.host ?? "").toLowerCase();
    if (!getHosts().has(host)) {
      refuse(req, res, `Host "${host}" is not allowed; add it to ARGUS_HTTP_ALLOWED_HOSTS if you proxy Argus under that name.`);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !getOrigins().has(origin.toLowerCase())) {
      refuse(req, res, `Origin "${origin}" is not allowed; add it to ARGUS_HTTP_ALLOWED_ORIGINS to let that page call Argus.`);
      return;
    }
    next();
  };
}
