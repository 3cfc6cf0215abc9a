/**
 * Submitting an order when the network may lie (DESIGN §4: "never resubmit an uncertain
 * order — reconcile by client id"). Works with any Broker.
 *
 * Why: a submit that times out, or dies with a reset connection or a 5xx, may still
 * have reached the broker, which may already be working the order. Sending it again
 * could put two orders in the market and double the position. The request carries a
 * `client_order_id` that the broker keeps unique per account, so the safe move is to
 * ask the broker whether it has an order with that id:
 *
 *   - it has one            → that is our order ("reconciled"); nothing is sent again;
 *   - it positively has none → "not_received": the submission never registered;
 *   - it cannot be asked    → "unknown": still uncertain; try again later.
 *
 * This function never resubmits, even on "not_received": the caller decides (after a
 * fresh risk check, say). If it does resubmit, it must reuse the same client id — the
 * broker then rejects a duplicate outright (Alpaca answers 422), so even a late-arriving
 * first attempt cannot produce a second position.
 *
 * The first lookup waits `delayMs`, so a submission still in flight at the broker has a
 * moment to land; later lookups (after a failed lookup) back off exponentially.
 */
import type { Logger } from "../../core/logger.js";
import { BrokerError, type Broker, type BrokerOrder, type OrderRequest } from "../types.js";

export type SubmitOutcome =
  /** The broker answered the submission. */
  | { status: "submitted"; order: BrokerOrder }
  /** The submission failed uncertainly, and the broker has the order under our client id. */
  | { status: "reconciled"; order: BrokerOrder; cause: BrokerError; lookups: number; mismatches: string[] }
  /** The submission failed uncertainly, and the broker positively has no such client id. */
  | { status: "not_received"; cause: BrokerError; lookups: number }
  /** The submission failed uncertainly, and every lookup failed too: the order may or may not exist. */
  | { status: "unknown"; cause: BrokerError; lookupError: unknown; lookups: number };

export interface ReconcileOptions {
  /** Lookups to try before giving up with "unknown". Default 3. */
  attempts?: number;
  /** Wait before the first lookup, doubled after each failed lookup. Default 500 ms. */
  delayMs?: number;
  logger?: Logger;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Submits once. Definite failures (rejected, forbidden, rate limited…) are thrown
 * unchanged; an uncertain one (BrokerError.uncertain: TIMEOUT or UNAVAILABLE) is
 * resolved by looking the order up by `req.clientOrderId`.
 */
export async function submitOrReconcile(broker: Broker, req: OrderRequest, opts: ReconcileOptions = {}): Promise<SubmitOutcome> {
  try {
    return { status: "submitted", order: await broker.submitOrder(req) };
  } catch (err) {
    if (!(err instanceof BrokerError) || !err.uncertain) throw err;
    opts.logger?.warn({ clientOrderId: req.clientOrderId, kind: err.kind, error: err.message }, "uncertain order submission; reconciling by client id");
    return reconcileByClientId(broker, req, err, opts);
  }
}

/** After an uncertain submission of `req`: does the broker have it? Never submits. */
export async function reconcileByClientId(broker: Broker, req: OrderRequest, cause: BrokerError, opts: ReconcileOptions = {}): Promise<SubmitOutcome> {
  const attempts = Math.max(1, Math.floor(opts.attempts ?? 3));
  const baseDelay = Math.max(0, opts.delayMs ?? 500);
  const sleep = opts.sleep ?? defaultSleep;
  let lookupError: unknown;
  for (let i = 0; i < attempts; i++) {
    await sleep(baseDelay * 2 ** i);
    try {
      const order = await broker.getOrderByClientId(req.clientOrderId);
      const lookups = i + 1;
      if (order === null) {
        opts.logger?.info({ clientOrderId: req.clientOrderId, lookups }, "broker has no order with this client id");
        return { status: "not_received", cause, lookups };
      }
      const mismatches = compare(req, order);
      if (mismatches.length > 0) {
        opts.logger?.error({ clientOrderId: req.clientOrderId, orderId: order.id, mismatches }, "broker order under our client id differs from the request");
      } else {
        opts.logger?.info({ clientOrderId: req.clientOrderId, orderId: order.id, status: order.status, lookups }, "uncertain submission found at the broker");
      }
      return { status: "reconciled", order, cause, lookups, mismatches };
    } catch (err) {
      lookupError = err;
      opts.logger?.warn({ clientOrderId: req.clientOrderId, attempt: i + 1, error: err instanceof Error ? err.message : String(err) }, "client id lookup failed");
    }
  }
  return { status: "unknown", cause, lookupError, lookups: attempts };
}

/** Fields of the found order that contradict the request (client ids are reused only by mistake). */
function compare(req: OrderRequest, order: BrokerOrder): string[] {
  const out: string[] = [];
  if (order.symbol !== req.symbol) out.push(`symbol ${order.symbol} ≠ ${req.symbol}`);
  if (order.side !== req.side) out.push(`side ${order.side} ≠ ${req.side}`);
  if (order.type !== req.type) out.push(`type ${order.type} ≠ ${req.type}`);
  if (req.qty !== undefined && order.qty !== null && Math.abs(order.qty - req.qty) > 1e-9) out.push(`qty ${order.qty} ≠ ${req.qty}`);
  if (req.notional !== undefined && order.notional !== null && Math.abs(order.notional - req.notional) > 1e-6) out.push(`notional ${order.notional} ≠ ${req.notional}`);
  return out;
}
