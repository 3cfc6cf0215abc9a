import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { parse as parseCookies } from "cookie";
import { tokenDigest, tokensEqual } from "../auth/token.js";
import type { ConsoleSession, ConsoleSessions } from "./console-sessions.js";
import { fail } from "./errors.js";
import type { Role } from "./routes.js";

export const SESSION_COOKIE = "argus_console";

/** Who is calling, as established by `authenticate`. */
export interface Principal {
  role: Role;
  via: "bearer" | "session";
  /** Rate-limit bucket: one per token, shared by every console session opened with it. */
  key: string;
  session?: ConsoleSession;
  /** Whether the credential still holds (a rotated token or an ended session does not): long streams re-check it. */
  stillValid(): boolean;
}

export interface Credentials {
  /** The MCP (client) token: reads and tools, never decisions. */
  client: () => string;
  /** The approver token: everything, including decisions; absent when the server has none. */
  approver: () => string | undefined;
  sessions: ConsoleSessions;
}

export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}

function bearer(req: Request): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "");
  return match ? match[1]!.trim() : undefined;
}

export function sessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookies(header)[SESSION_COOKIE] : undefined;
}

function unauthorized(res: Response, message: string): void {
  res.setHeader("WWW-Authenticate", 'Bearer realm="argus"');
  fail(res, "UNAUTHORIZED", message);
}

/**
 * An expected token with its SHA-256 cached until the token changes (rotation), so a
 * request hashes only what it presented. Comparing equal-length digests with
 * timingSafeEqual keeps the check constant-time, as tokensEqual does.
 */
class ExpectedToken {
  private token: string | undefined;
  private digest: Buffer | undefined;
  private hex = "";

  constructor(private readonly get: () => string | undefined) {}

  /** Whether `presented` (its digest) is the current token. */
  matches(presented: Buffer): boolean {
    this.refresh();
    return this.digest !== undefined && timingSafeEqual(presented, this.digest);
  }

  /** The current token's digest in hex: the rate-limit key, never the token. */
  key(): string {
    this.refresh();
    return this.hex;
  }

  private refresh(): void {
    const token = this.get();
    if (token === this.token) return;
    this.token = token;
    this.digest = token === undefined ? undefined : tokenDigest(token);
    this.hex = this.digest?.toString("hex") ?? "";
  }
}

/**
 * Bearer token first (API clients), else the console's session cookie. A bearer header
 * that matches neither token is refused outright rather than falling back to the cookie,
 * so a wrong token never silently acts with someone else's session.
 */
export function authenticate(creds: Credentials) {
  const approver = new ExpectedToken(creds.approver);
  const client = new ExpectedToken(creds.client);
  return (req: Request, res: Response, next: NextFunction): void => {
    const presented = bearer(req);
    if (presented !== undefined) {
      const digest = tokenDigest(presented);
      if (approver.matches(digest)) {
        res.locals.principal = { role: "approver", via: "bearer", key: approver.key(), stillValid: () => approver.matches(digest) } satisfies Principal;
        return next();
      }
      if (client.matches(digest)) {
        res.locals.principal = { role: "client", via: "bearer", key: client.key(), stillValid: () => client.matches(digest) } satisfies Principal;
        return next();
      }
      return unauthorized(res, "The bearer token is not valid; `argus token` prints the MCP token and `argus token --approver` the approver token.");
    }
    const session = creds.sessions.get(sessionCookie(req));
    if (session) {
      res.locals.principal = { role: "approver", via: "session", key: session.tokenHash, session, stillValid: () => creds.sessions.peek(session.id) !== null } satisfies Principal;
      return next();
    }
    unauthorized(res, "Send a token as `Authorization: Bearer <token>`, or sign in to the console at /console/.");
  };
}

/** Only the MCP token on /mcp: the approver token is kept out of model configurations. */
export function clientTokenOnly(creds: Credentials) {
  const client = new ExpectedToken(creds.client);
  return (req: Request, res: Response, next: NextFunction): void => {
    const presented = bearer(req);
    const digest = presented === undefined ? undefined : tokenDigest(presented);
    if (digest === undefined || !client.matches(digest)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="argus"');
      res.status(401).json({ jsonrpc: "2.0", error: { code: -32000, message: "UNAUTHORIZED: Send the Argus token as `Authorization: Bearer <token>`; `argus token` prints it.", data: { code: "UNAUTHORIZED" } }, id: null });
      return;
    }
    res.locals.principal = { role: "client", via: "bearer", key: client.key(), stillValid: () => client.matches(digest) } satisfies Principal;
    next();
  };
}

export function requireApprover(req: Request, res: Response, next: NextFunction): void {
  if (principalOf(res).role === "approver") return next();
  fail(res, "FORBIDDEN", "This needs the approver token or a console sign-in; the MCP token can propose orders but never decide them.");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for cookie-authenticated writes (bearer requests carry no ambient
 * credential and need none): the page must echo its session's CSRF token in a header a
 * cross-site form cannot set, and the browser must not label the request cross-site.
 * The cookie is SameSite=Strict and the Origin guard runs first; this is the third lock.
 */
export function csrfGuard(req: Request, res: Response, next: NextFunction): void {
  const p = principalOf(res);
  if (p.via !== "session" || SAFE_METHODS.has(req.method)) return next();
  const site = req.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site") return fail(res, "FORBIDDEN", "Cross-site requests cannot act with a console session.");
  const header = req.headers["x-csrf-token"];
  if (typeof header !== "string" || !tokensEqual(header, p.session!.csrfToken)) {
    return fail(res, "FORBIDDEN", "Missing or wrong X-CSRF-Token header; reload the console and try again.");
  }
  next();
}

/**
 * The audit identity of an HTTP caller: the MCP token is a client (a model, an agent or a
 * script: Argus cannot tell which), the approver token and the console are a human.
 * `name` is what the human typed into the approver field, if anything.
 */
export function callerOf(res: Response, name?: string): { actor: string; channel: "rest" | "console" } {
  const p = principalOf(res);
  if (p.via === "session") return { actor: `human:${name ?? "console"}`, channel: "console" };
  return { actor: p.role === "approver" ? `human:${name ?? "approver-token"}` : "client", channel: "rest" };
}
