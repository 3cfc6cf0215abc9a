import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { ArgusError, type ErrorCode } from "../../core/errors.js";

/**
 * The HTTP status of each stable error code. The body always carries the code itself, so
 * clients branch on the code; the status is for proxies, logs and generic HTTP tooling.
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  INVALID_RANGE: 400,
  LIMIT_TOO_LARGE: 400,
  CONFIG_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  FORBIDDEN_ORIGIN: 403,
  PATH_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  UNKNOWN_SYMBOL: 404,
  UNKNOWN_TOOL: 404,
  UNKNOWN_ANALYSIS: 404,
  UNKNOWN_PROPOSAL: 404,
  UNKNOWN_ORDER: 404,
  UNKNOWN_COMPANY: 404,
  UNKNOWN_BACKTEST: 404,
  FILE_NOT_FOUND: 404,
  NO_DATA: 404,
  SEC_NOT_FOUND: 404,
  PROPOSAL_NOT_PENDING: 409,
  PROPOSAL_TAMPERED: 409,
  PAYLOAD_TOO_LARGE: 413,
  INSUFFICIENT_HISTORY: 422,
  EMPTY_UNIVERSE: 422,
  ORDER_BLOCKED: 422,
  CSV_MALFORMED: 422,
  RATE_LIMITED: 429,
  LLM_KEY_MISSING: 500,
  LLM_UNAVAILABLE: 502,
  CANCELLED: 499,
  INTERNAL: 500,
  BROKER_REJECTED: 502,
  SEC_FORBIDDEN: 502,
  SEC_BAD_RESPONSE: 502,
  SEC_USER_AGENT_REQUIRED: 503,
  SEC_UNAVAILABLE: 503,
  MODEL_UNAVAILABLE: 503,
};

/** The request id: echoed in the X-Request-Id header and every error body, and logged. */
export function requestId(res: Response): string {
  return String(res.locals.requestId ?? "");
}

/** Gives each request an id (a caller's own X-Request-Id is kept when it is sane). */
export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers["x-request-id"];
  const id = typeof given === "string" && /^[A-Za-z0-9._:-]{8,100}$/.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.setHeader("X-Request-Id", id);
  next();
}

/** The one error body of the REST API: `{error: {code, message, details?}, requestId}`. */
export function sendError(res: Response, error: ArgusError): void {
  res.status(HTTP_STATUS[error.code]).json({ error: error.toJSON(), requestId: requestId(res) });
}

export function fail(res: Response, code: ErrorCode, message: string, details?: Record<string, unknown>): void {
  sendError(res, new ArgusError(code, message, details));
}
