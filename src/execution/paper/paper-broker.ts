/**
 * PaperBroker: an Alpaca-compatible order simulator on the local bars (DESIGN §4).
 *
 * ## Account
 * A non-margin CASH account: no shorting, no leverage. Buying power = cash − the
 * reserved cost of open buy orders (so two open buys cannot spend the same dollars).
 * Starting cash defaults to $100,000. Everything — orders, fills, positions, cash,
 * realised P&L — lives in the database (paper_* tables), so a new PaperBroker on the
 * same file sees the same book. Every write is one transaction: an order's status,
 * its fills, the position and the cash change together or not at all.
 *
 * ## Submission (validation like Alpaca's 422: BrokerError "REJECTED", nothing stored)
 * qty XOR notional · notional only for market orders with TIF day · fractional qty only
 * for day orders (and not trailing stops) · limit price for limit/stop_limit, stop price
 * for stop/stop_limit, exactly one of trail_price/trail_percent for trailing_stop, and
 * none of them on types that do not use them · prices positive and on the tick (cents at
 * or above $1, 4 decimals below) · opg/cls/ioc/fok only for market and limit orders,
 * trailing stops only day/gtc · extended_hours only for limit day orders ·
 * client_order_id ≤ 48 characters and unique forever (reuse is rejected even after a
 * cancel; an empty one is generated) · unknown symbol · a sell above the position less
 * what open sells already hold ("insufficient qty available") · a buy whose estimated
 * cost exceeds buying power ("insufficient buying power"). Estimated cost: notional, or
 * qty × (limit price for limit/stop_limit; max(stop, latest) for stop; the trailing stop
 * from the latest price for trailing_stop; the latest price for market), market-like
 * prices including the slippage.
 *
 * ## Fill model (deterministic, evaluated lazily)
 * Every public call first runs `sync()`, which walks each open order over the bars that
 * started at or after its submission (and after `processedThrough`, the last bar it
 * has seen) and are complete at `clock.now()` — so the book is always exactly what the
 * data up to now implies, and nothing fills on stale data: with no new bar, an order
 * stays open (a day order still expires at its session's close).
 * - Bars: for each session, the symbol's 1Min bars when it has any in that session's
 *   window (regular hours; pre/post too for extended-hours orders), else its 1Day bar.
 *   A 1Day bar counts as starting at the session's 09:30 open (its open is the opening
 *   print), so an order placed before the open can fill at that open, while one placed
 *   during a session that has only daily data waits for the next session's bar.
 * - Per-bar rules (fill-model.ts): market at the OPEN ± slippage (buy × (1 + bps/1e4),
 *   sell × (1 − bps/1e4)), rounded to the tick; limit only when the bar trades THROUGH the
 *   limit (buy low < limit, sell high > limit) at the better of limit and open; stop
 *   triggers at/through the stop (buy high ≥ stop, sell low ≤ stop), fills at max/min(stop,
 *   open) ± slippage, then like a market order; stop_limit triggers like a stop, fills on
 *   the trigger bar only if the trigger price is through the limit, then is a limit;
 *   trailing_stop tracks the water mark bar by bar (open first, extreme after the check;
 *   stop = hwm × (1 − trail%) or hwm − trail$ for a sell, mirrored for a buy), its
 *   initial mark being the latest price at submission.
 * - Size: at most `participation × bar volume` shares per bar (whole shares unless the
 *   order is fractional); the rest stays open as partially_filled; the order's average
 *   price is volume-weighted. Notional orders buy/sell floor(notional / price, 9 dp).
 * - Fill times: the bar's start for fills at the opening print, the bar's end for fills
 *   inside a bar (when it is known to have happened), the close for cls.
 * - Time in force: day — its session is the one open (or next) at submission; it expires
 *   at that session's close (post-market close for extended hours). gtc — until filled or
 *   canceled (Alpaca's 90-day auto-cancel is not modelled). ioc — whatever fills on the
 *   first eligible bar, the rest canceled. fok — all of it on the first eligible bar, or
 *   canceled with nothing. ioc/fok without an eligible bar by their session's close
 *   expire. opg — only the opening print (the 09:30 1Min bar's open, else the 1Day open)
 *   of the first session opening at/after submission; cls — only the closing print (the
 *   last 1Min bar's close, else the 1Day close) of the first session closing after
 *   submission; whatever does not fill there (no print, limit not through, volume cap)
 *   expires.
 * - Fills across orders are applied to positions and cash in time order. A position's
 *   average entry price is cost-weighted on adds; sells realise (price − avg) × qty; a
 *   position at zero is removed. Cash can dip slightly below zero when a buy fills at a
 *   gap above its estimate: fills are never refused after the fact.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, lt, lte, notInArray, sql, type SQL } from "drizzle-orm";
import type { Clock } from "../../core/clock.js";
import { ArgusError } from "../../core/errors.js";
import type { Bar } from "../../data/bar.js";
import type { TradingSession } from "../../data/calendar/nyse-calendar.js";
import type { DataManager } from "../../data/data-manager.js";
import type { Timeframe } from "../../data/timeframes.js";
import type { Db } from "../../db/connection.js";
import { paperAccount, paperFills, paperOrders, paperPositions } from "../../db/schema.js";
import {
  BrokerError,
  OPEN_STATUSES,
  ORDER_SIDES,
  ORDER_TYPES,
  TIME_IN_FORCE,
  type Account,
  type Broker,
  type BrokerOrder,
  type Fill,
  type OrderFilter,
  type OrderRequest,
  type OrderSide,
  type OrderStatus,
  type Position,
} from "../types.js";
import {
  auctionPrice,
  barCapacity,
  floorQty,
  isOnTick,
  priceOnBar,
  roundQty,
  trailingStop,
  type ModelBar,
  type TriggerState,
} from "./fill-model.js";

export interface PaperBrokerOptions {
  /** Cash of a new account (default 100,000). An existing account keeps its own. */
  startingCash?: number;
  /** Slippage on market-like fills, in basis points (default 5). */
  slippageBps?: number;
  /** Largest fraction of one bar's volume one order may fill in that bar (default 0.1). */
  participation?: number;
}

