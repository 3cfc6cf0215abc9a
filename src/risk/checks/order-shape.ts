import { ORDER_SIDES, ORDER_TYPES, TIME_IN_FORCE } from "../../execution/types.js";
import type { RiskCheck } from "../types.js";
import { fail, pass } from "./result.js";

export const ORDER_SHAPE = "ORDER_SHAPE";

const has = (x: unknown): boolean => x !== undefined && x !== null;

/**
 * Order type, time in force and session validity, with Alpaca's rules: qty XOR
 * notional; limit price for limit/stop_limit only; stop price for stop/stop_limit only;
 * exactly one of trailPercent/trailPrice for trailing_stop only (day or gtc); notional
 * and fractional qty only with market + day; extendedHours only with limit + day; opg
 * and cls only with market or limit and without extendedHours; opg not once the regular
 * session is open. A market order outside the regular session passes with a warning
 * (it would queue for the next open and fill at an unknown price).
 */
export const orderShapeCheck: RiskCheck = (intent, ctx) => {
  const problems: string[] = [];
  const { type, timeInForce: tif, side } = intent;
  if (!(ORDER_SIDES as readonly string[]).includes(side)) problems.push(`side "${String(side)}" is not buy or sell`);
  if (!(ORDER_TYPES as readonly string[]).includes(type)) problems.push(`type "${String(type)}" is not one of ${ORDER_TYPES.join(", ")}`);
  if (!(TIME_IN_FORCE as readonly string[]).includes(tif)) problems.push(`time in force "${String(tif)}" is not one of ${TIME_IN_FORCE.join(", ")}`);
  if (problems.length > 0) return fail(ORDER_SHAPE, `Invalid order: ${problems.join("; ")}.`);

  const hasQty = has(intent.qty);
  const hasNotional = has(intent.notional);
  if (hasQty === hasNotional) problems.push(hasQty ? "give qty or notional, not both" : "the order needs a qty or a notional");

  const needsLimit = type === "limit" || type === "stop_limit";
  const needsStop = type === "stop" || type === "stop_limit";
  const isTrailing = type === "trailing_stop";
  if (needsLimit && !has(intent.limitPrice)) problems.push(`${type} orders need a limit price`);
  if (!needsLimit && has(intent.limitPrice)) problems.push(`${type} orders take no limit price`);
  if (needsStop && !has(intent.stopPrice)) problems.push(`${type} orders need a stop price`);
  if (!needsStop && has(intent.stopPrice)) problems.push(`${type} orders take no stop price`);
  const trails = Number(has(intent.trailPercent)) + Number(has(intent.trailPrice));
  if (isTrailing) {
    if (trails !== 1) problems.push("trailing_stop orders need exactly one of trailPercent or trailPrice");
    if (tif !== "day" && tif !== "gtc") problems.push("trailing_stop orders must be day or gtc");
  } else if (trails > 0) problems.push(`${type} orders take no trailPercent or trailPrice`);

  if (hasNotional && !(type === "market" && tif === "day")) problems.push("notional orders must be market orders with time in force day");
  if (hasQty && typeof intent.qty === "number" && Number.isFinite(intent.qty) && !Number.isInteger(intent.qty) && !(type === "market" && tif === "day")) {
    problems.push("fractional quantities are allowed only on market day orders");
  }
  if (intent.extendedHours === true && !(type === "limit" && tif === "day")) problems.push("extended-hours orders must be limit orders with time in force day");
  if ((tif === "opg" || tif === "cls") && type !== "market" && type !== "limit") problems.push(`${tif} orders must be market or limit orders (on-open / on-close auction)`);
  if (tif === "opg" && ctx.marketOpen) problems.push("opg orders are for the opening auction, and the regular session is already open");

  if (problems.length > 0) return fail(ORDER_SHAPE, `Invalid order: ${problems.join("; ")}.`);
  const shape = `${type} ${tif}${hasNotional ? " notional" : ""}${intent.extendedHours ? " extended-hours" : ""}`;
  const warning =
    !ctx.marketOpen && type === "market" && tif !== "opg" && tif !== "cls"
      ? "The regular session is closed: this market order would wait for the next open and fill at an unknown opening price."
      : undefined;
  return pass(ORDER_SHAPE, `A valid ${shape} ${side} order.`, warning);
};
