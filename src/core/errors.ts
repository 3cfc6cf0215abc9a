/**
 * Errors with stable codes. A code is part of the public contract: surfaces return it
 * to clients (MCP `isError` results, REST bodies, CLI exit messages) and clients may
 * branch on it, so codes are never renamed, only added.
 */
export const ERROR_CODES = {
  INVALID_INPUT: "input failed validation",
  UNKNOWN_SYMBOL: "the symbol is not in the database",
  UNKNOWN_TOOL: "no tool has that name",
  INVALID_RANGE: "a time range is empty or reversed",
  LIMIT_TOO_LARGE: "a requested row count is above the maximum",
  NO_DATA: "the query is valid but matched no data",
  INSUFFICIENT_HISTORY: "there are too few bars for the requested computation",
  EMPTY_UNIVERSE: "a cross-sectional request resolved to no symbols",
  UNKNOWN_ANALYSIS: "no analysis has that id",
  MODEL_UNAVAILABLE: "the probability model file is missing or cannot be loaded",
  UNKNOWN_PROPOSAL: "no order proposal has that id",
  PROPOSAL_NOT_PENDING: "the proposal was already decided, expired or blocked",
  PROPOSAL_TAMPERED: "the proposal's stored contents no longer match what was proposed",
  UNKNOWN_ORDER: "the broker has no order with that id",
  BROKER_REJECTED: "the broker refused the request",
  ORDER_BLOCKED: "the risk firewall blocked the order",
  SEC_USER_AGENT_REQUIRED: "SEC requests need a User-Agent with a name and contact email",
  SEC_FORBIDDEN: "the SEC refused the request (fair-access block)",
  SEC_NOT_FOUND: "the SEC has no document at that path",
  SEC_UNAVAILABLE: "the SEC could not be reached after retries",
  SEC_BAD_RESPONSE: "the SEC returned a body that is not what was asked for",
  UNKNOWN_COMPANY: "no SEC registrant has that ticker or CIK",
  PATH_NOT_ALLOWED: "a file path is outside the configured directories",
  FILE_NOT_FOUND: "a file does not exist or cannot be read",
  CSV_MALFORMED: "a CSV file has rows that cannot be imported",
  CONFIG_INVALID: "the configuration is invalid",
  UNAUTHORIZED: "a request lacks a valid token",
  FORBIDDEN: "the credentials are valid but do not carry the right for this action",
  RATE_LIMITED: "too many requests with one token; retry after the time given",
  PAYLOAD_TOO_LARGE: "a request body is larger than the server accepts",
  NOT_FOUND: "no API route has that method and path",
  FORBIDDEN_ORIGIN: "a request came from a host or origin that is not allowed",
  UNKNOWN_BACKTEST: "no stored backtest has that id",
  LLM_KEY_MISSING: "the copilot's model provider needs an API key that is not set",
  LLM_UNAVAILABLE: "the copilot's model provider refused the request or could not be reached",
  CANCELLED: "the caller cancelled a long-running request before it finished",
  INTERNAL: "an unexpected internal error",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ArgusError extends Error {
  readonly code: ErrorCode;
  /** Structured, non-secret context a client can show or act on. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "ArgusError";
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: Record<string, unknown> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isArgusError(err: unknown): err is ArgusError {
  return err instanceof ArgusError;
}

/**
 * Any thrown value as an ArgusError. Unknown errors become INTERNAL with a generic
 * sentence: their messages may contain paths or secrets, so they are logged, not returned.
 */
export function toArgusError(err: unknown): ArgusError {
  if (isArgusError(err)) return err;
  return new ArgusError("INTERNAL", "Argus hit an unexpected error; the server logged the details and is still running.");
}