type OrderRow = typeof paperOrders.$inferSelect;
type PositionRow = typeof paperPositions.$inferSelect;

const OPEN = [...OPEN_STATUSES];
const ACCOUNT_ID = 1;
const EPS = 1e-9;
const MINUTE = 60_000;

interface PendingFill {
  id: string;
  qty: number;
  price: number;
  t: number;
  seq: number;
  dropped: boolean;
}

/** One open order being walked forward during a sync. */
interface Work {
  row: OrderRow;
  seq: number;
  baseQty: number;
  baseNotional: number;
  fills: PendingFill[];
  notionalDone: boolean;
  clamped: boolean;
  dirty: boolean;
}

interface SymbolBars {
  daily: Map<string, Bar>;
  minutes: Map<string, Bar[]>;
  dates: string[];
}

interface SegmentBar extends ModelBar {
  /** What processedThrough becomes once this bar is processed. */
  cursor: number;
}

function reject(message: string): never {
  throw new BrokerError("REJECTED", message, 422);
}

function roundCash(x: number): number {
  return Math.round(x * 1e8) / 1e8;
}

export class PaperBroker implements Broker {
  readonly name = "paper" as const;
  readonly startingCash: number;
  readonly slippageBps: number;
  readonly participation: number;

  // The reads every account()/positions() call makes, built once: a backtest makes them at
  // every replayed step, and drizzle rebuilding the SQL each time cost more than the query.
  private readonly anyOpenQuery;
  private readonly accountQuery;
  private readonly positionsQuery;
  private readonly openBuysQuery;
  private readonly fillsAfterQuery;

  constructor(
    private readonly db: Db,
    private readonly data: DataManager,
    private readonly clock: Clock,
    opts: PaperBrokerOptions = {},
  ) {
    this.anyOpenQuery = db.select({ id: paperOrders.id }).from(paperOrders).where(inArray(paperOrders.status, OPEN)).limit(1).prepare();
    this.accountQuery = db.select().from(paperAccount).where(eq(paperAccount.id, ACCOUNT_ID)).prepare();
    this.positionsQuery = db.select().from(paperPositions).orderBy(asc(paperPositions.symbol)).prepare();
    this.openBuysQuery = db.select().from(paperOrders).where(and(inArray(paperOrders.status, OPEN), eq(paperOrders.side, "buy"))).prepare();
    this.fillsAfterQuery = db.select().from(paperFills).where(gt(paperFills.t, sql.placeholder("after"))).orderBy(asc(paperFills.t), asc(sql`rowid`)).prepare();
    this.startingCash = opts.startingCash ?? 100_000;
    this.slippageBps = opts.slippageBps ?? 5;
    this.participation = opts.participation ?? 0.1;
    if (!(this.startingCash > 0) || !Number.isFinite(this.startingCash)) throw new RangeError("startingCash must be a positive number");
    if (!(this.slippageBps >= 0) || !Number.isFinite(this.slippageBps)) throw new RangeError("slippageBps must be ≥ 0");
    if (!(this.participation > 0 && this.participation <= 1)) throw new RangeError("participation must be in (0, 1]");
  }

  // ---- public API -------------------------------------------------------------

  async account(): Promise<Account> {
    this.sync();
    const now = this.clock.now();
    const acct = this.ensureAccount();
    const positions = this.valuedPositions();
    const longMarketValue = positions.reduce((s, p) => s + p.marketValue, 0);
    const equity = acct.cash + longMarketValue;
    return {
      currency: "USD",
      cash: acct.cash,
      equity,
      lastEquity: this.lastEquity(acct.cash, now),
      buyingPower: Math.max(0, acct.cash - this.reservedBuyCost()),
      longMarketValue,
      shortMarketValue: 0,
      realizedPl: acct.realizedPl,
      daytradeCount: this.daytradeCount(now),
      patternDayTrader: false,
      tradingBlocked: false,
      status: "ACTIVE",
    };
  }

  async positions(): Promise<Position[]> {
    this.sync();
    return this.valuedPositions();
  }

