import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BacktestClock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import { openDatabase, type Db } from "../db/connection.js";
import { AUDIT_KINDS, AuditLog, GENESIS_HASH, type AuditEntry, type AuditKind } from "./audit-log.js";
import { canonicalize, canonicalPayload, hashInput, rowHash, sha256Hex } from "./hash.js";
import { REDACTED, redactPayload } from "./redact.js";

const T0 = Date.parse("2026-11-23T15:00:00Z");

interface Raw {
  seq: number;
  ts: number;
  kind: string;
  actor: string;
  channel: string;
  subject: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

let dir: string;
let file: string;
let db: Db;
let clock: BacktestClock;
let log: AuditLog;
const extraDbs: Db[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "argus-audit-"));
  file = join(dir, "argus.db");
  db = openDatabase({ path: file, synchronous: "NORMAL" });
  clock = new BacktestClock(T0);
  log = new AuditLog(db, clock);
});

afterEach(() => {
  for (const d of extraDbs.splice(0)) d.$client.close();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

function entry(i: number, kind: AuditKind = "proposal.created"): AuditEntry {
  return { kind, actor: i % 2 ? "model" : "human:alice", channel: i % 2 ? "mcp" : "cli", subject: `argus-${i}`, payload: { i, symbol: "AAPL", qty: 10 + i, nested: { list: [1, "two", null, true], note: `row ${i}` } } };
}

/** Six rows: three single appends, then a batch of three. */
function seed(n = 6): void {
  for (let i = 1; i <= n; i++) {
    if (i <= 3) log.append(entry(i));
    else if (i === 4) log.appendMany([4, 5, 6].filter((k) => k <= n).map((k) => entry(k)));
    clock.advance(1000);
  }
}

function raw(seq: number): Raw {
  return db.$client.prepare("SELECT * FROM audit_log WHERE seq = ?").get(seq) as Raw;
}

function sql(text: string, ...params: unknown[]): void {
  db.$client.prepare(text).run(...params);
}

describe("AuditLog: writing", () => {
  it("chains rows from the genesis hash and verifies", () => {
    const a = log.append({ kind: "proposal.created", actor: "model", channel: "mcp", subject: "argus-1", payload: { qty: 5 } });
    clock.advance(10);
    const [b, c] = log.appendMany([
      { kind: "proposal.checked", actor: "system", channel: "system", subject: "argus-1", payload: { approved: true } },
      { kind: "proposal.approved", actor: "human:alice", channel: "cli", payload: {} },
    ]);
    expect(a.seq).toBe(1);
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(a.ts).toBe(T0);
    expect(b!.seq).toBe(2);
    expect(b!.prevHash).toBe(a.hash);
    expect(b!.ts).toBe(T0 + 10);
    expect(c!.prevHash).toBe(b!.hash);
    expect(c!.subject).toBeNull();
    expect(log.verify()).toEqual({ ok: true, rows: 3, firstBroken: null, headHash: c!.hash });
    expect(log.head()).toEqual({ seq: 3, hash: c!.hash });
  });

  it("an empty log verifies with no head", () => {
    expect(log.verify()).toEqual({ ok: true, rows: 0, firstBroken: null, headHash: null });
    expect(log.head()).toBeNull();
    expect(log.appendMany([])).toEqual([]);
  });

  it("hash = SHA-256 of the RFC 8785 canonical JSON of the row, computed independently with canonicalize", () => {
    const payload = { z: 1, a: [3, { y: "é ☃ \u2028 \"q\" \\ 😀", b: 1e21, c: 0.1, d: -0, e: 1.5e-7 }], m: null, "\u00e9": "key", "10": "numeric key" };
    const r = log.append({ kind: "analysis.logged", actor: "model", channel: "mcp", subject: "sub \"ject\"", payload });
    const stored = raw(r.seq);
    // Stored payload is canonical JSON text.
    expect(stored.payload).toBe(canonicalize(JSON.parse(stored.payload)));
    const expected = sha256Hex(canonicalize({ seq: r.seq, ts: r.ts, kind: r.kind, actor: r.actor, channel: r.channel, subject: r.subject, payload: JSON.parse(stored.payload), prevHash: r.prevHash })!);
    expect(r.hash).toBe(expected);
    expect(stored.hash).toBe(expected);
    // And with a null subject (null is kept, not dropped).
    const n = log.append({ kind: "state.changed", actor: "system", channel: "system", payload: [1, "x"] });
    expect(n.hash).toBe(sha256Hex(canonicalize({ seq: 2, ts: n.ts, kind: n.kind, actor: "system", channel: "system", subject: null, payload: [1, "x"], prevHash: r.hash })!));
  });

  it("the fast hash input is byte-identical to canonicalize() on varied payloads", () => {
    const payloads: unknown[] = [null, 0, "s", [], {}, { b: [{ d: 1, c: 2 }], a: "\u0000\u001f" }, { "\ud83d\ude00": 1, "\u20ac": 2, "\r": 3, A: 4, a: 5 }, Array.from({ length: 20 }, (_, i) => ({ code: `C${i}`, passed: i % 3 !== 0, detail: i * 1.1 }))];
    for (const [i, p] of payloads.entries()) {
      const text = canonicalize(p)!;
      const fields = { seq: i + 1, ts: T0 + i, kind: "order.filled", actor: "system", channel: "system", subject: i % 2 ? null : "x", prevHash: GENESIS_HASH };
      expect(hashInput({ ...fields, payload: text })).toBe(canonicalize({ ...fields, payload: p }));
    }
  });

  it("the fast canonical payload text equals the canonicalize package's output on random payloads", () => {
    // mulberry32: a seeded PRNG, so a failure reproduces.
    let state = 0x5eed;
    const rand = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const keyPool = ["a", "b", "B", "ab", "a b", "é", "\u00e9t\u00e9", "\ud83d\ude00", "\u20ac", "\r", "\u0000k", "z", "Z", "_", "-x", "$", "__proto__", "toJSON", "constructor", "0", "1", "10", "9", "01", "4294967295", "1e3", "-1", "qty", "code", "passed", "detail"];
    const strPool = ["", "plain", "quote \" back \\ slash", "ctl \u0001\u001f\t\n", "\u2028\u2029", "\ud83d\ude00 emoji", "lone \ud800 high", "é", "</script>"];
    const numPool = [0, -0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 123456789.123, -2.5e-10, 2 ** 53, 333333333.3333333];
    const gen = (depth: number, digitKeys: boolean): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.35) return pick<unknown>([pick(strPool), pick(numPool), true, false, null]);
      if (r < 0.55) return Array.from({ length: Math.floor(rand() * 4) }, () => gen(depth + 1, digitKeys));
      const o: Record<string, unknown> = {};
      const n = Math.floor(rand() * 6);
      for (let i = 0; i < n; i++) {
        const k = pick(keyPool);
        if (!digitKeys && /^[0-9]/.test(k)) continue;
        Object.defineProperty(o, k, { value: gen(depth + 1, digitKeys), enumerable: true, writable: true, configurable: true });
      }
      return o;
    };
    for (let i = 0; i < 3000; i++) {
      const p = gen(0, i % 3 === 0);
      const { text, value } = canonicalPayload(p);
      expect(text).toBe(canonicalize(redactPayload(p)));
      expect(canonicalize(JSON.parse(text))).toBe(text);
      expect(canonicalize(value)).toBe(text);
    }
    // Array-index-like keys enumerate first in JavaScript; the text still follows RFC 8785 order.
    expect(canonicalPayload({ b: 1, "10": 2, "9": 3, a: 4 }).text).toBe('{"10":2,"9":3,"a":4,"b":1}');
  });

  it("rejects kinds outside the closed list and empty actors", () => {
    expect(() => log.append({ kind: "order.teleported" as AuditKind, actor: "model", channel: "mcp", payload: {} })).toThrow(ArgusError);
    expect(() => log.append({ kind: "order.filled", actor: "", channel: "mcp", payload: {} })).toThrow(/actor/);
    expect(AUDIT_KINDS).toContain("analysis.logged");
    expect(log.verify().rows).toBe(0);
  });

  it("makes awkward payloads serialisable instead of failing the action it records", () => {
    const cyc: Record<string, unknown> = { a: 1 };
    cyc.self = cyc;
    const r = log.append({ kind: "order.rejected", actor: "system", channel: "system", payload: { nan: Number.NaN, inf: -Infinity, big: 12n, when: new Date(T0), err: new Error("boom"), cyc, fn: () => 1, undef: undefined, arr: [undefined, 1] } });
    expect(r.payload).toEqual({ nan: "NaN", inf: "-Infinity", big: "12", when: "2026-11-23T15:00:00.000Z", err: { name: "Error", message: "boom" }, cyc: { a: 1, self: "[circular]" }, arr: [null, 1] });
    expect(JSON.parse(raw(1).payload)).toEqual(r.payload);
    expect(log.verify().ok).toBe(true);
  });
});

