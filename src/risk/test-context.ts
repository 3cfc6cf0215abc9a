import { readFileSync } from "node:fs";
import type { Account, BrokerOrder, Position } from "../execution/types.js";
import { DEFAULT_LIMITS_PATH, riskLimitsSchema, type RiskLimits } from "./limits.js";
import type { OrderIntent, RiskContext } from "./types.js";

/**
 * Builders for firewall tests and the benchmark: a realistic $100k paper account with a
 * few positions in different sectors, a fresh price, ACTIVE state and the shipped default
 * limits (data/default-limits.json). Plain TypeScript with no test-runner import, so the
 * benchmark can use it too.
 */

/** Monday 2026-11-23 10:00 New York: the regular session is open. */
export const NOW = Date.parse("2026-11-23T15:00:00Z");

export const SECTORS: Readonly<Record<string, string>> = {
  AAPL: "Technology",
  MSFT: "Technology",
  NVDA: "Technology",
  ORCL: "Technology",
  JPM: "Financials",
  BAC: "Financials",
  XOM: "Energy",
  CVX: "Energy",
  JNJ: "Health Care",
  UNH: "Health Care",
  PG: "Consumer Staples",
  KO: "Consumer Staples",
  CAT: "Industrials",
  HD: "Consumer Discretionary",
  PENNY: "Materials",
};

export const PRICES: Readonly<Record<string, number>> = {
  AAPL: 230,
  MSFT: 400,
  NVDA: 180,
  ORCL: 190,
  JPM: 250,
  BAC: 45,
  XOM: 110,
  CVX: 150,
  JNJ: 155,
  UNH: 520,
  PG: 165,
  KO: 70,
  CAT: 380,
  HD: 390,
  PENNY: 0.42,
};

function readDefaultLimits(): RiskLimits {
  const raw = JSON.parse(readFileSync(DEFAULT_LIMITS_PATH, "utf8")) as Record<string, unknown>;
  delete raw.$comment;
  return riskLimitsSchema.strict().parse(raw);
}

const SHIPPED_LIMITS = readDefaultLimits();

/** A fresh copy of the shipped default limits. */
export function defaultLimits(overrides: Partial<RiskLimits> = {}): RiskLimits {
  return { ...structuredClone(SHIPPED_LIMITS), ...overrides };
}

/** A position at `price` (default: PRICES[symbol]); negative qty is a short. */
export function position(symbol: string, qty: number, price = PRICES[symbol] ?? 100, avgEntryPrice = price): Position {
  const marketValue = qty * price;
  const costBasis = qty * avgEntryPrice;
  return {
    symbol,
    qty,
    side: qty < 0 ? "short" : "long",
    avgEntryPrice,
    costBasis,
    currentPrice: price,
    priceAsOf: NOW - 30_000,
    marketValue,
    unrealizedPl: marketValue - costBasis,
    unrealizedPlpc: costBasis === 0 ? 0 : (marketValue - costBasis) / Math.abs(costBasis),
  };
}

let orderSeq = 0;

/** An open broker order (status "new"), a day limit order unless told otherwise. */
export function openOrder(o: Partial<BrokerOrder> & Pick<BrokerOrder, "symbol" | "side">): BrokerOrder {
  const n = ++orderSeq;
  const type = o.type ?? "limit";
  return {
    id: `order-${n}`,
    clientOrderId: `client-${n}`,
    type,
    timeInForce: "day",
    qty: 10,
    notional: null,
    filledQty: 0,
    filledAvgPrice: null,
    limitPrice: type === "limit" || type === "stop_limit" ? (PRICES[o.symbol] ?? 100) : null,
    stopPrice: null,
    trailPercent: null,
    trailPrice: null,
    hwm: null,
    status: "new",
    extendedHours: false,
    createdAt: NOW - 600_000,
    submittedAt: NOW - 600_000,
    updatedAt: NOW - 600_000,
    filledAt: null,
    canceledAt: null,
    expiredAt: null,
    failedAt: null,
    rejectReason: null,
    ...o,
  };
}

/** The default order: buy 20 MSFT at market, day ($8,000 at $400). */
export function baseIntent(overrides: Partial<OrderIntent> = {}): OrderIntent {
  return { symbol: "MSFT", side: "buy", type: "market", timeInForce: "day", qty: 20, ...overrides };
}

/** AAPL 80 @ $230 ($18,400, Technology), JPM 60 @ $250 ($15,000, Financials), XOM 150 @ $110 ($16,500, Energy). */
export function basePositions(): Position[] {
  return [position("AAPL", 80, 230, 200), position("JPM", 60, 250, 220), position("XOM", 150, 110, 115)];
}

/** $100,000 equity: $49,900 in positions, $50,100 cash, 2× cash buying power. */
export function baseAccount(overrides: Partial<Account> = {}): Account {
  return {
    currency: "USD",
    cash: 50_100,
    equity: 100_000,
    lastEquity: 100_500,
    buyingPower: 100_200,
    longMarketValue: 49_900,
    shortMarketValue: 0,
    realizedPl: 0,
    daytradeCount: 0,
    patternDayTrader: false,
    tradingBlocked: false,
    status: "ACTIVE",
    ...overrides,
  };
}

export type BaseContextOverrides = Partial<Omit<RiskContext, "limits" | "equity">> & {
  limits?: Partial<RiskLimits>;
  /** Merged into the base marks; null removes them. */
  equity?: Partial<NonNullable<RiskContext["equity"]>> | null;
  /** The order's symbol: sets `symbol`, `price` (from PRICES, 30 s old) and `atr` (2% of the price). Default MSFT. */
  orderSymbol?: string;
};

/**
 * A realistic context for an order in `orderSymbol` (default MSFT, $400, Technology):
 * ACTIVE, the regular session open, a 30-second-old price, ATR 2% of the price, regime
 * TRENDING, equity $100,000 (previous close $100,500, start of week $101,000, peak
 * $104,000), no open orders, nothing recent, no day trades.
 */
export function baseContext(overrides: BaseContextOverrides = {}): RiskContext {
  const { limits, equity, orderSymbol = "MSFT", ...rest } = overrides;
  const px = PRICES[orderSymbol] ?? 100;
  const baseEquity = { current: 100_000, previousClose: 100_500, startOfWeek: 101_000, peak: 104_000 };
  return {
    now: NOW,
    mode: "paper",
    state: "ACTIVE",
    limits: defaultLimits(limits),
    account: baseAccount(),
    positions: basePositions(),
    openOrders: [],
    price: { price: px, asOf: NOW - 30_000, sessionsSince: 0 },
    marketOpen: true,
    symbol: { symbol: orderSymbol, sector: SECTORS[orderSymbol] ?? null, tradable: true },
    sectorOf: (s) => SECTORS[s] ?? null,
    priceOf: (s) => PRICES[s] ?? null,
    atr: px * 0.02,
    regime: "TRENDING",
    equity: equity === null ? null : { ...baseEquity, ...equity },
    recent: [],
    usedClientOrderIds: new Set(["argus-used-1", "argus-used-2"]),
    dayTrades: { count: 0, wouldBeDayTrade: false },
    contentHash: "0".repeat(64),
    ...rest,
  };
}