  async submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    this.sync();
    const now = this.clock.now();
    const row = this.db.$client
      .transaction(() => {
        this.ensureAccount();
        const values = this.validate(req, now);
        this.db.insert(paperOrders).values(values).run();
        return this.db.select().from(paperOrders).where(eq(paperOrders.id, values.id)).get()!;
      })
      .immediate();
    return toBrokerOrder(row);
  }

  async getOrder(id: string): Promise<BrokerOrder> {
    this.sync();
    const row = this.db.select().from(paperOrders).where(eq(paperOrders.id, id)).get();
    if (!row) throw new BrokerError("NOT_FOUND", `order ${id} not found`, 404);
    return toBrokerOrder(row);
  }

  async getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    this.sync();
    const row = this.db.select().from(paperOrders).where(eq(paperOrders.clientOrderId, clientOrderId)).get();
    return row ? toBrokerOrder(row) : null;
  }

  async cancelOrder(id: string): Promise<void> {
    this.sync();
    const now = this.clock.now();
    this.db.$client
      .transaction(() => {
        const row = this.db.select().from(paperOrders).where(eq(paperOrders.id, id)).get();
        if (!row) throw new BrokerError("NOT_FOUND", `order ${id} not found`, 404);
        if (!OPEN_STATUSES.has(row.status as OrderStatus)) reject(`order is already ${row.status}`);
        this.db.update(paperOrders).set({ status: "canceled", canceledAt: now, updatedAt: now }).where(eq(paperOrders.id, id)).run();
      })
      .immediate();
  }

  async listOrders(filter: OrderFilter): Promise<BrokerOrder[]> {
    this.sync();
    const conds: SQL[] = [];
    if (filter.status === "open") conds.push(inArray(paperOrders.status, OPEN));
    else if (filter.status === "closed") conds.push(notInArray(paperOrders.status, OPEN));
    if (filter.symbols && filter.symbols.length > 0) conds.push(inArray(paperOrders.symbol, filter.symbols.map((s) => s.toUpperCase())));
    // Alpaca: both bounds exclusive, on the submission time.
    if (filter.after !== undefined) conds.push(gt(paperOrders.submittedAt, filter.after));
    if (filter.until !== undefined) conds.push(lt(paperOrders.submittedAt, filter.until));
    const rows = this.db
      .select()
      .from(paperOrders)
      .where(conds.length > 0 ? and(...conds) : undefined)
      .orderBy(desc(paperOrders.submittedAt), desc(sql`rowid`))
      .limit(Number.isFinite(filter.limit) ? Math.max(0, Math.floor(filter.limit)) : 50)
      .all();
    return rows.map(toBrokerOrder);
  }

  async fills(after?: number): Promise<Fill[]> {
    this.sync();
    const rows = this.db
      .select()
      .from(paperFills)
      .where(after !== undefined ? gt(paperFills.t, after) : undefined)
      .orderBy(asc(paperFills.t), asc(sql`rowid`))
      .all();
    return rows.map((r) => ({ id: r.id, orderId: r.orderId, clientOrderId: r.clientOrderId, symbol: r.symbol, side: r.side as OrderSide, qty: r.qty, price: r.price, t: r.t }));
  }

  /**
   * Brings every open order up to `clock.now()`: walks the bars complete since it was last
   * looked at, records fills, triggers, water marks and expiries. Idempotent; every
   * public method calls it first.
   */
  sync(): void {
    const anyOpen = this.anyOpenQuery.get();
    if (!anyOpen) return;
    const now = this.clock.now();
    this.db.$client.transaction(() => this.syncInTransaction(now)).immediate();
  }

  // ---- sync -------------------------------------------------------------------

  private syncInTransaction(now: number): void {
    const rows = this.db.select().from(paperOrders).where(inArray(paperOrders.status, OPEN)).orderBy(asc(paperOrders.submittedAt), asc(sql`rowid`)).all();
    if (rows.length === 0) return;
    const cal = this.data.calendar;

    const fromBySymbol = new Map<string, number>();
    for (const r of rows) {
      const from = cal.startOfDay(cal.dateAt(Math.max(r.processedThrough + 1, r.submittedAt)));
      fromBySymbol.set(r.symbol, Math.min(fromBySymbol.get(r.symbol) ?? Infinity, from));
    }
    const barsBySymbol = new Map<string, SymbolBars>();
    for (const [symbol, from] of fromBySymbol) barsBySymbol.set(symbol, this.loadBars(symbol, from));

    const works: Work[] = rows.map((row, seq) => {
      const w: Work = {
        row: { ...row },
        seq,
        baseQty: row.filledQty,
        baseNotional: row.filledQty * (row.filledAvgPrice ?? 0),
        fills: [],
        notionalDone: false,
        clamped: false,
        dirty: false,
      };
      const bars = barsBySymbol.get(row.symbol)!;
      if (row.timeInForce === "opg" || row.timeInForce === "cls") this.processAuction(w, bars, now);
      else this.processContinuous(w, bars, now);
      return w;
    });

    this.applyFills(works);

    for (const w of works) {
      if (!w.dirty) continue;
      const kept = w.fills.filter((f) => !f.dropped);
      const o = w.row;
      if (kept.length > 0 || w.clamped) {
        const qty = roundQty(w.baseQty + kept.reduce((s, f) => s + f.qty, 0));
        const notional = w.baseNotional + kept.reduce((s, f) => s + f.qty * f.price, 0);
        o.filledQty = qty;
        o.filledAvgPrice = qty > 0 ? notional / qty : null;
      }
      if (w.clamped && OPEN_STATUSES.has(o.status as OrderStatus)) {
        // A notional sell asked for more shares than were left: it sold the whole position.
        const last = kept.at(-1)?.t ?? o.updatedAt;
        o.status = "filled";
        o.filledAt = last;
        o.updatedAt = last;
      }
      const { id, ...rest } = o;
      this.db.update(paperOrders).set(rest).where(eq(paperOrders.id, id)).run();
      for (const f of kept) {
        this.db.insert(paperFills).values({ id: f.id, orderId: o.id, clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, qty: f.qty, price: f.price, t: f.t }).run();
      }
    }
  }

  /** Fills from all orders, in time order, into positions, cash and realised P&L. */
  private applyFills(works: Work[]): void {
    const all = works
      .flatMap((w) => w.fills.map((f) => ({ w, f })))
      .sort((a, b) => a.f.t - b.f.t || a.w.seq - b.w.seq || a.f.seq - b.f.seq);
    if (all.length === 0) return;
    const acct = this.ensureAccount();
    let cash = acct.cash;
    let realized = acct.realizedPl;
    const positions = new Map<string, PositionRow>(this.db.select().from(paperPositions).all().map((p) => [p.symbol, { ...p }]));
    const touched = new Set<string>();
    for (const { w, f } of all) {
      const symbol = w.row.symbol;
      touched.add(symbol);
      const pos = positions.get(symbol);
      if (w.row.side === "buy") {
        if (pos) {
          const qty = roundQty(pos.qty + f.qty);
          pos.avgEntryPrice = (pos.qty * pos.avgEntryPrice + f.qty * f.price) / qty;
          pos.qty = qty;
        } else {
          positions.set(symbol, { symbol, qty: f.qty, avgEntryPrice: f.price, openedAt: f.t });
        }
        cash = roundCash(cash - f.qty * f.price);
      } else {
        const held = pos?.qty ?? 0;
        if (f.qty > held + EPS) {
          f.qty = floorQty(held);
          w.clamped = true;
        }
        if (!pos || f.qty <= 0) {
          f.dropped = true;
          continue;
        }
        realized = roundCash(realized + (f.price - pos.avgEntryPrice) * f.qty);
        cash = roundCash(cash + f.qty * f.price);
        pos.qty = roundQty(held - f.qty);
        if (pos.qty <= EPS) positions.delete(symbol);
      }
    }
    for (const symbol of touched) {
      const pos = positions.get(symbol);
      if (!pos) {
        this.db.delete(paperPositions).where(eq(paperPositions.symbol, symbol)).run();
        continue;
      }
      const { symbol: _key, ...rest } = pos;
      this.db.insert(paperPositions).values(pos).onConflictDoUpdate({ target: paperPositions.symbol, set: rest }).run();
    }
    this.db.update(paperAccount).set({ cash, realizedPl: realized }).where(eq(paperAccount.id, ACCOUNT_ID)).run();
  }

  /** Bars of a symbol from `fromT` to what is complete now, grouped by session date. */
  private loadBars(symbol: string, fromT: number): SymbolBars {
    const cal = this.data.calendar;
    const daily = new Map<string, Bar>();
    const minutes = new Map<string, Bar[]>();
    for (const b of this.fetchAll(symbol, "1Day", fromT)) daily.set(cal.dateAt(b.t), b);
    for (const b of this.fetchAll(symbol, "1Min", fromT)) {
      const date = cal.dateAt(b.t);
      const list = minutes.get(date);
      if (list) list.push(b);
      else minutes.set(date, [b]);
    }
    const dates = [...new Set([...daily.keys(), ...minutes.keys()])].sort();
    return { daily, minutes, dates };
  }

  private pageSize = 10_000;

  private fetchAll(symbol: string, timeframe: Timeframe, fromT: number): Bar[] {
    const out: Bar[] = [];
    let from = fromT;
    for (;;) {
      let page;
      try {
        page = this.data.getBars({ symbol, timeframe, from: new Date(from).toISOString(), limit: this.pageSize });
      } catch (err) {
        if (err instanceof ArgusError && err.code === "LIMIT_TOO_LARGE" && typeof err.details?.max === "number") {
          this.pageSize = err.details.max;
          continue;
        }
        if (err instanceof ArgusError && (err.code === "UNKNOWN_SYMBOL" || err.code === "NO_DATA")) return out;
        throw err;
      }
      out.push(...page.bars);
      const last = page.bars.at(-1);
      if (!page.truncated || !last) return out;
      from = last.t + 1;
    }
  }

  /** The bars an order sees in one session: its minutes in the window, else the daily bar. */
  private segment(bars: SymbolBars, s: TradingSession, extended: boolean): SegmentBar[] {
    const lo = extended ? s.preOpen : s.open;
    const hi = extended ? s.postClose : s.close;
    const mins = (bars.minutes.get(s.date) ?? []).filter((b) => b.t >= lo && b.t < hi);
    if (mins.length > 0) return mins.map((b) => ({ start: b.t, end: b.t + MINUTE, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, cursor: b.t }));
    const d = bars.daily.get(s.date);
    if (!d) return [];
    return [{ start: s.open, end: s.close, open: d.open, high: d.high, low: d.low, close: d.close, volume: d.volume, cursor: s.close - MINUTE }];
  }

  /** The session a day-type order belongs to and the instant it ends; null for gtc. */
  private deadlineOf(o: OrderRow): { session: TradingSession; t: number } | null {
    if (o.timeInForce === "gtc") return null;
    const s = this.sessionEndingAfter(o.submittedAt, o.extendedHours);
    return { session: s, t: o.extendedHours ? s.postClose : s.close };
  }

  /** The first session whose (regular, or post-market) close is after t. */
  private sessionEndingAfter(t: number, extended = false): TradingSession {
    const cal = this.data.calendar;
    const date = cal.dateAt(t);
    const s = cal.session(date);
    if (s && t < (extended ? s.postClose : s.close)) return s;
    return cal.session(cal.nextTradingDay(date))!;
  }

  /** The first session whose regular open is at or after t. */
  private sessionOpeningAtOrAfter(t: number): TradingSession {
    const cal = this.data.calendar;
    const date = cal.dateAt(t);
    const s = cal.session(date);
    if (s && t <= s.open) return s;
    return cal.session(cal.nextTradingDay(date))!;
  }

  private addFill(w: Work, qty: number, price: number, t: number): void {
    w.fills.push({ id: randomUUID(), qty, price, t, seq: w.fills.length, dropped: false });
  }

  private filledQty(w: Work): number {
    return roundQty(w.baseQty + w.fills.reduce((s, f) => s + f.qty, 0));
  }

  private remainingNotional(w: Work): number {
    return w.row.notional! - w.baseNotional - w.fills.reduce((s, f) => s + f.qty * f.price, 0);
  }

  private isComplete(w: Work): boolean {
    if (w.row.notional !== null) return w.notionalDone;
    return w.row.qty! - this.filledQty(w) <= EPS;
  }

  private isFractional(o: OrderRow): boolean {
    return o.notional !== null || !Number.isInteger(o.qty);
  }

  /** How much an order wants at `price` right now. */
  private wanted(w: Work, price: number): number {
    if (w.row.notional !== null) return floorQty(this.remainingNotional(w) / price);
    return roundQty(w.row.qty! - this.filledQty(w));
  }

  /** market, limit, stop, stop_limit, trailing_stop with day, gtc, ioc, fok. */
  private processContinuous(w: Work, bars: SymbolBars, now: number): void {
    const o = w.row;
    const cal = this.data.calendar;
    const deadline = this.deadlineOf(o);
    const state: TriggerState = {
      side: o.side as OrderSide,
      type: o.type as TriggerState["type"],
      limitPrice: o.limitPrice,
      stopPrice: o.stopPrice,
      trailPercent: o.trailPercent,
      trailPrice: o.trailPrice,
      hwm: o.hwm,
      triggered: o.triggeredAt !== null,
    };
    const firstDate = cal.dateAt(Math.max(o.processedThrough + 1, o.submittedAt));
    let open = true;
    for (const date of bars.dates) {
      if (!open) break;
      if (date < firstDate) continue;
      if (deadline && date > deadline.session.date) break;
      const s = cal.session(date);
      if (!s) continue;
      for (const bar of this.segment(bars, s, o.extendedHours)) {
        if (bar.start <= o.processedThrough || bar.start < o.submittedAt) continue;
        const wasTriggered = state.triggered;
        const hit = priceOnBar(state, bar, this.slippageBps);
        if (!wasTriggered && state.triggered) o.triggeredAt = hit && hit.atOpen ? bar.start : bar.end;
        o.processedThrough = bar.cursor;
        w.dirty = true;
        let filled = 0;
        let t = bar.end;
        if (hit) {
          t = hit.atOpen ? bar.start : bar.end;
          const want = this.wanted(w, hit.price);
          const cap = barCapacity(bar, this.participation, this.isFractional(o));
          filled = Math.min(want, cap);
          if (o.timeInForce === "fok" && filled < want - EPS) filled = 0;
          if (filled > 0) this.addFill(w, filled, hit.price, t);
          if (o.notional !== null && want <= cap) w.notionalDone = true;
        }
        if (this.isComplete(w)) {
          o.status = "filled";
          o.filledAt = t;
          o.updatedAt = t;
          open = false;
          break;
        }
        if (filled > 0) {
          o.status = "partially_filled";
          o.updatedAt = t;
        }
        if (o.timeInForce === "ioc" || o.timeInForce === "fok") {
          o.status = "canceled";
          o.canceledAt = bar.end;
          o.updatedAt = bar.end;
          open = false;
          break;
        }
      }
    }
    if (o.type === "trailing_stop") {
      o.hwm = state.hwm;
      o.stopPrice = state.stopPrice;
    }
    if (open && deadline && now >= deadline.t) {
      o.status = "expired";
      o.expiredAt = deadline.t;
      o.updatedAt = deadline.t;
      w.dirty = true;
    }
  }

  /** opg and cls: one shot at the opening or closing print of their session. */
  private processAuction(w: Work, bars: SymbolBars, now: number): void {
    const o = w.row;
    const opg = o.timeInForce === "opg";
    const s = opg ? this.sessionOpeningAtOrAfter(o.submittedAt) : this.sessionEndingAfter(o.submittedAt);
    const printT = opg ? s.open : s.close;
    if (now < printT) return;
    const mins = bars.minutes.get(s.date) ?? [];
    const minute = opg ? mins.find((b) => b.t === s.open) : mins.find((b) => b.t === s.close - MINUTE);
    const bar = minute ?? bars.daily.get(s.date);
    if (!bar) {
      if (now >= s.close) {
        Object.assign(o, { status: "expired", expiredAt: s.close, updatedAt: s.close, processedThrough: s.close - MINUTE });
        w.dirty = true;
      }
      return;
    }
    const price = auctionPrice({ side: o.side as OrderSide, type: o.type as TriggerState["type"], limitPrice: o.limitPrice }, opg ? bar.open : bar.close, this.slippageBps);
    if (price !== null) {
      const model: ModelBar = { start: printT, end: printT, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume };
      const want = this.wanted(w, price);
      const filled = Math.min(want, barCapacity(model, this.participation, this.isFractional(o)));
      if (filled > 0) this.addFill(w, filled, price, printT);
      if (o.notional !== null && filled >= want) w.notionalDone = true;
    }
    w.dirty = true;
    o.processedThrough = Math.max(o.processedThrough, opg ? s.open : s.close - MINUTE);
    o.updatedAt = printT;
    if (this.isComplete(w)) {
      o.status = "filled";
      o.filledAt = printT;
    } else {
      o.status = "expired";
      o.expiredAt = printT;
    }
  }

  // ---- validation -------------------------------------------------------------

  private validate(req: OrderRequest, now: number): typeof paperOrders.$inferInsert {
    if (!req || typeof req !== "object") reject("invalid order request");
    const side = req.side;
    const type = req.type;
    const tif = req.timeInForce;
    if (!ORDER_SIDES.includes(side)) reject(`invalid side "${String(side)}"`);
    if (!ORDER_TYPES.includes(type)) reject(`invalid order type "${String(type)}"`);
    if (!TIME_IN_FORCE.includes(tif)) reject(`invalid time_in_force "${String(tif)}"`);
    if (typeof req.symbol !== "string" || req.symbol.trim() === "") reject("symbol is required");

    const clientOrderId = req.clientOrderId === undefined || req.clientOrderId === "" ? randomUUID() : req.clientOrderId;
    if (typeof clientOrderId !== "string" || clientOrderId.length > 48) reject("client_order_id must be at most 48 characters");

    const qty = req.qty ?? null;
    const notional = req.notional ?? null;
    if (qty !== null && notional !== null) reject("qty and notional cannot both be specified");
    if (qty === null && notional === null) reject("qty or notional is required");
    if (qty !== null) {
      if (typeof qty !== "number" || !Number.isFinite(qty) || qty <= 0) reject("qty must be a positive number");
      if (Math.abs(roundQty(qty) - qty) > 1e-12) reject("qty may have at most 9 decimal places");
      if (!Number.isInteger(qty)) {
        if (tif !== "day") reject("fractional orders must be day orders");
        if (type === "trailing_stop") reject("fractional orders cannot be trailing stops");
      }
    }
    if (notional !== null) {
      if (typeof notional !== "number" || !Number.isFinite(notional) || notional <= 0) reject("notional must be a positive number");
      if (Math.abs(Math.round(notional * 100) / 100 - notional) > 1e-9) reject("notional may have at most 2 decimal places");
      if (type !== "market" || tif !== "day") reject("notional orders must be market orders with time_in_force day");
    }

    const limitPrice = req.limitPrice ?? null;
    const stopPrice = req.stopPrice ?? null;
    const trailPercent = req.trailPercent ?? null;
    const trailPrice = req.trailPrice ?? null;
    const checkPrice = (name: string, v: number): void => {
      if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) reject(`${name} must be a positive number`);
      if (!isOnTick(v)) reject(`invalid ${name} ${v}: sub-penny increment does not fulfill minimum pricing criteria`);
    };
    const usesLimit = type === "limit" || type === "stop_limit";
    const usesStop = type === "stop" || type === "stop_limit";
    if (usesLimit && limitPrice === null) reject(`limit_price is required for ${type} orders`);
    if (!usesLimit && limitPrice !== null) reject(`limit_price is not allowed for ${type} orders`);
    if (usesStop && stopPrice === null) reject(`stop_price is required for ${type} orders`);
    if (!usesStop && stopPrice !== null) reject(`stop_price is not allowed for ${type} orders`);
    if (limitPrice !== null) checkPrice("limit_price", limitPrice);
    if (stopPrice !== null) checkPrice("stop_price", stopPrice);
    if (type === "trailing_stop") {
      if ((trailPercent === null) === (trailPrice === null)) reject("trailing_stop orders need exactly one of trail_price and trail_percent");
      if (trailPercent !== null && !(typeof trailPercent === "number" && trailPercent > 0 && trailPercent < 100)) reject("trail_percent must be between 0 and 100");
      if (trailPrice !== null) checkPrice("trail_price", trailPrice);
    } else if (trailPercent !== null || trailPrice !== null) {
      reject(`trail_price and trail_percent are only for trailing_stop orders`);
    }
    if ((tif === "opg" || tif === "cls" || tif === "ioc" || tif === "fok") && type !== "market" && type !== "limit") {
      reject(`time_in_force ${tif} is only for market and limit orders`);
    }
    if (type === "trailing_stop" && tif !== "day" && tif !== "gtc") reject("trailing_stop orders must be day or gtc");
    const extendedHours = req.extendedHours === true;
    if (extendedHours && (type !== "limit" || tif !== "day")) reject("extended hours orders must be limit orders with time_in_force day");

    if (this.db.select({ id: paperOrders.id }).from(paperOrders).where(eq(paperOrders.clientOrderId, clientOrderId)).get()) {
      reject("client_order_id must be unique");
    }
    let symbol: string;
    try {
      symbol = this.data.requireSymbol(req.symbol.trim().toUpperCase()).symbol;
    } catch {
      reject(`asset "${req.symbol}" not found`);
    }
    const latest = this.latestPrice(symbol);

    if (side === "sell") {
      const held = this.db.select().from(paperPositions).where(eq(paperPositions.symbol, symbol)).get()?.qty ?? 0;
      const available = roundQty(held - this.reservedSellQty(symbol, latest));
      let requested: number;
      if (qty !== null) requested = qty;
      else if (latest !== null) requested = notional! / latest;
      else reject(`no price for ${symbol} to size a notional sell`);
      if (requested > available + EPS) {
        reject(`insufficient qty available for order (requested: ${roundQty(requested)}, available: ${Math.max(0, available)})`);
      }
    } else {
      const estimate = this.estimateBuyPrice({ type, limitPrice, stopPrice, trailPercent, trailPrice }, latest);
      const cost = notional ?? (estimate === null ? null : qty! * estimate);
      if (cost === null) reject(`no price for ${symbol} to estimate the order's cost`);
      const buyingPower = this.ensureAccount().cash - this.reservedBuyCost();
      if (cost > buyingPower + EPS) {
        reject(`insufficient buying power (required: ${cost.toFixed(2)}, available: ${Math.max(0, buyingPower).toFixed(2)})`);
      }
    }

    const hwm = type === "trailing_stop" ? latest : null;
    const trailingStopPrice = type === "trailing_stop" && hwm !== null ? trailingStop(side, hwm, trailPercent, trailPrice) : stopPrice;
    return {
      id: randomUUID(),
      clientOrderId,
      symbol,
      side,
      type,
      timeInForce: tif,
      qty,
      notional,
      filledQty: 0,
      filledAvgPrice: null,
      limitPrice,
      stopPrice: trailingStopPrice,
      trailPercent,
      trailPrice,
      hwm,
      triggeredAt: null,
      status: "new",
      extendedHours,
      createdAt: now,
      submittedAt: now,
      updatedAt: now,
      filledAt: null,
      canceledAt: null,
      expiredAt: null,
      failedAt: null,
      rejectReason: null,
      processedThrough: now - 1,
    };
  }

  // ---- money ------------------------------------------------------------------

  private ensureAccount(): typeof paperAccount.$inferSelect {
    const row = this.accountQuery.get();
    if (row) return row;
    const created = { id: ACCOUNT_ID, cash: this.startingCash, startingCash: this.startingCash, realizedPl: 0, createdAt: this.clock.now() };
    this.db.insert(paperAccount).values(created).onConflictDoNothing().run();
    return this.db.select().from(paperAccount).where(eq(paperAccount.id, ACCOUNT_ID)).get()!;
  }

  private latestPrice(symbol: string): number | null {
    try {
      return this.data.latestPrice(symbol).price;
    } catch {
      return null;
    }
  }

  /** What one share of a buy is expected to cost, for buying power; null without a price. */
  private estimateBuyPrice(o: { type: string; limitPrice: number | null; stopPrice: number | null; trailPercent: number | null; trailPrice: number | null }, latest: number | null): number | null {
    const slip = 1 + this.slippageBps / 1e4;
    switch (o.type) {
      case "limit":
      case "stop_limit":
        return o.limitPrice;
      case "stop":
        return Math.max(o.stopPrice!, latest ?? 0) * slip;
      case "trailing_stop":
        return latest === null ? null : trailingStop("buy", latest, o.trailPercent, o.trailPrice) * slip;
      default:
        return latest === null ? null : latest * slip;
    }
  }

  /** Cost still reserved by open buy orders (their unfilled part at its estimated price). */
  private reservedBuyCost(): number {
    const open = this.openBuysQuery.all();
    const prices = new Map<string, number | null>();
    let total = 0;
    for (const o of open) {
      if (o.notional !== null) {
        total += Math.max(0, o.notional - o.filledQty * (o.filledAvgPrice ?? 0));
        continue;
      }
      if (!prices.has(o.symbol)) prices.set(o.symbol, this.latestPrice(o.symbol));
      const latest = prices.get(o.symbol) ?? null;
      const estimate =
        o.type === "trailing_stop" && o.stopPrice !== null
          ? o.stopPrice * (1 + this.slippageBps / 1e4)
          : (this.estimateBuyPrice(o, latest) ?? o.stopPrice ?? o.filledAvgPrice ?? 0);
      total += Math.max(0, o.qty! - o.filledQty) * estimate;
    }
    return total;
  }

  /** Shares of a symbol already promised to open sell orders. */
  private reservedSellQty(symbol: string, latest: number | null): number {
    const open = this.db.select().from(paperOrders).where(and(inArray(paperOrders.status, OPEN), eq(paperOrders.side, "sell"), eq(paperOrders.symbol, symbol))).all();
    let total = 0;
    for (const o of open) {
      if (o.notional !== null) {
        const left = Math.max(0, o.notional - o.filledQty * (o.filledAvgPrice ?? 0));
        total += latest ? left / latest : 0;
      } else {
        total += Math.max(0, o.qty! - o.filledQty);
      }
    }
    return total;
  }

  private valuedPositions(): Position[] {
    const rows = this.positionsQuery.all();
    return rows.map((p) => {
      let currentPrice = p.avgEntryPrice;
      let priceAsOf = p.openedAt;
      try {
        const lp = this.data.latestPrice(p.symbol);
        currentPrice = lp.price;
        priceAsOf = lp.asOf;
      } catch {
        // No visible price: value at cost, dated when the position opened.
      }
      const costBasis = p.qty * p.avgEntryPrice;
      const marketValue = p.qty * currentPrice;
      const unrealizedPl = marketValue - costBasis;
      return {
        symbol: p.symbol,
        qty: p.qty,
        side: "long" as const,
        avgEntryPrice: p.avgEntryPrice,
        costBasis,
        currentPrice,
        priceAsOf,
        marketValue,
        unrealizedPl,
        unrealizedPlpc: costBasis > 0 ? unrealizedPl / costBasis : 0,
      };
    });
  }

  /** The session before the current trading day (or the last closed one on a non-trading day). */
  private previousSession(now: number): TradingSession {
    const cal = this.data.calendar;
    const today = cal.dateAt(now);
    const date = cal.session(today) ? cal.previousTradingDay(today) : cal.lastClosedSession(now).date;
    return cal.session(date)!;
  }

  /**
   * Equity at the previous session's close: today's book rolled back by the fills since
   * that close, valued at the daily closes at or before it (then a 1Min close, then the
   * last fill price).
   */
  private lastEquity(cash: number, now: number): number {
    const prev = this.previousSession(now);
    const close = prev.close;
    const held = new Map<string, number>(this.positionsQuery.all().map((p) => [p.symbol, p.qty]));
    let c = cash;
    for (const f of this.fillsAfterQuery.all({ after: close })) {
      const sign = f.side === "buy" ? 1 : -1;
      c += sign * f.qty * f.price;
      held.set(f.symbol, (held.get(f.symbol) ?? 0) - sign * f.qty);
    }
    let value = 0;
    for (const [symbol, qty] of held) {
      if (Math.abs(qty) <= EPS) continue;
      value += qty * this.closeAt(symbol, prev);
    }
    return roundCash(c + value);
  }

  private closeAt(symbol: string, s: TradingSession): number {
    try {
      const d = this.data.getBars({ symbol, timeframe: "1Day", to: s.date, limit: 1 }).bars[0];
      if (d) return d.close;
      const m = this.data.getBars({ symbol, timeframe: "1Min", to: new Date(s.close - 1).toISOString(), limit: 1 }).bars[0];
      if (m) return m.close;
    } catch {
      // fall through to the last fill
    }
    const f = this.db.select().from(paperFills).where(and(eq(paperFills.symbol, symbol), lte(paperFills.t, s.close))).orderBy(desc(paperFills.t)).limit(1).get();
    return f?.price ?? 0;
  }

  /**
   * Day trades in the last 5 sessions (the current one included): a sell order filled
   * after a buy of the same symbol in the same session counts once.
   */
  private daytradeCount(now: number): number {
    const cal = this.data.calendar;
    const today = cal.dateAt(now);
    let date = cal.session(today) ? today : cal.lastClosedSession(now).date;
    for (let i = 0; i < 4; i++) date = cal.previousTradingDay(date);
    const fills = this.fillsAfterQuery.all({ after: cal.startOfDay(date) - 1 });
    const bought = new Set<string>();
    const counted = new Set<string>();
    for (const f of fills) {
      const key = `${cal.dateAt(f.t)}\u0000${f.symbol}`;
      if (f.side === "buy") bought.add(key);
      else if (bought.has(key)) counted.add(f.orderId);
    }
    return counted.size;
  }
}

function toBrokerOrder(r: OrderRow): BrokerOrder {
  return {
    id: r.id,
    clientOrderId: r.clientOrderId,
    symbol: r.symbol,
    side: r.side as OrderSide,
    type: r.type as BrokerOrder["type"],
    timeInForce: r.timeInForce as BrokerOrder["timeInForce"],
    qty: r.qty,
    notional: r.notional,
    filledQty: r.filledQty,
    filledAvgPrice: r.filledAvgPrice,
    limitPrice: r.limitPrice,
    stopPrice: r.stopPrice,
    trailPercent: r.trailPercent,
    trailPrice: r.trailPrice,
    hwm: r.hwm,
    status: r.status as OrderStatus,
    extendedHours: r.extendedHours,
    createdAt: r.createdAt,
    submittedAt: r.submittedAt,
    updatedAt: r.updatedAt,
    filledAt: r.filledAt,
    canceledAt: r.canceledAt,
    expiredAt: r.expiredAt,
    failedAt: r.failedAt,
    rejectReason: r.rejectReason,
  };
}