describe("AuditLog: secrets", () => {
  it("redacts secret-named keys anywhere in the payload, case-insensitively", () => {
    const r = log.append({
      kind: "limits.changed",
      actor: "human:alice",
      channel: "rest",
      subject: "limits",
      payload: {
        token: "tok-AAA",
        approverToken: "tok-BBB",
        ACCESS_TOKEN: "tok-CCC",
        Secret: "sec-DDD",
        client_secret: { value: "sec-EEE" },
        Password: "pw-FFF",
        db: { passwd: "pw-GGG", apiKey: "key-HHH", "x-api-key": "key-III", API_KEY: 42 },
        headers: [{ Authorization: "Bearer tok-JJJ", accept: "json" }],
        note: "called with Authorization: Bearer tok-KKK.zz== ok",
        usage: { inputTokens: 1200, outputTokens: 80, tokens: { input: 1, output: 2 }, maxTokens: 4096, tokenCount: 7 },
        keep: { symbol: "AAPL", tokenizer: 3 },
        refreshToken: Buffer.from("buf-LLL"),
      },
    });
    const text = raw(r.seq).payload;
    for (const secret of ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF", "GGG", "HHH", "III", "JJJ", "KKK", "LLL"]) expect(text).not.toContain(secret);
    const p = JSON.parse(text) as Record<string, any>;
    expect(p.token).toBe(REDACTED);
    expect(p.approverToken).toBe(REDACTED);
    expect(p.ACCESS_TOKEN).toBe(REDACTED);
    expect(p.Secret).toBe(REDACTED);
    expect(p.client_secret).toBe(REDACTED);
    expect(p.Password).toBe(REDACTED);
    expect(p.db).toEqual({ passwd: REDACTED, apiKey: REDACTED, "x-api-key": REDACTED, API_KEY: REDACTED });
    expect(p.headers).toEqual([{ Authorization: REDACTED, accept: "json" }]);
    expect(p.note).toBe(`called with Authorization: Bearer ${REDACTED} ok`);
    // Token counts are not secrets.
    expect(p.usage).toEqual({ inputTokens: 1200, outputTokens: 80, tokens: { input: 1, output: 2 }, maxTokens: 4096, tokenCount: 7 });
    expect(p.keep).toEqual({ symbol: "AAPL", tokenizer: 3 });
    expect(p.refreshToken).toBe(REDACTED);
    // The returned record carries the redacted payload too, and the chain covers it.
    expect(JSON.stringify(r.payload)).not.toContain("tok-");
    expect(log.verify().ok).toBe(true);
  });
});

describe("AuditLog: tamper detection", () => {
  it.each([
    ["payload", "UPDATE audit_log SET payload = '{\"i\":3,\"qty\":1000}' WHERE seq = 3"],
    ["payload (same JSON, different whitespace)", "UPDATE audit_log SET payload = replace(payload, ',', ', ') WHERE seq = 3"],
    ["kind", "UPDATE audit_log SET kind = 'proposal.rejected' WHERE seq = 3"],
    ["ts", "UPDATE audit_log SET ts = ts + 1 WHERE seq = 3"],
    ["actor", "UPDATE audit_log SET actor = 'human:mallory' WHERE seq = 3"],
    ["channel", "UPDATE audit_log SET channel = 'console' WHERE seq = 3"],
    ["subject", "UPDATE audit_log SET subject = NULL WHERE seq = 3"],
  ])("a changed %s is caught at that row", (_field, update) => {
    seed();
    sql(update);
    const v = log.verify();
    expect(v.ok).toBe(false);
    expect(v.rows).toBe(6);
    expect(v.firstBroken?.seq).toBe(3);
    expect(v.firstBroken?.reason).toMatch(/Row 3's contents no longer match its hash/);
  });

  it("the message names a payload that is no longer JSON", () => {
    seed();
    sql("UPDATE audit_log SET payload = 'oops' WHERE seq = 2");
    expect(log.verify().firstBroken).toEqual({ seq: 2, reason: expect.stringMatching(/payload \(it is no longer valid JSON\)/) });
  });

  it("changing a stored hash breaks that row and the next row's link", () => {
    seed();
    sql("UPDATE audit_log SET hash = ? WHERE seq = 5", "f".repeat(64));
    expect(log.verify().firstBroken?.seq).toBe(5);
  });

  it("a deleted middle row is caught as a gap", () => {
    seed();
    sql("DELETE FROM audit_log WHERE seq = 3");
    const v = log.verify();
    expect(v.ok).toBe(false);
    expect(v.rows).toBe(5);
    expect(v.firstBroken).toEqual({ seq: 4, reason: "Row 3 is missing between row 2 and row 4: deleted from the log." });
  });

  it("a deleted middle row with later rows renumbered is caught by the link", () => {
    seed();
    sql("DELETE FROM audit_log WHERE seq = 3");
    sql("UPDATE audit_log SET seq = seq - 1 WHERE seq > 3");
    const v = log.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBroken?.seq).toBe(3);
    expect(v.firstBroken?.reason).toMatch(/does not belong at this position/);
  });

  it("deleted first rows are caught", () => {
    seed();
    sql("DELETE FROM audit_log WHERE seq <= 2");
    expect(log.verify().firstBroken).toEqual({ seq: 3, reason: "Rows 1..2 are missing: the log must start at row 1, so rows were deleted from the beginning." });
  });

  it("swapping two rows' contents is caught at the first of them", () => {
    seed();
    const cols = ["ts", "kind", "actor", "channel", "subject", "payload", "prev_hash", "hash"];
    const r2 = raw(2);
    const r5 = raw(5);
    const set = cols.map((c) => `${c} = ?`).join(", ");
    const vals = (r: Raw) => [r.ts, r.kind, r.actor, r.channel, r.subject, r.payload, r.prev_hash, r.hash];
    db.$client.transaction(() => {
      sql(`UPDATE audit_log SET ${set} WHERE seq = 2`, ...vals(r5));
      sql(`UPDATE audit_log SET ${set} WHERE seq = 5`, ...vals(r2));
    })();
    const v = log.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBroken?.seq).toBe(2);
    expect(v.firstBroken?.reason).toMatch(/Row 2 does not belong at this position: both its hash and its link to row 1 fail/);
  });

  it("swapping only the payloads of two rows is caught", () => {
    seed();
    const p2 = raw(2).payload;
    const p4 = raw(4).payload;
    sql("UPDATE audit_log SET payload = ? WHERE seq = 2", p4);
    sql("UPDATE audit_log SET payload = ? WHERE seq = 4", p2);
    expect(log.verify().firstBroken?.seq).toBe(2);
  });

  it("a row rewritten with a recomputed hash is caught by the next row's link", () => {
    seed();
    const r = raw(3);
    const forged = canonicalize({ ...JSON.parse(r.payload), qty: 100000 })!;
    const hash = rowHash({ seq: 3, ts: r.ts, kind: r.kind, actor: r.actor, channel: r.channel, subject: r.subject, payload: forged, prevHash: r.prev_hash });
    sql("UPDATE audit_log SET payload = ?, hash = ? WHERE seq = 3", forged, hash);
    const v = log.verify();
    expect(v.ok).toBe(false);
    expect(v.firstBroken?.seq).toBe(4);
    expect(v.firstBroken?.reason).toMatch(/Row 4's prevHash does not match row 3's hash: row 3 was rewritten with a recomputed hash/);
  });

  it("a modified row deleted and re-inserted with a recomputed hash is caught by the next row's link", () => {
    seed();
    const r = raw(2);
    sql("DELETE FROM audit_log WHERE seq = 2");
    const forged = { ...r, actor: "human:mallory" };
    const hash = rowHash({ seq: 2, ts: forged.ts, kind: forged.kind, actor: forged.actor, channel: forged.channel, subject: forged.subject, payload: forged.payload, prevHash: forged.prev_hash });
    sql("INSERT INTO audit_log (seq, ts, kind, actor, channel, subject, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)", 2, forged.ts, forged.kind, forged.actor, forged.channel, forged.subject, forged.payload, forged.prev_hash, hash);
    expect(log.verify().firstBroken?.seq).toBe(3);
  });

  it("deleting the LAST row is invisible to the chain alone; an anchor recorded earlier catches it", () => {
    seed();
    const before = log.verify();
    expect(before.headHash).toBe(raw(6).hash);
    const anchor = log.head()!;
    expect(anchor).toEqual({ seq: 6, hash: before.headHash });
    sql("DELETE FROM audit_log WHERE seq = 6");
    // Why the chain cannot see this: each row only points BACK at its predecessor. Rows
    // 1..5 are exactly what they were, each hash recomputes and each link holds, and
    // nothing remains that pointed at row 6. A log cut after row 5 looks identical to a
    // log that ended at row 5. Only a head recorded outside the database reveals it —
    // which is why verify reports headHash (and head() gives seq + hash) for the operator
    // to keep, and accepts it back as an anchor.
    const after = log.verify();
    expect(after).toEqual({ ok: true, rows: 5, firstBroken: null, headHash: raw(5).hash });
    expect(after.headHash).not.toBe(before.headHash);
    const anchored = log.verify({ anchor });
    expect(anchored.ok).toBe(false);
    expect(anchored.firstBroken).toEqual({ seq: 6, reason: "Row 6 (the recorded anchor) is missing: the log now ends at row 5, so rows 6..6 or more were deleted from the end." });
    // Appending after a truncation reuses seq 6 with a different hash: the anchor still catches it.
    log.append(entry(7));
    const reused = log.verify({ anchor });
    expect(reused.ok).toBe(false);
    expect(reused.firstBroken?.seq).toBe(6);
    expect(reused.firstBroken?.reason).toMatch(/recorded anchor says/);
  });

  it("rewriting the whole tail with recomputed hashes passes the chain but not an anchor", () => {
    seed();
    const anchor = log.head()!;
    let prev = raw(3).hash;
    for (let seq = 4; seq <= 6; seq++) {
      const r = raw(seq);
      const payload = canonicalize({ ...JSON.parse(r.payload), qty: 0 })!;
      const hash = rowHash({ seq, ts: r.ts, kind: r.kind, actor: r.actor, channel: r.channel, subject: r.subject, payload, prevHash: prev });
      sql("UPDATE audit_log SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?", payload, prev, hash, seq);
      prev = hash;
    }
    expect(log.verify().ok).toBe(true);
    expect(log.verify({ anchor }).firstBroken?.seq).toBe(6);
    // An anchor from before the rewrite point is still intact.
    expect(log.verify({ anchor: { seq: 3, hash: raw(3).hash } }).ok).toBe(true);
  });

  it("reports only the FIRST broken row and still counts every row and the head", () => {
    seed();
    sql("UPDATE audit_log SET actor = 'x' WHERE seq = 5");
    sql("UPDATE audit_log SET actor = 'x' WHERE seq = 2");
    const v = log.verify();
    expect(v.firstBroken?.seq).toBe(2);
    expect(v.rows).toBe(6);
    expect(v.headHash).toBe(raw(6).hash);
  });
});

