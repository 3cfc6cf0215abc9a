import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ArgusError } from "../core/errors.js";
import { fromRoot } from "../core/package-root.js";

/**
 * Risk limits. Defaults ship in data/default-limits.json (documented there and in the
 * README); a human may override them in $ARGUS_HOME/limits.json or with `argus limits
 * set`. No tool can change them.
 */
export const riskLimitsSchema = z.object({
  /** Largest notional (qty × reference price) of one order, USD. */
  maxNotionalPerOrder: z.number().positive(),
  /** Largest share count of one order. */
  maxSharesPerOrder: z.number().positive(),
  /** A limit or stop price may differ from the reference price by at most this fraction. */
  priceCollarPct: z.number().positive().max(1),
  /** A market order's reference price may be at most this many seconds old during the regular session. */
  maxPriceAgeSeconds: z.number().int().positive(),
  /** Regular sessions that may have closed since the reference price (0: it must be from the latest closed session or newer). */
  maxSessionsSincePrice: z.number().int().nonnegative(),
  /** Risk per trade: qty × |entry − stop| at most this fraction of equity. */
  riskPerTradePct: z.number().positive().max(1),
  /** Stop distance assumed when an order carries no stop, in ATRs (ATR(14) of daily bars). */
  defaultStopAtr: z.number().positive(),
  /** Largest position in one symbol after the order, as a fraction of equity. */
  maxPositionPct: z.number().positive().max(10),
  /** Gross exposure (long + |short| market value) after the order, as a fraction of equity. */
  maxGrossExposurePct: z.number().positive().max(10),
  maxOpenPositions: z.number().int().positive(),
  /** Exposure to one sector after the order, as a fraction of equity. */
  maxSectorPct: z.number().positive().max(10),
  /** Loss since the previous close (fraction of equity) that moves the state to REDUCING. */
  dailyLossPct: z.number().positive().max(1),
  /** Loss since the start of the week that moves the state to HALTED. */
  weeklyLossPct: z.number().positive().max(1),
  /** Drawdown from peak equity above which new exposure is halved. */
  drawdownReducePct: z.number().positive().max(1),
  /** Drawdown from peak equity that trips the kill switch. */
  drawdownKillPct: z.number().positive().max(1),
  /** Refuse new longs when the symbol's regime is PANIC. */
  noLongsInPanic: z.boolean(),
  /** Pattern-day-trader guard: under $25k equity, at most 3 day trades in 5 sessions. */
  pdtGuard: z.boolean(),
  /** Orders (proposals evaluated for submission) per rolling minute. */
  maxOrdersPerMinute: z.number().int().positive(),
  /** Identical order contents within this many seconds are a duplicate. */
  duplicateWindowSeconds: z.number().int().nonnegative(),
  allowShort: z.boolean(),
  restrictedSymbols: z.array(z.string()),
  /** When not null, only these symbols may be traded. */
  allowedSymbols: z.array(z.string()).nullable(),
  /** Proposals expire after this many seconds without a decision. */
  proposalTtlSeconds: z.number().int().positive(),
  /** Paper mode only: proposals at or under this notional are approved by policy (recorded in the audit log). Off by default. */
  autoApprovePaper: z.object({ enabled: z.boolean(), maxNotional: z.number().nonnegative() }),
});
export type RiskLimits = z.infer<typeof riskLimitsSchema>;

export const DEFAULT_LIMITS_PATH = fromRoot("data", "default-limits.json");

export function limitsOverridePath(home: string): string {
  return join(home, "limits.json");
}

function readJson(path: string): Record<string, unknown> {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not an object");
    return v as Record<string, unknown>;
  } catch (e) {
    throw new ArgusError("CONFIG_INVALID", `${path} is not a valid limits file (${(e as Error).message}).`);
  }
}

/** Defaults, overlaid with $ARGUS_HOME/limits.json when present; invalid files fail closed. */
export function loadLimits(home: string): RiskLimits {
  const defaults = readJson(DEFAULT_LIMITS_PATH);
  delete defaults.$comment;
  const overridePath = limitsOverridePath(home);
  const overrides = existsSync(overridePath) ? readJson(overridePath) : {};
  delete overrides.$comment;
  const merged = { ...defaults, ...overrides };
  const parsed = riskLimitsSchema.strict().safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new ArgusError("CONFIG_INVALID", `Invalid risk limits (${overridePath}): ${problems}. Trading stays blocked until they are fixed.`);
  }
  return parsed.data;
}
