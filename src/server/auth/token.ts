import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type TokenName = "token" | "approver-token";

export function tokenPath(home: string, name: TokenName = "token"): string {
  return join(home, name);
}

function generate(): string {
  return `argus_${randomBytes(32).toString("base64url")}`;
}

function write(path: string, token: string): void {
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // writeFileSync's mode applies only when it creates the file
}

/**
 * The HTTP bearer token: from configuration when set (ARGUS_TOKEN), else the token file
 * in ARGUS_HOME, created on first run readable by its owner only.
 */
export function ensureToken(home: string, configured?: string, name: TokenName = "token"): { token: string; source: "config" | "file"; path: string; created: boolean } {
  const path = tokenPath(home, name);
  if (configured) return { token: configured, source: "config", path, created: false };
  mkdirSync(home, { recursive: true, mode: 0o700 });
  try {
    const token = readFileSync(path, "utf8").trim();
    if (token.length >= 16) {
      // Tighten a token file someone loosened: other users must not read it.
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
      return { token, source: "file", path, created: false };
    }
  } catch {
    // missing: create below
  }
  const token = generate();
  write(path, token);
  return { token, source: "file", path, created: true };
}

export function rotateToken(home: string, name: TokenName = "token"): { token: string; path: string } {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const path = tokenPath(home, name);
  const token = generate();
  write(path, token);
  return { token, path };
}

/** SHA-256 of a token: what is compared, cached and used as a key, so the token itself never is. */
export function tokenDigest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/** Constant-time comparison: hashing first makes the lengths equal. */
export function tokensEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(tokenDigest(presented), tokenDigest(expected));
}

/**
 * The token as a getter that follows its file: after `argus token --rotate` a running
 * server accepts the new token (and refuses the old one) within a second, no restart.
 * A configured token (environment or config file) is fixed.
 */
export function liveToken(home: string, configured: string | undefined, name: TokenName = "token"): () => string {
  const first = ensureToken(home, configured, name);
  if (first.source === "config") return () => first.token;
  let token = first.token;
  let mtimeMs = statSync(first.path).mtimeMs;
  let checkedAt = 0;
  return () => {
    const now = Date.now();
    if (now - checkedAt < 1000) return token;
    checkedAt = now;
    try {
      const m = statSync(first.path).mtimeMs;
      if (m !== mtimeMs) {
        const next = readFileSync(first.path, "utf8").trim();
        // A half-written or emptied file must not turn into an empty (or short) token.
        if (next.length >= 16) {
          token = next;
          mtimeMs = m;
        }
      }
    } catch {
      // A deleted file keeps the last token until a new one is written.
    }
    return token;
  };
}
