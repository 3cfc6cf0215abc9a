import { randomBytes } from "node:crypto";
import { tokenDigest, tokensEqual } from "../auth/token.js";

export interface ConsoleSession {
  id: string;
  /** Sent back by the page in X-CSRF-Token on every write; never in a cookie. */
  csrfToken: string;
  /** Hash of the approver token that opened the session: a rotated token ends it. */
  tokenHash: string;
  createdAt: number;
  lastSeen: number;
}

const ABSOLUTE_MS = 12 * 3600_000;

function hashToken(token: string): string {
  return tokenDigest(token).toString("hex");
}

/**
 * Console sign-ins, in memory: a restart signs everyone out, which is the safe default
 * for a supervision page. The cookie holds only a random session id, so the approver
 * token never travels again after sign-in and never appears in a URL or a log.
 */
export class ConsoleSessions {
  private readonly byId = new Map<string, ConsoleSession>();

  constructor(
    private readonly approverToken: () => string | undefined,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Signs in with the approver token; null when it is not the approver token. */
  open(presented: string): ConsoleSession | null {
    const expected = this.approverToken();
    if (expected === undefined || !tokensEqual(presented, expected)) return null;
    this.sweep();
    const t = this.now();
    const session: ConsoleSession = { id: randomBytes(32).toString("base64url"), csrfToken: randomBytes(32).toString("base64url"), tokenHash: hashToken(expected), createdAt: t, lastSeen: t };
    this.byId.set(session.id, session);
    return session;
  }

  /** The live session for a cookie value, touching it; null when unknown, idle too long, too old or its token was rotated. */
  get(id: string | undefined): ConsoleSession | null {
    const s = this.peek(id);
    if (s) s.lastSeen = this.now();
    return s;
  }

  /** Like get, without counting as activity: for re-checking a long-lived stream. */
  peek(id: string | undefined): ConsoleSession | null {
    if (!id) return null;
    const s = this.byId.get(id);
    if (!s) return null;
    const t = this.now();
    const expected = this.approverToken();
    if (t - s.lastSeen > this.idleMs || t - s.createdAt > ABSOLUTE_MS || expected === undefined || hashToken(expected) !== s.tokenHash) {
      this.byId.delete(id);
      return null;
    }
    return s;
  }

  expiresAt(s: ConsoleSession): number {
    return Math.min(s.lastSeen + this.idleMs, s.createdAt + ABSOLUTE_MS);
  }

  close(id: string): void {
    this.byId.delete(id);
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.byId) if (t - s.lastSeen > this.idleMs || t - s.createdAt > ABSOLUTE_MS) this.byId.delete(id);
  }
}
