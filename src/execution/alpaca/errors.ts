/**
 * Alpaca SDK failures → BrokerError (DESIGN §4).
 *
 *   401 / 403        FORBIDDEN     e.g. "insufficient buying power", trading not allowed
 *   400 / 422 / 4xx  REJECTED      validation, duplicate client_order_id, not cancelable
 *   404              NOT_FOUND
 *   429              RATE_LIMITED
 *   5xx              UNAVAILABLE   uncertain: the server may have acted before failing
 *   timeout / reset  TIMEOUT       uncertain: the request may have reached Alpaca
 *   refused / DNS    UNAVAILABLE   (nothing was sent, but reported as uncertain anyway:
 *                                  reconciling an order that never left is cheap)
 *
 * Alpaca's own `message` is kept (the approver needs "insufficient buying power", not
 * "HTTP 403"). The API secret is scrubbed from every message, and the SDK's error (which
 * holds the raw Response and the fetch cause) is never attached.
 */
import { ApiError, FetchError } from "@alpacahq/alpaca-trade-api";
import { BrokerError, type BrokerErrorKind } from "../types.js";

/** A BrokerError that also carries Alpaca's error code and request id, for support tickets. */
export class AlpacaBrokerError extends BrokerError {
  constructor(
    kind: BrokerErrorKind,
    message: string,
    status?: number,
    /** Alpaca's numeric error code from the `{ code, message }` body, when it sent one. */
    readonly alpacaCode?: number | string,
    /** Alpaca's X-Request-ID, when sent. */
    readonly requestId?: string,
  ) {
    super(kind, message, status);
    this.name = "BrokerError";
  }
}

/** Replaces every occurrence of each secret (≥ 4 characters) with "[redacted]". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join("[redacted]");
  }
  return out;
}

const MAX_MESSAGE = 300;

/** Scrubs secrets, then shortens (an error page can arrive as the whole message). */
function clean(text: string, secrets: readonly string[]): string {
  const scrubbed = redact(text, secrets).replace(/\s+/g, " ").trim();
  return scrubbed.length > MAX_MESSAGE ? `${scrubbed.slice(0, MAX_MESSAGE)}…` : scrubbed;
}

export function kindForStatus(status: number): BrokerErrorKind {
  if (status === 401 || status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 429) return "RATE_LIMITED";
  if (status >= 500) return "UNAVAILABLE";
  if (status >= 400) return "REJECTED";
  return "UNKNOWN";
}

/** The error code of a fetch failure's underlying socket error (undici nests it twice). */
function networkCode(err: FetchError): string | undefined {
  const cause = err.cause as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = cause?.cause?.code ?? cause?.code;
  return typeof code === "string" ? code : undefined;
}

const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

export interface ErrorContext {
  /** What was being done, e.g. "submit order". */
  op: string;
  timeoutMs: number;
  secrets: readonly string[];
}

export function toBrokerError(err: unknown, ctx: ErrorContext): BrokerError {
  if (err instanceof BrokerError) return err;
  if (err instanceof ApiError) {
    const kind = kindForStatus(err.status);
    const alpacaMessage = err.message && !/^Response returned an error code/.test(err.message) ? err.message : `HTTP ${err.status}`;
    const message = err.status === 401 ? `Alpaca rejected the API credentials: ${alpacaMessage}` : alpacaMessage;
    return new AlpacaBrokerError(kind, clean(message, ctx.secrets), err.status, err.code, err.requestId);
  }
  if (err instanceof FetchError) {
    const causeName = (err.cause as { name?: unknown } | undefined)?.name;
    if (causeName === "TimeoutError" || causeName === "AbortError") {
      return new AlpacaBrokerError("TIMEOUT", `Alpaca did not answer "${ctx.op}" within ${ctx.timeoutMs} ms; the request may or may not have been processed`);
    }
    const code = networkCode(err);
    if (code && NEVER_CONNECTED.has(code)) {
      return new AlpacaBrokerError("UNAVAILABLE", `Could not connect to Alpaca for "${ctx.op}" (${code})`);
    }
    return new AlpacaBrokerError("TIMEOUT", `The connection to Alpaca failed during "${ctx.op}"${code ? ` (${code})` : ""}; the request may or may not have been processed`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AlpacaBrokerError("UNKNOWN", clean(`Alpaca "${ctx.op}" failed: ${message}`, ctx.secrets));
}
