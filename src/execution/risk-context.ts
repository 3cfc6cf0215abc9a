import type { Clock } from "../core/clock.js";
import { dayNumber, isoDate, weekday } from "../data/calendar/dates.js";
import type { DataManager } from "../data/data-manager.js";
import { atr } from "../analysis/indicators/index.js";
import { classifyRegime } from "../analysis/regime.js";
import { last, toColumns } from "../analysis/series.js";
import type { ArgusConfig } from "../core/config.js";
import type { RiskLimits } from "../risk/limits.js";
import type { OrderIntent, RiskContext, TradingState } from "../risk/types.js";
import type { EquityMarks } from "../risk/state-store.js";
import type { ProposalStore } from "./proposal-store.js";
import type { Broker } from "./types.js";

/**
 * Gathers what the firewall needs, from the broker, the DataManager and our own
 * records. Anything that cannot be read becomes null, and the checks that need it fail
 * closed: a broken data source blocks trading instead of waving orders through.
 */
export async function buildRiskContext(deps: {
  intent: OrderIntent;
  contentHash: string;
  excludeProposalId?: string;
  broker: Broker;
  data: DataManager;
  clock: Clock;
  proposals: ProposalStore;
  equityMarks: EquityMarks;
  state: TradingState;
  limits: RiskLimits;
  mode: "paper" | "live";
  regimeThresholds: ArgusConfig["analysis"]["regime"];
}): Promise<RiskContext> {
  const { intent, data, broker } = deps;
  const now = deps.clock.now();
  const safe = async <T>(fn: () => Promise<T> | T): Promise<T | null> => {
    try {
      return await fn();
    } catch {
      return null;
    }
  };
  const [account, positions, openOrders, todaysFills] = await Promise.all([
    safe(() => broker.account()),
    safe(() => broker.positions()),
    safe(() => broker.listOrders({ status: "open", limit: 500 })),
    safe(() => broker.fills(data.calendar.startOfDay(data.calendar.dateAt(now)) - 1)),
  ]);
  const symbolRow = await safe(() => data.requireSymbol(intent.symbol));
  const price = await safe(() => data.latestPrice(intent.symbol));
  const daily = symbolRow ? await safe(() => data.getBars({ symbol: symbolRow.symbol, timeframe: "1Day", limit: 300 }).bars) : null;
  const cols = daily && daily.length > 0 ? toColumns(daily) : null;
  const atrValue = cols ? last(atr(cols.high, cols.low, cols.close, 14)) : null;
  const regime = cols && cols.length >= 60 ? classifyRegime(cols, deps.regimeThresholds).regime : null;

  if (account) deps.equityMarks.record(now, account.equity);
  // Monday 00:00 New York of the current week (the exchange's week, not UTC's).
  const today = dayNumber(data.calendar.dateAt(now));
  const weekStart = data.calendar.startOfDay(isoDate(today - ((weekday(today) + 6) % 7)));
  const equity = account
    ? {
        current: account.equity,
        previousClose: account.lastEquity,
        startOfWeek: deps.equityMarks.at(weekStart)?.equity ?? account.lastEquity,
        peak: Math.max(deps.equityMarks.peak() ?? account.equity, account.equity),
      }
    : null;

  const recent = deps.proposals
    .recent(now - Math.max(60, deps.limits.duplicateWindowSeconds) * 1000)
    .filter((p) => p.id !== deps.excludeProposalId && p.status !== "rejected" && p.status !== "expired" && p.status !== "blocked");
  const submitted = deps.proposals.submittedSince(now - 60_000).filter((p) => p.id !== deps.excludeProposalId);
  const usedIds = new Set<string>([...(openOrders ?? []).map((o) => o.clientOrderId), ...submitted.map((p) => p.id)]);
  const boughtToday = (todaysFills ?? []).some((f) => f.symbol === intent.symbol && f.side === "buy");

  return {
    now,
    mode: deps.mode,
    state: deps.state,
    limits: deps.limits,
    account,
    positions: positions ?? [],
    openOrders: openOrders ?? [],
    price: price ? { price: price.price, asOf: price.asOf, sessionsSince: price.sessionsSince } : null,
    marketOpen: data.isMarketOpen(now),
    symbol: symbolRow ? { symbol: symbolRow.symbol, sector: symbolRow.sector, tradable: true } : null,
    sectorOf: (s) => {
      try {
        return data.requireSymbol(s).sector;
      } catch {
        return null;
      }
    },
    priceOf: (s) => {
      try {
        return data.latestPrice(s).price;
      } catch {
        return null;
      }
    },
    atr: atrValue,
    regime,
    equity,
    // Live proposals in the window: the duplicate check compares contents, the throttle counts them.
    recent: recent.map((p) => ({ clientOrderId: p.id, contentHash: p.contentHash, t: p.createdAt })),
    usedClientOrderIds: usedIds,
    dayTrades: { count: account?.daytradeCount ?? 0, wouldBeDayTrade: intent.side === "sell" && boughtToday },
    contentHash: deps.contentHash,
  };
}