describe("AuditLog: two writers on one file", () => {
  it("two connections appending alternately keep one valid chain", () => {
    const db2 = openDatabase({ path: file, synchronous: "NORMAL" });
    extraDbs.push(db2);
    const other = new AuditLog(db2, clock);
    for (let i = 0; i < 40; i++) {
      const w = i % 2 === 0 ? log : other;
      if (i % 5 === 4) w.appendMany([entry(i), entry(i + 1000)]);
      else w.append(entry(i));
      clock.advance(1);
    }
    const seqs = (db.$client.prepare("SELECT seq FROM audit_log ORDER BY seq").pluck().all() as number[]);
    expect(seqs).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));
    expect(log.verify()).toEqual(other.verify());
    expect(log.verify()).toMatchObject({ ok: true, rows: 48 });
  });

  const tsxAvailable = (() => {
    try {
      createRequire(import.meta.url).resolve("tsx");
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!tsxAvailable)("two real processes and this one appending at the same time keep one valid chain (needs tsx; skipped without it)", async () => {
    const script = join(dir, "writer.ts");
    const auditUrl = pathToFileURL(join(import.meta.dirname, "audit-log.ts")).href;
    const connUrl = pathToFileURL(join(import.meta.dirname, "..", "db", "connection.ts")).href;
    const clockUrl = pathToFileURL(join(import.meta.dirname, "..", "core", "clock.ts")).href;
    writeFileSync(
      script,
      `import { AuditLog } from ${JSON.stringify(auditUrl)};
import { openDatabase } from ${JSON.stringify(connUrl)};
import { RealClock } from ${JSON.stringify(clockUrl)};
const db = openDatabase({ path: process.argv[2], synchronous: "NORMAL" });
const log = new AuditLog(db, new RealClock());
for (let i = 0; i < 150; i++) {
  if (i % 10 === 9) log.appendMany([{ kind: "order.filled", actor: "system", channel: "cli", subject: process.argv[3], payload: { i, batch: 1 } }, { kind: "order.filled", actor: "system", channel: "cli", subject: process.argv[3], payload: { i, batch: 2 } }]);
  else log.append({ kind: "proposal.approved", actor: "human:" + process.argv[3], channel: "cli", subject: process.argv[3], payload: { i } });
}
db.$client.close();
`,
    );
    const run = (name: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", script, file, name], { stdio: ["ignore", "ignore", "pipe"], cwd: join(import.meta.dirname, "..", "..") });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${name} exited ${code}: ${err}`))));
      });
    const children = [run("p1"), run("p2")];
    for (let i = 0; i < 100; i++) {
      log.append(entry(i, "order.submitted"));
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(children);
    const v = log.verify();
    expect(v).toMatchObject({ ok: true, rows: 100 + 2 * 165, firstBroken: null });
    const bySubject = db.$client.prepare("SELECT subject, count(*) AS n FROM audit_log WHERE subject IN ('p1','p2') GROUP BY subject ORDER BY subject").all();
    expect(bySubject).toEqual([{ subject: "p1", n: 165 }, { subject: "p2", n: 165 }]);
  }, 60_000);
});

