import type { RiskCheck } from "../types.js";
import { secs } from "./format.js";
import { fail, pass } from "./result.js";

export const DUPLICATE_ORDER = "DUPLICATE_ORDER";

/** The same contents (contentHash) within duplicateWindowSeconds is a duplicate. 0 turns it off. */
export const duplicateOrderCheck: RiskCheck = (_intent, ctx) => {
  const windowS = ctx.limits.duplicateWindowSeconds;
  if (typeof ctx.contentHash !== "string" || ctx.contentHash.length === 0) return fail(DUPLICATE_ORDER, "The order's content hash is missing, so duplicates cannot be ruled out.");
  if (windowS === 0) return pass(DUPLICATE_ORDER, "Duplicate detection is off (window 0 s).");
  const from = ctx.now - windowS * 1000;
  let latest: number | null = null;
  for (const r of ctx.recent) {
    if (r.contentHash === ctx.contentHash && r.t >= from && r.t <= ctx.now && (latest === null || r.t > latest)) latest = r.t;
  }
  if (latest !== null) {
    return fail(DUPLICATE_ORDER, `An identical order was proposed ${secs(ctx.now - latest)} ago (duplicates within ${windowS} s are rejected); wait or change the order.`);
  }
  return pass(DUPLICATE_ORDER, `No identical order in the last ${windowS} s.`);
};
