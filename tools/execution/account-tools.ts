import { z } from "zod";
import { toExchangeIso } from "../../src/data/calendar/zone.js";
import { symbolSchema } from "../../src/data/symbol.js";
import { parseTimeBound } from "../../src/data/time-input.js";
import { timeField } from "../data/shapes.js";
import { defineTool, READ_ONLY } from "../spec.js";
import { accountOut, accountShape, orderOut, orderShape, positionOut, positionShape, proposalOut, proposalShape } from "./shapes.js";

export const getMode = defineTool({
  name: "get_mode",
  title: "Trading mode",
  description: "Whether orders would go to paper trading or a live account, which broker, why, and the trading state (ACTIVE, REDUCING, HALTED). Paper unless a human set two separate live settings.",
  input: z.object({}),
  output: z.object({ mode: z.enum(["paper", "live"]), broker: z.string(), reason: z.string(), tradingState: z.string(), stateReason: z.string() }),
  annotations: READ_ONLY,
  run(_i, { app }) {
    const s = app.execution.tradingState();
    return { mode: app.execution.mode.mode, broker: app.execution.brokerName, reason: app.execution.mode.reason, tradingState: s.state, stateReason: s.reason };
  },
  summarize(o) {
    return `${o.mode.toUpperCase()} trading through ${o.broker} (${o.reason}); trading state ${o.tradingState}.`;
  },
});

export const getAccount = defineTool({
  name: "get_account",
  title: "Account",
  description: "Cash, equity, previous-close equity, buying power, long/short market value, realised P&L and day-trade count of the broker account (paper unless live is enabled).",
  input: z.object({}),
  output: accountShape.extend({ mode: z.enum(["paper", "live"]), broker: z.string() }),
  annotations: READ_ONLY,
  async run(_i, { app }) {
    return { ...accountOut(await app.execution.account()), mode: app.execution.mode.mode, broker: app.execution.brokerName };
  },
  summarize(o) {
    return `${o.mode.toUpperCase()} account (${o.broker}): equity $${o.equity.toFixed(2)}, cash $${o.cash.toFixed(2)}, buying power $${o.buyingPower.toFixed(2)}, realised P&L $${o.realizedPl.toFixed(2)}.`;
  },
});

export const getPositions = defineTool({
  name: "get_positions",
  title: "Positions",
  description: "Open positions with quantity, average entry price, current price (and when it was observed), market value and unrealised P&L.",
  input: z.object({}),
  output: z.object({ count: z.number().int(), positions: z.array(positionShape) }),
  annotations: READ_ONLY,
  async run(_i, { app }) {
    const positions = (await app.execution.positions()).map(positionOut);
    return { count: positions.length, positions };
  },
  summarize(o) {
    return o.count === 0 ? "No open positions." : o.positions.map((p) => `${p.symbol} ${p.qty} @ ${p.avgEntryPrice.toFixed(2)} (P&L ${p.unrealizedPl.toFixed(2)})`).join("; ");
  },
});

export const getOrders = defineTool({
  name: "get_orders",
  title: "Orders and proposals",
  description: "Broker orders (open, closed or all, newest first) and the order proposals awaiting a human decision.",
  input: z.object({
    status: z.enum(["open", "closed", "all"]).default("open"),
    symbols: z.array(symbolSchema).max(50).optional(),
    limit: z.number().int().positive().max(500).default(50),
  }),
  output: z.object({ orders: z.array(orderShape), pendingProposals: z.array(proposalShape) }),
  annotations: READ_ONLY,
  async run(input, { app }) {
    const orders = await app.execution.orders({ status: input.status, limit: input.limit, ...(input.symbols ? { symbols: input.symbols } : {}) });
    const pending = app.execution.listProposals({ status: ["awaiting_approval"], limit: 50 });
    return { orders: orders.map(orderOut), pendingProposals: pending.map(proposalOut) };
  },
  summarize(o) {
    return `${o.orders.length} orders; ${o.pendingProposals.length} proposals awaiting a human decision.`;
  },
});

