import type { NextFunction, Request, Response } from "express";
import { tokensEqual } from "../auth/token.js";

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

function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ jsonrpc: "2.0", error: { code: -32000, message: `${code}: ${message}`, data: { code } }, id: null });
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
      refuse(res, 403, "FORBIDDEN_ORIGIN", `Host "${host}" is not allowed; add it to ARGUS_HTTP_ALLOWED_HOSTS if you proxy Argus under that name.`);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !getOrigins().has(origin.toLowerCase())) {
      refuse(res, 403, "FORBIDDEN_ORIGIN", `Origin "${origin}" is not allowed; add it to ARGUS_HTTP_ALLOWED_ORIGINS to let that page call Argus.`);
      return;
    }
    next();
  };
}

export function bearerAuth(expected: () => string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !tokensEqual(match[1]!.trim(), expected())) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="argus"');
      refuse(res, 401, "UNAUTHORIZED", "Send the Argus token as `Authorization: Bearer <token>`; `argus token` prints it.");
      return;
    }
    next();
  };
}
