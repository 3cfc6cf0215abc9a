import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureToken, rotateToken, tokensEqual } from "./token.js";

describe("HTTP token", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const home = () => {
    const d = join(mkdtempSync(join(tmpdir(), "argus-token-")), "home");
    dirs.push(d);
    return d;
  };

  it("is generated once, stored with mode 0600, and reused", () => {
    const h = home();
    const first = ensureToken(h);
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^argus_[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const second = ensureToken(h);
    expect(second).toMatchObject({ token: first.token, created: false });
  });

  it("tightens a loosened file and rotates to a different token", () => {
    const h = home();
    const { path, token } = ensureToken(h);
    chmodSync(path, 0o644);
    ensureToken(h);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const rotated = rotateToken(h);
    expect(rotated.token).not.toBe(token);
    expect(readFileSync(path, "utf8").trim()).toBe(rotated.token);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("prefers a configured token and compares in constant time", () => {
    const h = home();
    expect(ensureToken(h, "configured-token-123456").source).toBe("config");
    expect(tokensEqual("abc", "abc")).toBe(true);
    expect(tokensEqual("abc", "abd")).toBe(false);
    expect(tokensEqual("abc", "abcd")).toBe(false);
  });
});
