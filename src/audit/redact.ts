/**
 * Turns an arbitrary payload into a JSON-safe tree with secrets removed, before it is
 * canonicalised and written to the audit log (DESIGN §8: secrets never appear in logs).
 *
 * Keys are matched case-insensitively, anywhere in the tree:
 * - secret-like names (`secret`, `password`/`passwd`/`passphrase`, `apiKey`/`api_key`/`x-api-key`,
 *   `authorization`, `privateKey`, `credential`, `cookie`, a bare `auth`) — the value is
 *   replaced with "[redacted]" whatever it is;
 * - token-like names (`token`, `accessToken`, `approver_token`, `tokenCount`, but not the
 *   plural `tokens`, `inputTokens`) — the value is replaced unless it is only numbers,
 *   booleans or nulls (LLM token counts are not secrets; a token string always is).
 * String values anywhere that carry an HTTP credential (`Bearer abc…`) keep the scheme
 * and lose the credential.
 *
 * The walk also makes the tree serialisable by RFC 8785 (`canonicalize` throws on NaN and
 * Infinity): non-finite numbers and bigints become strings, `toJSON` is honoured (Dates
 * become ISO strings), Errors become `{name, message}`, Maps become objects and Sets
 * arrays, functions/symbols/undefined are dropped (null inside arrays, as JSON does) and a
 * cycle becomes "[circular]". Every object is rebuilt with its keys inserted in RFC 8785
 * order, so that `JSON.stringify` of the result is already the canonical text (see
 * `canonicalPayload` in hash.ts).
 */
export const REDACTED = "[redacted]";

const SECRET_KEY = /secret|passw(?:or)?d|passphrase|api[-_ .]?key|authori[sz]ation|private[-_ .]?key|credential|cookie|^auth$/i;
const TOKEN_KEY = /token(?!s)/i;
const BEARER_TEST = /\bbearer\s+[A-Za-z0-9\-._~+/]/i;
const BEARER = /\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;

/** Whether a key names a secret, given its value (token counts are kept). */
export function isSecretKey(key: string, value: unknown): boolean {
  const c = classify(key);
  return c === 1 || (c === 2 && !onlyCounts(value, 0));
}

function onlyCounts(value: unknown, depth: number): boolean {
  if (value === null || value === undefined) return true;
  const t = typeof value;
  if (t === "number" || t === "boolean" || t === "bigint") return true;
  if (t !== "object" || depth > 8) return false;
  if (Array.isArray(value)) return value.every((v) => onlyCounts(v, depth + 1));
  // Only plain objects: a Buffer, Date or class instance under a token key may serialise to the secret.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value as object).every((v) => onlyCounts(v, depth + 1));
}

/** Whether a key is classified secret (1), token-like (2) or neither (0); keys repeat, so results are cached. */
const keyClass = new Map<string, 0 | 1 | 2>();

function classify(key: string): 0 | 1 | 2 {
  let c = keyClass.get(key);
  if (c === undefined) {
    c = SECRET_KEY.test(key) ? 1 : TOKEN_KEY.test(key) ? 2 : 0;
    if (keyClass.size >= 10_000) keyClass.clear();
    keyClass.set(key, c);
  }
  return c;
}

export interface SanitizedPayload {
  /** The JSON-safe, redacted tree; every object's keys inserted in RFC 8785 (UTF-16 code unit) order. */
  value: unknown;
  /**
   * True when some object key starts with a digit. JavaScript enumerates array-index-like
   * keys ("0", "10") first and numerically whatever the insertion order, so for such trees
   * the insertion order alone does not give RFC 8785 order.
   */
  digitKeys: boolean;
}

/** `redactPayload`, plus whether the tree has digit-leading keys (see `canonicalPayload`). */
export function sanitizePayload(value: unknown): SanitizedPayload {
  const state: WalkState = { digitKeys: false, stack: [] };
  const out = walk(value, state);
  return { value: out === undefined ? null : out, digitKeys: state.digitKeys };
}

export function redactPayload(value: unknown): unknown {
  return sanitizePayload(value).value;
}

interface WalkState {
  digitKeys: boolean;
  /** The objects on the current path (payloads are shallow, so a linear search beats a Set). */
  stack: object[];
}

function redactString(value: string): string {
  // indexOf is a fast scan; the regex runs only on strings that mention a bearer credential.
  if (value.length < 8 || (value.indexOf("earer") === -1 && value.indexOf("EARER") === -1)) return value;
  return BEARER_TEST.test(value) ? value.replace(BEARER, `$1 ${REDACTED}`) : value;
}

function walk(value: unknown, state: WalkState): unknown {
  switch (typeof value) {
    case "string":
      return redactString(value);
    case "number":
      return Number.isFinite(value) ? value : String(value);
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "object":
      return value === null ? null : walkObject(value, state);
    default:
      // undefined, functions and symbols have no JSON form.
      return undefined;
  }
}

function walkObject(obj: object, state: WalkState): unknown {
  const stack = state.stack;
  if (stack.includes(obj)) return "[circular]";
  if (Array.isArray(obj)) {
    stack.push(obj);
    const arr = new Array<unknown>(obj.length);
    for (let i = 0; i < obj.length; i++) {
      const w = walk(obj[i], state);
      arr[i] = w === undefined ? null : w;
    }
    stack.pop();
    return arr;
  }
  const proto = Object.getPrototypeOf(obj) as unknown;
  if (proto !== Object.prototype && proto !== null) {
    const rec = obj as { toJSON?: unknown };
    if (typeof rec.toJSON === "function") return walk((rec.toJSON as () => unknown)(), state);
    if (obj instanceof Error) return walkObject({ name: obj.name, message: obj.message }, state);
    if (obj instanceof Map) return walkObject(Object.fromEntries([...obj].map(([k, v]) => [String(k), v])), state);
    if (obj instanceof Set) return walkObject([...obj], state);
  } else if (typeof (obj as { toJSON?: unknown }).toJSON === "function") {
    return walk((obj as { toJSON: () => unknown }).toJSON(), state);
  }
  stack.push(obj);
  const src = obj as Record<string, unknown>;
  const keys = Object.keys(src);
  sortKeys(keys);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const raw = src[key];
    const cls = classify(key);
    const w = cls === 1 || (cls === 2 && !onlyCounts(raw, 0)) ? REDACTED : walk(raw, state);
    if (w === undefined) continue;
    const c0 = key.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57) state.digitKeys = true;
    // A payload key named "__proto__" (JSON.parse makes those) stays an ordinary key.
    if (key === "__proto__") Object.defineProperty(out, key, { value: w, enumerable: true, writable: true, configurable: true });
    else out[key] = w;
  }
  stack.pop();
  return out;
}

/**
 * Sorts in place in RFC 8785 order: by UTF-16 code units, which is what both `<` on strings
 * and the default `Array.prototype.sort` compare. Payload objects are small, and for a
 * handful of keys an insertion sort is several times cheaper than the built-in sort.
 */
function sortKeys(keys: string[]): void {
  const n = keys.length;
  if (n > 24) {
    keys.sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}
