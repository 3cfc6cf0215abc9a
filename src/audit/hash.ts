import { hash } from "node:crypto";
import canonicalizeModule from "canonicalize";
import { sanitizePayload } from "./redact.js";

/** `canonicalize` is CommonJS with `export default` typings; under NodeNext the default import is the function at runtime. */
export const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** prevHash of the first row. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields a row's hash covers, as stored (payload is its canonical JSON text). */
export interface HashedFields {
  seq: unknown;
  ts: unknown;
  kind: unknown;
  actor: unknown;
  channel: unknown;
  subject: unknown;
  /** Canonical JSON text of the payload, exactly as stored. */
  payload: string;
  prevHash: unknown;
}

/**
 * The bytes a row's hash is taken over: the RFC 8785 canonical JSON of
 * `{seq, ts, kind, actor, channel, subject, payload, prevHash}` with `payload` as a JSON
 * value (not a string). Written out directly rather than by calling `canonicalize` on the
 * whole object: the keys are already in RFC 8785 order (UTF-16 code-unit sort: actor,
 * channel, kind, payload, prevHash, seq, subject, ts), strings and numbers are serialised by
 * `JSON.stringify` exactly as RFC 8785 specifies, and the stored payload text is already
 * canonical, so it is spliced in as is. The result is byte-identical to
 * `canonicalize({...fields, payload: JSON.parse(payload)})` for every row Argus writes
 * (audit-log.test.ts checks this), and it saves re-parsing and re-serialising every
 * payload on append and on verify. Any byte changed in a stored payload therefore changes
 * the hash, even a whitespace-only rewrite of the same JSON.
 *
 * Values are serialised from whatever the database returns, so a tampered column of a
 * different type (ts stored as text) also changes the bytes.
 */
export function hashInput(f: HashedFields): string {
  return (
    `{"actor":${json(f.actor)},"channel":${json(f.channel)},"kind":${json(f.kind)},"payload":${f.payload},` +
    `"prevHash":${json(f.prevHash)},"seq":${json(f.seq)},"subject":${json(f.subject)},"ts":${json(f.ts)}}`
  );
}

function json(v: unknown): string {
  switch (typeof v) {
    case "number":
      // Finite numbers: JSON.stringify and String both use Number::toString (RFC 8785 §3.2.2.3).
      return Number.isFinite(v) ? String(v) : "null";
    case "bigint":
      return v.toString();
    case "undefined":
      // No JSON form; a missing column reads as null.
      return "null";
    default:
      return JSON.stringify(v) ?? "null";
  }
}

/** SHA-256 of the UTF-8 bytes, lowercase hex. `crypto.hash` (Node ≥ 20.12) is the one-shot form, about half the cost of createHash for rows this size. */
export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}

/**
 * A payload redacted and serialised to RFC 8785 canonical JSON: `{ value, text }`, where
 * `text === canonicalize(value)`.
 *
 * Fast path: `sanitizePayload` rebuilds the tree with every object's keys inserted in
 * RFC 8785 order, and for such a tree `JSON.stringify` emits exactly the RFC 8785 bytes —
 * RFC 8785 serialises strings and numbers the way ECMAScript's JSON.stringify does, and
 * the only other rule, key order, is now the enumeration order. Array-index-like keys
 * ("0", "42") are the exception (JavaScript enumerates them first, numerically), so a tree
 * with any digit-leading key goes through `canonicalize` itself. Why not `canonicalize`
 * always: it builds its output by string concatenation, leaving a deeply nested V8 rope
 * that costs more to flatten (when hashed or bound to SQLite) than to build; together about
 * 5× JSON.stringify here (see bench/audit). audit-log.test.ts checks the two agree on a
 * few thousand random payloads.
 */
export function canonicalPayload(payload: unknown): { value: unknown; text: string } {
  const s = sanitizePayload(payload);
  const text = s.digitKeys ? (canonicalize(s.value) ?? "null") : JSON.stringify(s.value);
  return { value: s.value, text };
}

export function rowHash(f: HashedFields): string {
  return sha256Hex(hashInput(f));
}
