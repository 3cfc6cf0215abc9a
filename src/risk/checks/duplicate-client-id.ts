import type { RiskCheck } from "../types.js";
import { fail, pass } from "./result.js";

export const DUPLICATE_CLIENT_ID = "DUPLICATE_CLIENT_ID";

/** Alpaca's limit on client_order_id. */
export const MAX_CLIENT_ORDER_ID_LENGTH = 48;

/**
 * A client order id may be used once, ever (a broker rejects reuse even after a
 * cancel). An intent without one passes: the proposal's fresh id becomes it.
 */
export const duplicateClientIdCheck: RiskCheck = (intent, ctx) => {
  const id = intent.clientOrderId;
  if (id === undefined) return pass(DUPLICATE_CLIENT_ID, "No client order id given; the proposal's new id will be used.");
  if (typeof id !== "string" || id.length === 0) return fail(DUPLICATE_CLIENT_ID, "The client order id is empty.");
  if (id.length > MAX_CLIENT_ORDER_ID_LENGTH) return fail(DUPLICATE_CLIENT_ID, `The client order id has ${id.length} characters; the maximum is ${MAX_CLIENT_ORDER_ID_LENGTH}.`);
  if (ctx.usedClientOrderIds.has(id) || ctx.recent.some((r) => r.clientOrderId === id)) {
    return fail(DUPLICATE_CLIENT_ID, `Client order id ${id} was already used; a client order id can never be reused, even after a cancel.`);
  }
  return pass(DUPLICATE_CLIENT_ID, `Client order id ${id} has not been used.`);
};
