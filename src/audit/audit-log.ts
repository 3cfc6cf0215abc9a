import type Database from "better-sqlite3";
import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import type { Db } from "../db/connection.js";
import { canonicalize, canonicalPayload, GENESIS_HASH, rowHash } from "./hash.js";
import { AUDIT_KINDS, isAuditKind, type AuditKind } from "./kinds.js";

export { AUDIT_KINDS, isAuditKind, type AuditKind } from "./kinds.js";
export { GENESIS_HASH } from "./hash.js";

/** One event to record. `payload` is any JSON-like value; secrets in it are redacted before it is written. */
export interface AuditEntry {
  kind: AuditKind;
  /** Who acted: "model", "human:<name>", "system", "policy:auto-approve". */
  actor: string;
  /** Through what: "mcp", "elicitation", "cli", "rest", "console", "system". */
  channel: string;
  /** What it is about: a proposal id, an order id, a symbol, "limits". */
  subject?: string | null;
  payload: unknown;
}

/** A row as written (and as read back): `payload` is the redacted value that was hashed. */
export interface AuditRecord {
  seq: number;
  ts: number;
  kind: AuditKind;
  actor: string;
  channel: string;
  subject: string | null;
  payload: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditVerifyResult {
  /** True when every row's hash and link check out (and the anchor, if given, is still there). */
  ok: boolean;
  /** Rows in the table. */
  rows: number;
  /** The first row that fails, and why, in words an operator can act on. */
  firstBroken: { seq: number; reason: string } | null;
  /**
   * The last row's hash, or null for an empty log. Record it somewhere the database's
   * writer cannot reach (a ticket, a printout, a second machine) and pass it back as
   * `anchor` later: that is what detects truncation of the tail (see `verify`).
   */
  headHash: string | null;
}

export interface AuditVerifyOptions {
  /** A head recorded earlier (`head()` or `verify().headHash` with its seq); it must still be in the chain, unchanged. */
  anchor?: { seq: number; hash: string };
}

export interface AuditListFilter {
  kind?: AuditKind;
  subject?: string;
  /** 1..AUDIT_LIST_MAX. */
  limit: number;
  /** Only rows with seq > afterSeq (poll for what is new). */
  afterSeq?: number;
  /** Only rows with seq < beforeSeq (page back through history). */
  beforeSeq?: number;
}

export const AUDIT_LIST_MAX = 1000;

interface RawRow {
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

/** An entry validated, redacted and serialised: everything but its place in the chain. */
interface PreparedEntry {
  kind: AuditKind;
  actor: string;
  channel: string;
  subject: string | null;
  payloadValue: unknown;
  payloadText: string;
}

const COLUMNS = "seq, ts, kind, actor, channel, subject, payload, prev_hash, hash";

/**
 * The append-only, hash-chained audit log (DESIGN §7).
 *
 * Row n stores `prevHash` = row n−1's `hash` (64 zeros for row 1) and
 * `hash` = SHA-256 hex of the RFC 8785 canonical JSON of
 * `{seq, ts, kind, actor, channel, subject, payload, prevHash}`. The payload is stored as
 * its canonical JSON text, secrets redacted (see redact.ts).
 *
 * Several processes may append to the same file (the server, and `argus approve` in a
 * terminal): every append reads the current head *inside* an IMMEDIATE write transaction,
 * so two writers are serialised by SQLite's write lock and the chain never forks. The
 * clock is read inside that transaction too, so ts follows seq across processes (as far
 * as their clocks agree).
 */
export class AuditLog {
  private readonly client: Database.Database;
  private readonly headStmt: Database.Statement<[], { seq: number; hash: string }>;
  private readonly insertStmt: Database.Statement<unknown[]>;
  private readonly scanStmt: Database.Statement<[number], RawRow>;
  private readonly afterStmt: Database.Statement<[number, number], RawRow>;
  private readonly listStmts = new Map<string, Database.Statement<unknown[], RawRow>>();
  private readonly appendTx: Database.Transaction<(entries: readonly PreparedEntry[]) => AuditRecord[]>;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.client = db.$client;
    this.headStmt = this.client.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`);
    this.insertStmt = this.client.prepare(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.scanStmt = this.client.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq >= ? ORDER BY seq`);
    this.afterStmt = this.client.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`);
    this.appendTx = this.client.transaction((entries: readonly PreparedEntry[]) => this.write(entries));
  }

  /** Appends one row in its own IMMEDIATE transaction and returns it as written. */
  append(entry: AuditEntry): AuditRecord {
    const prepared = prepareEntry(entry);
    // Nested inside a caller's transaction on this connection, better-sqlite3 turns this into a savepoint.
    return this.appendTx.immediate([prepared])[0]!;
  }

  /** Appends a batch in one IMMEDIATE transaction (all rows or none), chained in order; one timestamp for the batch. */
  appendMany(entries: readonly AuditEntry[]): AuditRecord[] {
    if (entries.length === 0) return [];
    const prepared = entries.map(prepareEntry);
    return this.appendTx.immediate(prepared);
  }

  /**
   * Appends one row inside a transaction the caller already holds on this same
   * connection (`db.$client`), so the row commits or rolls back with the state change it
   * describes. The caller MUST have begun that transaction as IMMEDIATE
   * (`client.transaction(fn).immediate()` or `BEGIN IMMEDIATE`): in a DEFERRED
   * transaction that has already read, the head read here may be a stale snapshot and
   * the write then fails with SQLITE_BUSY_SNAPSHOT when another process has appended in
   * the meantime. (The chain still cannot fork — seq is the primary key — but the
   * caller's whole transaction is lost.)
   */
  appendInTransaction(entry: AuditEntry): AuditRecord {
    if (!this.client.inTransaction) {
      throw new ArgusError("INTERNAL", "AuditLog.appendInTransaction needs a transaction already open on this connection (begin it IMMEDIATE); use append() otherwise.");
    }
    return this.write([prepareEntry(entry)])[0]!;
  }

  /** The last row's seq and hash, to record as an anchor for a later `verify({ anchor })`. */
  head(): { seq: number; hash: string } | null {
    return this.headStmt.get() ?? null;
  }

  private write(entries: readonly PreparedEntry[]): AuditRecord[] {
    const head = this.headStmt.get();
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const ts = this.now();
    const out: AuditRecord[] = [];
    for (const e of entries) {
      seq += 1;
      const hash = rowHash({ seq, ts, kind: e.kind, actor: e.actor, channel: e.channel, subject: e.subject, payload: e.payloadText, prevHash });
      this.insertStmt.run(seq, ts, e.kind, e.actor, e.channel, e.subject, e.payloadText, prevHash, hash);
      out.push({ seq, ts, kind: e.kind, actor: e.actor, channel: e.channel, subject: e.subject, payload: e.payloadValue, prevHash, hash });
      prevHash = hash;
    }
    return out;
  }

  private now(): number {
    const t = this.clock.now();
    if (!Number.isFinite(t)) throw new ArgusError("INTERNAL", "The clock returned a non-finite time; the audit row was not written.");
    return Math.trunc(t);
  }

  /**
   * Recomputes the chain in seq order, streaming the rows, and names the first row that
   * fails. Checked per row: seq continues the previous row's seq by exactly one (row 1
   * first); prevHash equals the previous row's hash (64 zeros for row 1); the stored hash
   * equals the hash recomputed from the row's fields.
   *
   * What a hash chain cannot see by itself: deleting the LAST rows. Every remaining row
   * still hashes correctly and links to its predecessor, so a log cut after row k is
   * indistinguishable from a log that simply ended at row k — nothing after the cut
   * exists to point back at what is missing. The same holds for rewriting the tail with
   * recomputed hashes. The remedy is an anchor kept outside the database: record
   * `headHash` (with its seq, see `head()`) somewhere the writer cannot reach and pass
   * it as `anchor`; verify then fails if that row is gone or differs.
   */
  verify(opts: AuditVerifyOptions = {}): AuditVerifyResult {
    const anchor = opts.anchor;
    let rows = 0;
    let prev: { seq: number; hash: string } | null = null;
    let firstBroken: { seq: number; reason: string } | null = null;
    let anchorSeen = false;
    for (const r of this.scanStmt.iterate(Number.MIN_SAFE_INTEGER)) {
      rows += 1;
      if (firstBroken === null) firstBroken = checkRow(r, prev);
      if (anchor !== undefined && r.seq === anchor.seq) {
        anchorSeen = true;
        if (firstBroken === null && r.hash !== anchor.hash) {
          firstBroken = { seq: r.seq, reason: `Row ${r.seq} has hash ${short(r.hash)} but the recorded anchor says ${short(anchor.hash)}: the rows up to ${r.seq} were rewritten (hashes recomputed) since the anchor was recorded.` };
        }
      }
      prev = { seq: r.seq, hash: r.hash };
    }
    if (anchor !== undefined && !anchorSeen && firstBroken === null) {
      firstBroken = {
        seq: anchor.seq,
        reason:
          prev === null
            ? `The log is empty but an anchor at row ${anchor.seq} was recorded: every row was deleted.`
            : `Row ${anchor.seq} (the recorded anchor) is missing: the log now ends at row ${prev.seq}, so rows ${prev.seq + 1}..${anchor.seq} or more were deleted from the end.`,
      };
    }
    return { ok: firstBroken === null, rows, firstBroken, headHash: prev?.hash ?? null };
  }

  /**
   * Writes the log as JSON lines in seq order (from `fromSeq`, default 1), one object per
   * row: `{actor, channel, hash, kind, payload, prevHash, seq, subject, ts}` with the
   * payload as JSON (not a string). For rows Argus wrote each line is canonical JSON, so
   * a third party can re-verify an export: drop `hash`, SHA-256 the RFC 8785 form of the
   * rest, compare with `hash` and with the next line's `prevHash`.
   * Rows are streamed; `write` must not use this database connection while it runs.
   */
  export(write: (line: string) => void, opts: { fromSeq?: number } = {}): { rows: number; lastSeq: number | null } {
    let rows = 0;
    let lastSeq: number | null = null;
    for (const r of this.scanStmt.iterate(opts.fromSeq ?? Number.MIN_SAFE_INTEGER)) {
      write(exportLine(r));
      rows += 1;
      lastSeq = r.seq;
    }
    return { rows, lastSeq };
  }

  /** The first `limit` rows after `seq`, oldest first: how a follower catches up. */
  after(seq: number, limit: number): AuditRecord[] {
    return this.afterStmt.all(seq, limit).map(toRecord);
  }

  /** Rows newest first, optionally by kind and subject, at most `limit` (≤ AUDIT_LIST_MAX). */
  list(filter: AuditListFilter): AuditRecord[] {
    const { limit } = filter;
    if (!Number.isInteger(limit) || limit < 1) throw new ArgusError("INVALID_INPUT", `limit must be a whole number ≥ 1 (got ${String(limit)}).`);
    if (limit > AUDIT_LIST_MAX) throw new ArgusError("LIMIT_TOO_LARGE", `limit must be at most ${AUDIT_LIST_MAX} (got ${limit}); page with beforeSeq.`, { max: AUDIT_LIST_MAX });
    if (filter.kind !== undefined && !isAuditKind(filter.kind)) throw unknownKind(filter.kind);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      where.push(clause);
      params.push(value);
    };
    if (filter.kind !== undefined) add("kind = ?", filter.kind);
    if (filter.subject !== undefined) add("subject = ?", filter.subject);
    if (filter.afterSeq !== undefined) add("seq > ?", filter.afterSeq);
    if (filter.beforeSeq !== undefined) add("seq < ?", filter.beforeSeq);
    const key = where.join(" AND ");
    let stmt = this.listStmts.get(key);
    if (stmt === undefined) {
      stmt = this.client.prepare(`SELECT ${COLUMNS} FROM audit_log${key ? ` WHERE ${key}` : ""} ORDER BY seq DESC LIMIT ?`);
      this.listStmts.set(key, stmt);
    }
    return stmt.all(...params, limit).map(toRecord);
  }
}

function unknownKind(kind: unknown): ArgusError {
  return new ArgusError("INVALID_INPUT", `Unknown audit kind ${JSON.stringify(kind)}; expected one of: ${AUDIT_KINDS.join(", ")}.`);
}

function prepareEntry(entry: AuditEntry): PreparedEntry {
  if (!isAuditKind(entry.kind)) throw unknownKind(entry.kind);
  if (typeof entry.actor !== "string" || entry.actor === "") throw new ArgusError("INVALID_INPUT", "An audit entry needs a non-empty actor.");
  if (typeof entry.channel !== "string" || entry.channel === "") throw new ArgusError("INVALID_INPUT", "An audit entry needs a non-empty channel.");
  const subject = entry.subject ?? null;
  if (subject !== null && typeof subject !== "string") throw new ArgusError("INVALID_INPUT", "An audit entry's subject must be a string or null.");
  const payload = canonicalPayload(entry.payload);
  return { kind: entry.kind, actor: entry.actor, channel: entry.channel, subject, payloadValue: payload.value, payloadText: payload.text };
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

/** Why row `r` breaks the chain after `prev` (null for the first row), or null when it is sound. */
function checkRow(r: RawRow, prev: { seq: number; hash: string } | null): { seq: number; reason: string } | null {
  const seq = r.seq;
  if (prev !== null && seq <= prev.seq) {
    return { seq, reason: `Row ${seq} comes after row ${prev.seq}: seq numbers repeat or go backwards, so rows were re-inserted or reordered.` };
  }
  const expected = prev === null ? 1 : prev.seq + 1;
  if (seq !== expected) {
    const missing = expected === seq - 1 ? `Row ${expected} is` : `Rows ${expected}..${seq - 1} are`;
    return {
      seq,
      reason:
        prev === null
          ? `${missing} missing: the log must start at row 1, so rows were deleted from the beginning.`
          : `${missing} missing between row ${prev.seq} and row ${seq}: deleted from the log.`,
    };
  }
  const expectedPrev = prev?.hash ?? GENESIS_HASH;
  const linkOk = r.prev_hash === expectedPrev;
  const hashOk = rowHash({ seq, ts: r.ts, kind: r.kind, actor: r.actor, channel: r.channel, subject: r.subject, payload: r.payload, prevHash: r.prev_hash }) === r.hash;
  if (linkOk && hashOk) return null;
  if (linkOk) {
    return { seq, reason: `Row ${seq}'s contents no longer match its hash: ${contentDiagnosis(r)} was changed after the row was written.` };
  }
  if (hashOk) {
    return {
      seq,
      reason:
        prev === null
          ? `Row 1's prevHash is not the genesis value (64 zeros): the start of the log was replaced.`
          : `Row ${seq}'s prevHash does not match row ${prev.seq}'s hash: row ${prev.seq} was rewritten with a recomputed hash (or rows were removed or reordered between them). Inspect row ${prev.seq}.`,
    };
  }
  return {
    seq,
    reason: `Row ${seq} does not belong at this position: both its hash and its link to ${prev === null ? "the genesis value" : `row ${prev.seq}`} fail, so rows were swapped or reordered, or this row was replaced.`,
  };
}