describe("AuditLog: appendInTransaction", () => {
  beforeEach(() => db.$client.exec("CREATE TABLE scratch_state (k TEXT PRIMARY KEY, v TEXT)"));

  it("commits with the caller's state change, and rolls back with it", () => {
    const client = db.$client;
    client.transaction(() => {
      client.prepare("INSERT INTO scratch_state VALUES ('state', 'HALTED')").run();
      log.appendInTransaction({ kind: "state.changed", actor: "human:alice", channel: "cli", subject: "trading-state", payload: { to: "HALTED" } });
    }).immediate();
    expect(() =>
      client.transaction(() => {
        client.prepare("UPDATE scratch_state SET v = 'ACTIVE'").run();
        log.appendInTransaction({ kind: "state.changed", actor: "human:alice", channel: "cli", subject: "trading-state", payload: { to: "ACTIVE" } });
        throw new Error("broker unreachable");
      }).immediate(),
    ).toThrow("broker unreachable");
    expect(client.prepare("SELECT v FROM scratch_state").pluck().get()).toBe("HALTED");
    expect(log.list({ limit: 10 }).map((r) => r.payload)).toEqual([{ to: "HALTED" }]);
    expect(log.verify()).toMatchObject({ ok: true, rows: 1 });
  });

  it("refuses to run outside a transaction", () => {
    expect(() => log.appendInTransaction(entry(1))).toThrow(/needs a transaction/);
  });

  it("append() nested in a caller's transaction becomes part of it", () => {
    const client = db.$client;
    expect(() =>
      client.transaction(() => {
        log.append(entry(1));
        throw new Error("abort");
      }).immediate(),
    ).toThrow("abort");
    expect(log.verify().rows).toBe(0);
  });
});

