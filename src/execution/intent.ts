import { createHash } from "node:crypto";
import canonicalizeModule from "canonicalize";
import { z } from "zod";
import { symbolSchema } from "../data/symbol.js";
import type { OrderIntent } from "../risk/types.js";
import { ORDER_SIDES, ORDER_TYPES, TIME_IN_FORCE } from "./types.js";

const canonicalize = canonicalizeModule as unknown as (value: unknown) => string;

const price = z.number().positive().finite();

/** An order as a model may propose it. It has no client id: the proposal id becomes it. */
export const orderIntentSchema = z.object({
  symbol: symbolSchema,
  side: z.enum(ORDER_SIDES),
  type: z.enum(ORDER_TYPES).default("market"),
  timeInForce: z.enum(TIME_IN_FORCE).default("day"),
  qty: z.number().positive().finite().optional().describe("Shares (fractional allowed for market/day); give qty or notional, not both"),
  notional: z.number().positive().finite().optional().describe("Dollar amount (market orders, day only)"),
  limitPrice: price.optional(),
  stopPrice: price.optional(),
  trailPercent: z.number().positive().max(50).optional(),
  trailPrice: price.optional(),
  extendedHours: z.boolean().default(false),
  stopLoss: price.optional().describe("Protective stop used for position sizing (default: 2 × ATR from the entry)"),
});
export type OrderIntentInput = z.input<typeof orderIntentSchema>;

/** The intent's fields that define what would be traded, in a fixed form. */
export function normalizeIntent(intent: OrderIntent): OrderIntent {
  const out: OrderIntent = { symbol: intent.symbol.toUpperCase(), side: intent.side, type: intent.type, timeInForce: intent.timeInForce };
  for (const k of ["qty", "notional", "limitPrice", "stopPrice", "trailPercent", "trailPrice", "stopLoss"] as const) {
    if (intent[k] !== undefined) out[k] = intent[k];
  }
  if (intent.extendedHours) out.extendedHours = true;
  return out;
}

/** SHA-256 of the canonical (RFC 8785) intent without its client id: approval binds to these exact contents. */
export function contentHash(intent: OrderIntent): string {
  const { clientOrderId: _id, ...rest } = normalizeIntent(intent);
  return createHash("sha256").update(canonicalize(rest)).digest("hex");
}