/** Which field most likely changed, for the message (only computed for a broken row). */
function contentDiagnosis(r: RawRow): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.payload);
  } catch {
    return "the payload (it is no longer valid JSON)";
  }
  if (canonicalize(parsed) !== r.payload) return "the payload text (it is no longer in the canonical form Argus writes)";
  if (!isAuditKind(r.kind)) return `the kind (now ${JSON.stringify(r.kind)}, not a kind Argus writes)`;
  return "a field (kind, ts, actor, channel, subject or payload)";
}

function parsePayload(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function toRecord(r: RawRow): AuditRecord {
  const p = parsePayload(r.payload);
  return {
    seq: r.seq,
    ts: r.ts,
    kind: r.kind as AuditKind,
    actor: r.actor,
    channel: r.channel,
    subject: r.subject,
    // A payload that no longer parses (tampered) is shown as its raw text.
    payload: p.ok ? p.value : r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function exportLine(r: RawRow): string {
  if (parsePayload(r.payload).ok) {
    // Keys in RFC 8785 order, the stored (canonical) payload text spliced in as JSON.
    return (
      `{"actor":${JSON.stringify(r.actor)},"channel":${JSON.stringify(r.channel)},"hash":${JSON.stringify(r.hash)},"kind":${JSON.stringify(r.kind)},` +
      `"payload":${r.payload},"prevHash":${JSON.stringify(r.prev_hash)},"seq":${JSON.stringify(r.seq)},"subject":${JSON.stringify(r.subject)},"ts":${JSON.stringify(r.ts)}}`
    );
  }
  // A tampered payload that no longer parses: still one parseable line, the raw text kept for inspection.
  return canonicalize({ actor: r.actor, channel: r.channel, hash: r.hash, kind: r.kind, payload: null, payloadInvalid: true, payloadText: r.payload, prevHash: r.prev_hash, seq: r.seq, subject: r.subject, ts: r.ts }) ?? "{}";
}
