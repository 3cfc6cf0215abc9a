import { ArgusError, type ErrorCode } from "../../core/errors.js";

/**
 * EDGAR-specific failure kinds. Each maps onto an existing ArgusError code for now; the
 * `edgarCode` is the code the public contract should eventually carry (see the proposed
 * SEC_* codes), so switching later only means changing EDGAR_ERROR_MAP.
 */
export const EDGAR_ERROR_MAP = {
  /** No (or an unusable) User-Agent configured: refused before any request. */
  SEC_USER_AGENT_REQUIRED: "SEC_USER_AGENT_REQUIRED",
  /** HTTP 403 from the SEC: a fair-access block. Not retried. */
  SEC_FORBIDDEN: "SEC_FORBIDDEN",
  /** HTTP 404, or a file missing in the offline directory. */
  SEC_NOT_FOUND: "SEC_NOT_FOUND",
  /** 429 / 5xx / network errors / timeouts that outlasted the retries. */
  SEC_UNAVAILABLE: "SEC_UNAVAILABLE",
  /** A body that is not what was asked for (invalid or truncated JSON, unexpected shape). */
  SEC_BAD_RESPONSE: "SEC_BAD_RESPONSE",
  /** A ticker or CIK that is well-formed but not in the SEC's ticker directory. */
  UNKNOWN_COMPANY: "UNKNOWN_COMPANY",
} as const satisfies Record<string, ErrorCode>;

export type EdgarErrorCode = keyof typeof EDGAR_ERROR_MAP;

export class EdgarError extends ArgusError {
  readonly edgarCode: EdgarErrorCode;

  constructor(edgarCode: EdgarErrorCode, message: string, details?: Record<string, unknown>) {
    super(EDGAR_ERROR_MAP[edgarCode], message, { ...details, edgarCode });
    this.name = "EdgarError";
    this.edgarCode = edgarCode;
  }
}

export function isEdgarError(err: unknown, code?: EdgarErrorCode): err is EdgarError {
  return err instanceof EdgarError && (code === undefined || err.edgarCode === code);
}
