import { mkdtempSync, rmSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { pathToFileURL } from "node:url";
import type Database from "better-sqlite3";
import { AuditLog, type AuditEntry } from "../../src/audit/audit-log.js";
import { canonicalize, GENESIS_HASH, hashInput, sha256Hex } from "../../src/audit/hash.js";
import { redactPayload, sanitizePayload } from "../../src/audit/redact.js";
import { BacktestClock } from "../../src/core/clock.js";
import { openDatabase } from "../../src/db/connection.js";

/**
 * Audit-log benchmark. Named peer: plain INSERTs of the same rows into a table of the same
 * shape in the same database file (payload text and a 64-hex hash precomputed, so the peer
 * does no serialisation, no hashing and no head read: pure SQLite cost). Measured in the
 * same run, alternating blocks so drift (WAL checkpoints, CPU frequency) hits both alike.
 */

const TARGET = 0.6;
const UNBATCHED_BLOCK = 3000;
const BATCHED_BLOCK = 10_000;
const BATCH = 100;
const BLOCKS = 7;
const VERIFY_ROWS = 100_000;
const PROFILE_N = 5000;

export interface AuditBenchResult {
  markdown: string;
  unbatched: { argus: number; plain: number; plainStringify: number; ratio: number };
  batched: { argus: number; plain: number; plainStringify: number; ratio: number };
  verify: { rowsPerSec: number; scanRowsPerSec: number; rows: number };
}

/** Payloads shaped like the ones ExecutionManager writes over one order's life. */
export function makeEntries(n: number): AuditEntry[] {
  const hex = (i: number) => sha256Hex(String(i));
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const id = `argus-${hex(i).slice(0, 24)}`;
    const qty = 1 + (i % 50);
    const price = 100 + (i % 997) / 10;
    const intent = { symbol: ["AAPL", "MSFT", "NVDA", "SPY"][i % 4], side: i % 2 ? "buy" : "sell", qty, type: "limit", limitPrice: price, timeInForce: "day", clientOrderId: id };
    switch (i % 6) {
      case 0:
        out.push({ kind: "proposal.created", actor: "model", channel: "mcp", subject: id, payload: { intent, contentHash: hex(i + 1), mode: "paper", broker: "paper", rationale: "Breakout above the 50-day high on rising volume; regime TREND_UP; stop at the 20-day low, 1% of equity at risk.", analysisId: `an-${i}` } });
        break;
      case 1:
        out.push({
          kind: "proposal.checked",
          actor: "system",
          channel: "system",
          subject: id,
          payload: {
            approved: true,
            checks: Array.from({ length: 20 }, (_, k) => ({ code: `CHECK_${k}_${["STATE", "SYMBOL", "PRICE", "NOTIONAL", "EXPOSURE"][k % 5]}`, passed: true, detail: `value ${(price * (k + 1)).toFixed(2)} within limit ${(price * (k + 2)).toFixed(2)}` })),
            limits: { maxNotional: 25_000, maxShares: 1000, riskPerTrade: 0.01, maxPositions: 10, sectorMax: 0.3, dailyLoss: 0.02, weeklyLoss: 0.05, drawdownReduce: 0.1, drawdownKill: 0.15 },
            estimate: { notional: qty * price, price, priceAt: 1_795_000_000_000 + i },
          },
        });
        break;
      case 2:
        out.push({ kind: "proposal.approved", actor: "human:alice", channel: "cli", subject: id, payload: { contentHash: hex(i + 1) } });
        break;
      case 3:
        out.push({ kind: "order.submitting", actor: "system", channel: "system", subject: id, payload: { broker: "paper", intent } });
        break;
      case 4:
        out.push({ kind: "order.submitted", actor: "system", channel: "system", subject: id, payload: { orderId: `ord-${i}`, status: "new" } });
        break;
      default:
        out.push({ kind: "order.filled", actor: "system", channel: "system", subject: id, payload: { orderId: `ord-${i}`, qty, price, filledAt: 1_795_000_000_000 + i } });
    }
  }
  return out;
}