export const getFills = defineTool({
  name: "get_fills",
  title: "Fills",
  description:
    "Executions at the broker: each fill's quantity, price and time, its broker order id and the proposal it came from (`proposalId`, the order's client id; " +
    "compare it with propose_order's proposalId to see whether and how your order was executed). Oldest first. " +
    "`since` (inclusive) is YYYY-MM-DD (a New York exchange day) or an ISO date-time; without it, all fills. " +
    "When more than `limit` fills match, the LAST `limit` are returned (the most recent ones) and `truncated` is true: narrow with `since` or `symbol`.",
  input: z.object({
    since: z.string().optional().describe("Fills at or after this: YYYY-MM-DD or ISO date-time (default: all)"),
    symbol: symbolSchema.optional(),
    limit: z.number().int().min(1).max(1000).default(100).describe("At most this many, the most recent (default 100)"),
  }),
  output: z.object({
    count: z.number().int(),
    truncated: z.boolean().describe("Older matching fills were left out; narrow with since or symbol"),
    fills: z.array(
      z.object({
        fillId: z.string(),
        orderId: z.string(),
        proposalId: z.string().describe("The order's client id: the proposal id for orders Argus submitted"),
        symbol: z.string(),
        side: z.enum(["buy", "sell"]),
        qty: z.number(),
        price: z.number(),
        time: timeField,
      }),
    ),
  }),
  annotations: READ_ONLY,
  async run(input, { app }) {
    const since = input.since === undefined ? undefined : parseTimeBound(input.since, "from", "since");
    const all = await app.execution.fills(since === undefined ? undefined : since - 1);
    const matching = input.symbol === undefined ? all : all.filter((f) => f.symbol === input.symbol);
    const fills = matching.slice(-input.limit).map((f) => ({
      fillId: f.id,
      orderId: f.orderId,
      proposalId: f.clientOrderId,
      symbol: f.symbol,
      side: f.side,
      qty: f.qty,
      price: f.price,
      time: toExchangeIso(f.t),
    }));
    return { count: fills.length, truncated: matching.length > fills.length, fills };
  },
  summarize(o) {
    if (o.count === 0) return "No fills.";
    const shown = o.fills.slice(-5).map((f) => `${f.side.toUpperCase()} ${f.qty} ${f.symbol} @ ${f.price} (${f.time})`);
    return `${o.count} fills${o.truncated ? " (the most recent; older ones left out)" : ""}${o.count > 5 ? "; latest" : ""}: ${shown.join("; ")}.`;
  },
});

export const getRiskStatus = defineTool({
  name: "get_risk_status",
  title: "Risk status",
  description: "The trading state and why, the limits in force, account equity against its previous close, and the pending proposals. Read-only: limits and state change only through human channels.",
  input: z.object({}),
  output: z.object({
    tradingState: z.string(),
    reason: z.string(),
    /** null while the state is still the initial one (never changed). */
    changedAt: timeField.nullable(),
    changedBy: z.string(),
    mode: z.enum(["paper", "live"]),
    limits: z.record(z.string(), z.unknown()),
    equity: z.number().nullable(),
    previousCloseEquity: z.number().nullable(),
    dailyChangePct: z.number().nullable(),
    pendingProposals: z.number().int(),
  }),
  annotations: READ_ONLY,
  async run(_i, { app }) {
    const s = app.execution.tradingState();
    const account = await app.execution.account().catch(() => null);
    return {
      tradingState: s.state,
      reason: s.reason,
      changedAt: s.changedAt > 0 ? toExchangeIso(s.changedAt) : null,
      changedBy: s.changedBy,
      mode: app.execution.mode.mode,
      limits: app.limits() as unknown as Record<string, unknown>,
      equity: account?.equity ?? null,
      previousCloseEquity: account?.lastEquity ?? null,
      dailyChangePct: account && account.lastEquity > 0 ? account.equity / account.lastEquity - 1 : null,
      pendingProposals: app.execution.listProposals({ status: ["awaiting_approval"], limit: 1000 }).length,
    };
  },
  summarize(o) {
    return `Trading ${o.tradingState} (${o.reason}); ${o.mode}; equity ${o.equity?.toFixed(2) ?? "n/a"}${o.dailyChangePct !== null ? ` (${(o.dailyChangePct * 100).toFixed(2)}% today)` : ""}; ${o.pendingProposals} pending proposals.`;
  },
});

export const verifyAuditLog = defineTool({
  name: "verify_audit_log",
  title: "Verify the audit log",
  description: "Recomputes the audit log's hash chain and reports whether it is intact, how many rows it has, its head hash, and the first broken row if any.",
  input: z.object({}),
  output: z.object({ ok: z.boolean(), rows: z.number().int(), headHash: z.string().nullable(), firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable() }),
  annotations: READ_ONLY,
  run(_i, { app }) {
    return app.audit.verify();
  },
  summarize(o) {
    return o.ok ? `Audit log intact: ${o.rows} rows, head ${o.headHash?.slice(0, 16) ?? "none"}….` : `AUDIT LOG BROKEN at row ${o.firstBroken!.seq}: ${o.firstBroken!.reason}`;
  },
});
