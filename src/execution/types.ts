/**
 * Orders, positions and accounts with Alpaca's semantics (DESIGN §4), shared by the
 * paper broker, the Alpaca adapter, the risk firewall and the ExecutionManager. Numbers
 * are plain JS numbers (shares may be fractional; prices in dollars).
 */

export const ORDER_SIDES = ["buy", "sell"] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export const ORDER_TYPES = ["market", "limit", "stop", "stop_limit", "trailing_stop"] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TIME_IN_FORCE = ["day", "gtc", "opg", "cls", "ioc", "fok"] as const;
export type TimeInForce = (typeof TIME_IN_FORCE)[number];

/** Alpaca's order statuses. Open: new, accepted, pending_new, partially_filled, held. */
export const ORDER_STATUSES = [
  "new", "accepted", "pending_new", "partially_filled", "filled", "done_for_day", "canceled", "expired",
  "replaced", "pending_cancel", "pending_replace", "rejected", "suspended", "calculated", "stopped", "held",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set(["new", "accepted", "pending_new", "partially_filled", "held", "pending_cancel", "pending_replace", "done_for_day"]);

/** What a caller asks for. `qty` or `notional`, never both (Alpaca's rule). */
export interface OrderRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty?: number;
  notional?: number;
  limitPrice?: number;
  stopPrice?: number;
  trailPercent?: number;
  trailPrice?: number;
  extendedHours?: boolean;
  /** ≤ 48 characters, unique per account forever (reuse is rejected even after cancel). */
  clientOrderId: string;
}

export interface BrokerOrder {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  qty: number | null;
  notional: number | null;
  filledQty: number;
  filledAvgPrice: number | null;
  limitPrice: number | null;
  stopPrice: number | null;
  trailPercent: number | null;
  trailPrice: number | null;
  /** Trailing stops: the high (sell) or low (buy) water mark the stop trails. */
  hwm: number | null;
  status: OrderStatus;
  extendedHours: boolean;
  createdAt: number;
  submittedAt: number;
  updatedAt: number;
  filledAt: number | null;
  canceledAt: number | null;
  expiredAt: number | null;
  failedAt: number | null;
  rejectReason: string | null;
}

export interface Fill {
  id: string;
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  price: number;
  t: number;
}

export interface Position {
  symbol: string;
  /** Signed: negative for a short. */
  qty: number;
  side: "long" | "short";
  avgEntryPrice: number;
  costBasis: number;
  currentPrice: number;
  /** When currentPrice was observed. */
  priceAsOf: number;
  marketValue: number;
  unrealizedPl: number;
  unrealizedPlpc: number;
}

export interface Account {
  currency: "USD";
  cash: number;
  equity: number;
  /** Equity at the previous session's close (for the daily loss limit). */
  lastEquity: number;
  buyingPower: number;
  longMarketValue: number;
  shortMarketValue: number;
  realizedPl: number;
  daytradeCount: number;
  patternDayTrader: boolean;
  tradingBlocked: boolean;
  status: string;
}

export interface OrderFilter {
  status: "open" | "closed" | "all";
  limit: number;
  symbols?: string[];
  after?: number;
  until?: number;
}

/**
 * A broker: the paper simulator or Alpaca. Only the ExecutionManager holds one, and it
 * submits only orders the RiskFirewall passed and a human approved.
 */
export interface Broker {
  readonly name: "paper" | "alpaca";
  account(): Promise<Account>;
  positions(): Promise<Position[]>;
  submitOrder(req: OrderRequest): Promise<BrokerOrder>;
  getOrder(id: string): Promise<BrokerOrder>;
  /** The order with this client id, or null when the broker never received it. */
  getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null>;
  cancelOrder(id: string): Promise<void>;
  listOrders(filter: OrderFilter): Promise<BrokerOrder[]>;
  /** Fills since `after` (exclusive), oldest first. */
  fills(after?: number): Promise<Fill[]>;
}

/** Errors a broker raises, mapped from HTTP statuses by the Alpaca adapter. */
export type BrokerErrorKind = "REJECTED" | "FORBIDDEN" | "NOT_FOUND" | "RATE_LIMITED" | "UNAVAILABLE" | "TIMEOUT" | "UNKNOWN";
export class BrokerError extends Error {
  constructor(
    readonly kind: BrokerErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "BrokerError";
  }
  /** A timeout or a dropped connection: the broker may or may not have the order. */
  get uncertain(): boolean {
    return this.kind === "TIMEOUT" || this.kind === "UNAVAILABLE";
  }
}