interface PlainRow {
  ts: number;
  kind: string;
  actor: string;
  channel: string;
  subject: string | null;
  payload: string;
  prevHash: string;
  hash: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timeIt(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

export async function runAuditBench(): Promise<AuditBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "argus-bench-audit-"));
  const started = performance.now();
  const db = openDatabase({ path: join(dir, "bench.db"), synchronous: "NORMAL" });
  try {
    const client: Database.Database = db.$client;
    const clock = new BacktestClock(1_795_000_000_000);
    const log = new AuditLog(db, clock);
    client.exec(
      `CREATE TABLE bench_plain (seq INTEGER PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL, channel TEXT NOT NULL, subject TEXT, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
       CREATE TABLE bench_profile (seq INTEGER PRIMARY KEY NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL, channel TEXT NOT NULL, subject TEXT, payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);`,
    );
    const insertPlain = client.prepare("INSERT INTO bench_plain (seq, ts, kind, actor, channel, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    let plainSeq = 0;
    const plainInsert = (r: PlainRow) => insertPlain.run(++plainSeq, r.ts, r.kind, r.actor, r.channel, r.subject, r.payload, r.prevHash, r.hash);
    const plainBatch = client.transaction((rows: readonly PlainRow[]) => {
      for (const r of rows) plainInsert(r);
    });

    const pool = makeEntries(6000);
    const entryAt = (i: number) => pool[i % pool.length]!;
    // The peer's rows: the same fields with the payload text and a hash precomputed (what Argus would store).
    const precomputed: PlainRow[] = pool.map((e) => ({ ts: clock.now(), kind: e.kind, actor: e.actor, channel: e.channel, subject: e.subject ?? null, payload: canonicalize(redactPayload(e.payload))!, prevHash: GENESIS_HASH, hash: sha256Hex(String(e.subject)) }));
    const plainAt = (i: number) => precomputed[i % precomputed.length]!;
    const avgPayloadBytes = precomputed.reduce((s, r) => s + Buffer.byteLength(r.payload), 0) / precomputed.length;
    // A second peer: a plain logger that serialises with JSON.stringify and inserts (no redaction, canonical form, hash or head read).
    const stringified = (i: number): PlainRow => {
      const e = entryAt(i);
      return { ts: clock.now(), kind: e.kind, actor: e.actor, channel: e.channel, subject: e.subject ?? null, payload: JSON.stringify(e.payload), prevHash: GENESIS_HASH, hash: plainAt(i).hash };
    };

    // Warm-up (JIT, page cache) for every path.
    for (let i = 0; i < 1000; i++) log.append(entryAt(i));
    for (let i = 0; i < 1000; i++) plainInsert(plainAt(i));
    for (let i = 0; i < 10; i++) log.appendMany(Array.from({ length: BATCH }, (_, k) => entryAt(i * BATCH + k)));
    for (let i = 0; i < 10; i++) plainBatch(Array.from({ length: BATCH }, (_, k) => plainAt(i * BATCH + k)));

    // (1) Unbatched: each row its own transaction.
    const un = { argus: [] as number[], plain: [] as number[], str: [] as number[] };
    let cursor = 0;
    for (let b = 0; b < BLOCKS; b++) {
      const base = cursor;
      cursor += UNBATCHED_BLOCK;
      const runs: Array<() => void> = [
        () => un.argus.push(UNBATCHED_BLOCK / (timeIt(() => { for (let i = 0; i < UNBATCHED_BLOCK; i++) log.append(entryAt(base + i)); }) / 1000)),
        () => un.plain.push(UNBATCHED_BLOCK / (timeIt(() => { for (let i = 0; i < UNBATCHED_BLOCK; i++) plainInsert(plainAt(base + i)); }) / 1000)),
        () => un.str.push(UNBATCHED_BLOCK / (timeIt(() => { for (let i = 0; i < UNBATCHED_BLOCK; i++) plainInsert(stringified(base + i)); }) / 1000)),
      ];
      // Rotate the order each block.
      for (let k = 0; k < runs.length; k++) runs[(b + k) % runs.length]!();
    }

    // (2) Batched: appendMany / one transaction per 100 rows.
    const ba = { argus: [] as number[], plain: [] as number[], str: [] as number[] };
    const batches = BATCHED_BLOCK / BATCH;
    const entryBatches = Array.from({ length: batches }, (_, j) => Array.from({ length: BATCH }, (_, k) => entryAt(j * BATCH + k + 17)));
    const plainBatches = Array.from({ length: batches }, (_, j) => Array.from({ length: BATCH }, (_, k) => plainAt(j * BATCH + k + 17)));
    for (let b = 0; b < BLOCKS; b++) {
      const runs: Array<() => void> = [
        () => ba.argus.push(BATCHED_BLOCK / (timeIt(() => { for (const batch of entryBatches) log.appendMany(batch); }) / 1000)),
        () => ba.plain.push(BATCHED_BLOCK / (timeIt(() => { for (const batch of plainBatches) plainBatch(batch); }) / 1000)),
        () => ba.str.push(BATCHED_BLOCK / (timeIt(() => { for (let j = 0; j < batches; j++) plainBatch(Array.from({ length: BATCH }, (_, k) => stringified(j * BATCH + k + 17))); }) / 1000)),
      ];
      for (let k = 0; k < runs.length; k++) runs[(b + k) % runs.length]!();
    }

    // (3) Verification over ~100k rows (topped up with batched appends), vs a plain scan of the same rows.
    let have = log.head()?.seq ?? 0;
    for (let j = 0; have < VERIFY_ROWS; j++) {
      const n = Math.min(1000, VERIFY_ROWS - have);
      log.appendMany(Array.from({ length: n }, (_, k) => entryAt(j * 1000 + k)));
      have += n;
    }
    const scan = client.prepare("SELECT seq, ts, kind, actor, channel, subject, payload, prev_hash, hash FROM audit_log ORDER BY seq");
    const verifyMs: number[] = [];
    const scanMs: number[] = [];
    let verified = log.verify();
    for (let r = 0; r < 3; r++) {
      verifyMs.push(timeIt(() => (verified = log.verify())));
      scanMs.push(
        timeIt(() => {
          let bytes = 0;
          for (const row of scan.iterate() as Iterable<{ payload: string }>) bytes += row.payload.length;
          if (bytes < 0) throw new Error("unreachable");
        }),
      );
    }
    if (!verified.ok) throw new Error(`bench: the chain did not verify: ${JSON.stringify(verified.firstBroken)}`);

    // Profile: where an append's time goes, each stage timed alone over the same entries.
    const profEntries = Array.from({ length: PROFILE_N }, (_, i) => entryAt(i));
    const sanitized = profEntries.map((e) => sanitizePayload(e.payload).value);
    const texts = sanitized.map((p) => JSON.stringify(p));
    const perUs = (ms: number) => (ms * 1000) / PROFILE_N;
    const stage = (fn: () => void) => {
      fn();
      return median(Array.from({ length: 7 }, () => timeIt(fn)));
    };
    const hashOf = (t: string, i: number) => sha256Hex(hashInput({ seq: i + 1, ts: 1_795_000_000_000, kind: "order.filled", actor: "system", channel: "system", subject: "argus-0123456789abcdef01234567", payload: t, prevHash: GENESIS_HASH }));
    const tSanitize = stage(() => profEntries.forEach((e) => sanitizePayload(e.payload)));
    const tStringify = stage(() => sanitized.forEach((p) => JSON.stringify(p)));
    const tHash = stage(() => texts.forEach(hashOf));
    // The canonicalize package returns a deeply nested string rope; its first use (here: hashing) pays to flatten it.
    const tCanonPkg = stage(() => sanitized.forEach((p, i) => hashOf(canonicalize(p)!, i)));
    const tStringifyHash = stage(() => sanitized.forEach((p, i) => hashOf(JSON.stringify(p), i)));
    client.exec(`CREATE TABLE bench_profile_plain AS SELECT * FROM bench_profile WHERE 0`);
    const profHead = client.prepare<[], { seq: number; hash: string }>("SELECT seq, hash FROM bench_profile ORDER BY seq DESC LIMIT 1");
    const profInsert = client.prepare("INSERT INTO bench_profile (seq, ts, kind, actor, channel, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const profInsertPlain = client.prepare("INSERT INTO bench_profile_plain (seq, ts, kind, actor, channel, subject, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const profHash = "a".repeat(64);
    const sqlRows = (from: number, to: number) => {
      const h = profHead.get();
      let seq = h?.seq ?? 0;
      for (let i = from; i < to; i++) profInsert.run(++seq, 1, "order.filled", "system", "system", "x", texts[i]!, h?.hash ?? GENESIS_HASH, profHash);
    };
    const sqlTx = client.transaction(sqlRows);
    let plainProfSeq = 0;
    const plainRows = client.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) profInsertPlain.run(++plainProfSeq, 1, "order.filled", "system", "system", "x", texts[i]!, GENESIS_HASH, profHash);
    });
    // SQL stages alternate round by round, like the main measurement, so WAL checkpoints and noise hit all four alike.
    const sqlStages: Array<[number[], () => void]> = [
      [[], () => texts.forEach((_, i) => sqlTx.immediate(i, i + 1))],
      [[], () => texts.forEach((t) => profInsertPlain.run(++plainProfSeq, 1, "order.filled", "system", "system", "x", t, GENESIS_HASH, profHash))],
      [[], () => { for (let i = 0; i < PROFILE_N; i += BATCH) sqlTx.immediate(i, i + BATCH); }],
      [[], () => { for (let i = 0; i < PROFILE_N; i += BATCH) plainRows(i, i + BATCH); }],
    ];
    for (let round = 0; round < 5; round++) for (const [times, fn] of sqlStages) times.push(timeIt(fn));
    const [tSqlArgus, tSqlPlain, tSqlArgusBatch, tSqlPlainBatch] = sqlStages.map(([times]) => median(times)) as [number, number, number, number];
    const tHeadOnly = stage(() => texts.forEach(() => profHead.get()));

    const unbatched = { argus: median(un.argus), plain: median(un.plain), plainStringify: median(un.str), ratio: 0 };
    unbatched.ratio = unbatched.argus / unbatched.plain;
    const batched = { argus: median(ba.argus), plain: median(ba.plain), plainStringify: median(ba.str), ratio: 0 };
    batched.ratio = batched.argus / batched.plain;
    const verify = { rowsPerSec: verified.rows / (median(verifyMs) / 1000), scanRowsPerSec: verified.rows / (median(scanMs) / 1000), rows: verified.rows };
    const elapsedS = (performance.now() - started) / 1000;
    const added = perUs(tSanitize) + perUs(tStringifyHash);
    const plainUn = 1e6 / unbatched.plain;
    const plainBa = 1e6 / batched.plain;

    const rate = (x: number) => Math.round(x).toLocaleString("en-US");
    const r2 = (x: number) => `${x.toFixed(2)}×`;
    const us = (ms: number) => perUs(ms).toFixed(2);
    const verdict = (x: number) => (x >= TARGET ? "meets" : "**misses**");
    const markdown = [
      "## Audit log",
      "",
      "| Comparison | Ratio | Target | Verdict | Argus | Peer |",
      "|---|---:|---:|---|---:|---:|",
      `| Unbatched appends (one transaction each) vs plain INSERT | ${r2(unbatched.ratio)} | ≥ ${TARGET.toFixed(2)}× | ${verdict(unbatched.ratio)} | ${rate(unbatched.argus)} rows/s | ${rate(unbatched.plain)} rows/s |`,
      `| Batched appends (\`appendMany\`, ${BATCH} per transaction) vs plain INSERT, same batches | ${r2(batched.ratio)} | ≥ ${TARGET.toFixed(2)}× | ${verdict(batched.ratio)} | ${rate(batched.argus)} rows/s | ${rate(batched.plain)} rows/s |`,
      `| Unbatched appends vs a plain logger (JSON.stringify + INSERT) | ${r2(unbatched.argus / unbatched.plainStringify)} | — | — | ${rate(unbatched.argus)} rows/s | ${rate(unbatched.plainStringify)} rows/s |`,
      `| Batched appends vs a plain logger (JSON.stringify + INSERT) | ${r2(batched.argus / batched.plainStringify)} | — | — | ${rate(batched.argus)} rows/s | ${rate(batched.plainStringify)} rows/s |`,
      `| Chain verification vs a plain scan of the same rows | ${r2(verify.rowsPerSec / verify.scanRowsPerSec)} | — | — | ${rate(verify.rowsPerSec)} rows/s | ${rate(verify.scanRowsPerSec)} rows/s |`,
      "",
      `Peer: plain \`INSERT\`s of the same rows into a table of the same shape in the same SQLite file (WAL, \`synchronous=NORMAL\`, via \`openDatabase\`), with the payload text and a 64-hex hash precomputed: no serialisation, no hashing, no head read — pure SQLite cost. Unbatched peer rows use SQLite's autocommit (one implicit transaction per row); Argus uses an explicit \`BEGIN IMMEDIATE\` per row because it must read the head inside the write lock. ` +
        `Rates are medians of ${BLOCKS} alternating blocks (${UNBATCHED_BLOCK.toLocaleString("en-US")} rows unbatched, ${BATCHED_BLOCK.toLocaleString("en-US")} rows batched per block, order rotated), after warm-up. ` +
        `Payloads mimic one order's life (proposal.created, proposal.checked with 20 checks, approved, submitting, submitted, filled): mean ${Math.round(avgPayloadBytes)} bytes of canonical JSON. ` +
        `Verification: \`verify()\` streaming ${verify.rows.toLocaleString("en-US")} rows (median of 3) vs iterating the same \`SELECT\` without hashing.`,
      "",
      "Where an append's time goes (each stage timed alone over the same entries, µs per row):",
      "",
      "| Stage | µs/row |",
      "|---|---:|",
      `| Redaction walk building a key-sorted copy (\`sanitizePayload\`) | ${us(tSanitize)} |`,
      `| RFC 8785 text: \`JSON.stringify\` of the key-sorted copy | ${us(tStringify)} |`,
      `| Hash input assembly + SHA-256 (\`crypto.hash\`) | ${us(tHash)} |`,
      `| &nbsp;text + hash as Argus does it (the two rows above together) | ${us(tStringifyHash)} |`,
      `| &nbsp;for reference: the same via the \`canonicalize\` package (its string rope is flattened when hashed) | ${us(tCanonPkg)} |`,
      `| SQL unbatched: \`BEGIN IMMEDIATE\` + head read + INSERT + \`COMMIT\` | ${us(tSqlArgus)} |`,
      `| &nbsp;of which the head read (\`ORDER BY seq DESC LIMIT 1\`) | ${us(tHeadOnly)} |`,
      `| SQL peer unbatched: autocommit INSERT | ${us(tSqlPlain)} |`,
      `| SQL batched (${BATCH}/transaction, one head read): Argus shape / peer | ${us(tSqlArgusBatch)} / ${us(tSqlPlainBatch)} |`,
      `| Measured end to end, unbatched: Argus append / plain INSERT | ${(1e6 / unbatched.argus).toFixed(2)} / ${(1e6 / unbatched.plain).toFixed(2)} |`,
      `| Measured end to end, batched: Argus append / plain INSERT | ${(1e6 / batched.argus).toFixed(2)} / ${(1e6 / batched.plain).toFixed(2)} |`,
      "",
      `Reading: the CPU work Argus adds per row — redaction walk, canonical text, SHA-256: ≈ ${added.toFixed(1)} µs here — does not shrink with batching. ` +
        `A plain unbatched insert costs ≈ ${plainUn.toFixed(1)} µs (mostly its transaction), so that work is ${Math.round((100 * added) / plainUn)}% on top (ratio ≈ ${(plainUn / (plainUn + added)).toFixed(2)}× if nothing else differed); ` +
        `batched, the plain insert falls to ≈ ${plainBa.toFixed(1)} µs and the same work is ${Math.round((100 * added) / plainBa)}% on top (≈ ${(plainBa / (plainBa + added)).toFixed(2)}×). ` +
        `With the \`canonicalize\` package producing the text the same work would be ≈ ${(perUs(tSanitize) + perUs(tCanonPkg)).toFixed(1)} µs; Argus uses a key-sorted copy + \`JSON.stringify\` instead (byte-identical, tested against the package) and \`crypto.hash\`. What remains is one walk over the payload, one native serialisation and one SHA-256 — all needed for redaction, canonical form and the chain.`,
      "",
      `Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}; ${elapsedS.toFixed(1)} s for this suite.`,
      "",
    ].join("\n");
    return { markdown, unbatched, batched, verify };
  } finally {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runAuditBench().then(
    (r) => process.stdout.write(`${r.markdown}\n`),
    (err: unknown) => {
      process.stderr.write(`bench/audit: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
