import express, { type Request, type Response, type Router } from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import type { App } from "../../app.js";
import { fromRoot } from "../../core/package-root.js";
import { toExchangeIso } from "../../data/calendar/zone.js";
import { tokensEqual } from "../auth/token.js";
import { SESSION_COOKIE, sessionCookie, type Credentials } from "./auth.js";
import type { ConsoleSession, ConsoleSessions } from "./console-sessions.js";
import { fail } from "./errors.js";
import { loginBody } from "./routes.js";

/** The console's static files: no build step, served as they are in the repository. */
export const CONSOLE_DIR = fromRoot("web", "console");

/**
 * Sessions age in wall time (security does not follow a simulated clock), but the page
 * reads every time against the server's `now`: expiresAt is given in that same frame.
 */
function sessionView(app: App, sessions: ConsoleSessions, s: ConsoleSession) {
  const now = app.clock.now();
  return { csrfToken: s.csrfToken, now: toExchangeIso(now), expiresAt: toExchangeIso(now + sessions.expiresAt(s) - Date.now()) };
}

/**
 * Sign-in for the approval console and its static page. The approver token is posted
 * once in a JSON body (never a URL, so it stays out of history, proxies and access
 * logs); the answer is an HttpOnly, SameSite=Strict cookie holding a random session id.
 */
export function consoleRouter(app: App, creds: Credentials): Router {
  const router = express.Router();
  const { sessions } = creds;
  // Guessing a 256-bit token is hopeless, but a sign-in form should still not be a free oracle.
  const loginLimit = rateLimit({
    windowMs: 60_000,
    limit: 10,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    handler: (_req, res) => fail(res, "RATE_LIMITED", "Too many sign-in attempts; wait a minute and try again."),
  });

  router.post("/login", loginLimit, express.json({ limit: 2_000 }), (req: Request, res: Response) => {
    const parsed = loginBody.safeParse(req.body ?? {});
    if (!parsed.success) return fail(res, "INVALID_INPUT", 'Send {"token": "<approver token>"}.');
    if (tokensEqual(parsed.data.token, creds.client())) {
      return fail(res, "FORBIDDEN", "That is the MCP token, which can propose orders but never approve them; sign in with the approver token (`argus token --approver`).");
    }
    const session = sessions.open(parsed.data.token);
    if (!session) return fail(res, "UNAUTHORIZED", "That is not the approver token; `argus token --approver` prints it.");
    res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: "strict", secure: req.secure, path: "/" });
    res.json(sessionView(app, sessions, session));
  });

  router.get("/session", (req, res) => {
    const session = sessions.get(sessionCookie(req));
    if (!session) return fail(res, "UNAUTHORIZED", "Not signed in, or the session ended (idle too long, or the approver token was rotated).");
    res.json(sessionView(app, sessions, session));
  });

  router.post("/logout", (req, res) => {
    const session = sessions.get(sessionCookie(req));
    const csrf = req.headers["x-csrf-token"];
    if (session && (typeof csrf !== "string" || !tokensEqual(csrf, session.csrfToken))) return fail(res, "FORBIDDEN", "Missing or wrong X-CSRF-Token header.");
    if (session) sessions.close(session.id);
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.status(204).end();
  });

  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          styleSrc: ["'self'"],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
        },
      },
      referrerPolicy: { policy: "no-referrer" },
      // Plain HTTP on loopback is the default deployment: HSTS would only confuse it.
      strictTransportSecurity: false,
    }),
    express.static(CONSOLE_DIR, { index: "index.html", maxAge: 0 }),
  );
  return router;
}