describe("AuditLog: export and list", () => {
  it("export writes parseable canonical JSON lines in seq order that re-verify on their own", () => {
    seed();
    const lines: string[] = [];
    const res = log.export((l) => lines.push(l));
    expect(res).toEqual({ rows: 6, lastSeq: 6 });
    const objs = lines.map((l) => JSON.parse(l) as Record<string, any>);
    expect(objs.map((o) => o.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(objs[0]).toMatchObject({ seq: 1, ts: T0, kind: "proposal.created", actor: "model", channel: "mcp", subject: "argus-1", prevHash: GENESIS_HASH, payload: { i: 1, symbol: "AAPL", qty: 11 } });
    let prev = GENESIS_HASH;
    for (const [i, o] of objs.entries()) {
      expect(lines[i]).toBe(canonicalize(o));
      const { hash, ...rest } = o;
      expect(sha256Hex(canonicalize(rest)!)).toBe(hash);
      expect(o.prevHash).toBe(prev);
      prev = hash;
    }
    const tail: string[] = [];
    expect(log.export((l) => tail.push(l), { fromSeq: 5 })).toEqual({ rows: 2, lastSeq: 6 });
    expect(tail.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([5, 6]);
  });

  it("export keeps a line parseable when a stored payload is not JSON", () => {
    seed(2);
    sql("UPDATE audit_log SET payload = '{broken' WHERE seq = 1");
    const lines: string[] = [];
    log.export((l) => lines.push(l));
    expect(JSON.parse(lines[0]!)).toMatchObject({ seq: 1, payload: null, payloadInvalid: true, payloadText: "{broken" });
  });

  it("list returns newest first with filters and paging", () => {
    seed();
    log.append({ kind: "order.filled", actor: "system", channel: "system", subject: "argus-2", payload: { qty: 12 } });
    expect(log.list({ limit: 3 }).map((r) => r.seq)).toEqual([7, 6, 5]);
    expect(log.list({ limit: 10, subject: "argus-2" }).map((r) => [r.seq, r.kind])).toEqual([
      [7, "order.filled"],
      [2, "proposal.created"],
    ]);
    expect(log.list({ limit: 10, kind: "order.filled" }).map((r) => r.seq)).toEqual([7]);
    expect(log.list({ limit: 10, afterSeq: 5 }).map((r) => r.seq)).toEqual([7, 6]);
    expect(log.list({ limit: 2, beforeSeq: 5 }).map((r) => r.seq)).toEqual([4, 3]);
    const top = log.list({ limit: 1 })[0]!;
    expect(top).toEqual({ seq: 7, ts: T0 + 6000, kind: "order.filled", actor: "system", channel: "system", subject: "argus-2", payload: { qty: 12 }, prevHash: raw(6).hash, hash: raw(7).hash });
    expect(() => log.list({ limit: 0 })).toThrow(ArgusError);
    expect(() => log.list({ limit: 5000 })).toThrow(expect.objectContaining({ code: "LIMIT_TOO_LARGE" }));
  });
});
