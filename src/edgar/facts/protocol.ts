/**
 * Messages between the FactsEngine (main thread) and the facts worker. Everything here
 * crosses a structured clone, so it is plain data; errors travel as { code, message, details }.
 */
import { ArgusError, ERROR_CODES, type ErrorCode } from "../../core/errors.js";
import { EDGAR_ERROR_MAP, EdgarError, type EdgarErrorCode } from "../client/errors.js";
import type { FactsQuery } from "./queries.js";

export type WorkerRequest =
  | { id: number; op: "load"; key: string; body: Uint8Array }
  | { id: number; op: "query"; key: string; query: FactsQuery };

export interface SerializedError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; missing: true }
  | { id: number; ok: false; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof ArgusError) {
    return err.details === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, details: err.details };
  }
  return { code: "INTERNAL", message: err instanceof Error ? err.message : String(err) };
}

/** Back to the error class the rest of Argus branches on (EdgarError keeps its edgarCode). */
export function deserializeError(e: SerializedError): ArgusError {
  const edgarCode = e.details?.edgarCode;
  if (typeof edgarCode === "string" && edgarCode in EDGAR_ERROR_MAP) {
    const { edgarCode: _drop, ...rest } = e.details ?? {};
    return new EdgarError(edgarCode as EdgarErrorCode, e.message, rest);
  }
  const code: ErrorCode = e.code in ERROR_CODES ? (e.code as ErrorCode) : "INTERNAL";
  return new ArgusError(code, e.message, e.details);
}
