import type Database from "better-sqlite3";
import type { AuditEntry, AuditLog } from "../audit/audit-log.js";
import { toExchangeIso } from "../data/calendar/zone.js";
import type { Db } from "../db/connection.js";
import type { Broker, BrokerOrder, Fill } from "./types.js";

const DAY = 24 * 3_600_000;
/**
 * How long after its own timestamp a fill may first show up at the broker, so each look
 * starts this far behind the newest fill already audited. Fill times are not the order in
 * which fills appear: the paper broker stamps a fill at a daily bar's opening print
 * (09:30) but can only know it once that bar is complete (16:00), while minute-bar fills
 * of other symbols appear within a minute; bars imported late (after a weekend away)
 * produce fills days in the past. Alpaca reports fills as they happen, give or take its lag.
 */
const LOOKBACK_MS: Record<Broker["name"], number> = { paper: 7 * DAY, alpaca: DAY };
/** Before the first audited fill, look from the audit log's first row less this (clocks may disagree). */
const CLOCK_SKEW_MS = 10 * 60_000;
const QTY_EPS = 1e-6;

/**
 * Writes each broker fill to the audit log once: `order.filled` for the fill that
 * completed its order, `order.partially_filled` for any other; actor "system", channel
 * "broker", subject the fill's client order id (the proposal id, for Argus's orders).
 *
 * The `audited_fills` ledger says which fills are done. Its primary key is inserted in
 * the same IMMEDIATE transaction as the audit row, so two processes auditing at once
 * (the server's watcher and a CLI) never write a fill twice; fills sharing a timestamp
 * are told apart by id.
 */
export class FillAudit {
  private readonly newestStmt: Database.Statement<[], { t: number | null }>;
  private readonly knownStmt: Database.Statement<[string], { one: number }>;
  private readonly insertStmt: Database.Statement<[string, number]>;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly broker: Broker,
  ) {
    const client = db.$client;
    this.newestStmt = client.prepare(`SELECT max(t) AS t FROM audited_fills`);
    this.knownStmt = client.prepare(`SELECT 1 AS one FROM audited_fills WHERE fill_id = ?`);
    this.insertStmt = client.prepare(`INSERT OR IGNORE INTO audited_fills (fill_id, t) VALUES (?, ?)`);
  }

  /** Audits the fills not audited yet, oldest first; returns how many rows it wrote. */
  async run(): Promise<number> {
    const since = this.windowStart();
    const fills = await this.broker.fills(since === undefined ? undefined : since - 1);
    const fresh = fills.filter((f) => this.knownStmt.get(f.id) === undefined);
    if (fresh.length === 0) return 0;
    const orders = new Map<string, BrokerOrder>();
    for (const f of fresh) if (!orders.has(f.orderId)) orders.set(f.orderId, await this.broker.getOrder(f.orderId));
    const entries = fillEntries(fills, new Set(fresh.map((f) => f.id)), orders, since);
    return this.db.$client
      .transaction(() => {
        // Another process may have audited some meanwhile: the ledger's key decides, under the write lock.
        const written = entries.filter((e) => this.insertStmt.run(e.fill.id, e.fill.t).changes === 1);
        this.audit.appendMany(written.map((e) => e.entry));
        return written.length;
      })
      .immediate();
  }

  /** Where to ask the broker from; undefined: from the beginning (an empty log). */
  private windowStart(): number | undefined {
    const newest = this.newestStmt.get()?.t ?? null;
    if (newest !== null) return newest - LOOKBACK_MS[this.broker.name];
    // Nothing audited yet: fills from before the log began cannot be Argus's orders.
    const [first] = this.audit.after(0, 1);
    return first ? first.ts - CLOCK_SKEW_MS : undefined;
  }
}

/**
 * One audit entry per fresh fill, oldest first. A fill completes its order when the order
 * is now filled, it is the order's last fill in `fills`, and (when the order was placed
 * inside the window, so all its fills are in `fills`) they add up to the order's filled
 * quantity: a fill that lands between the two broker calls makes the earlier one a
 * partial fill, not a second completion.
 */
function fillEntries(fills: readonly Fill[], fresh: ReadonlySet<string>, orders: ReadonlyMap<string, BrokerOrder>, since: number | undefined): { fill: Fill; entry: AuditEntry }[] {
  const last = new Map<string, Fill>();
  const qty = new Map<string, number>();
  for (const f of fills) {
    last.set(f.orderId, f);
    qty.set(f.orderId, (qty.get(f.orderId) ?? 0) + f.qty);
  }
  const ordered = fills.map((f, i) => ({ f, i })).sort((a, b) => a.f.t - b.f.t || a.i - b.i);
  const out: { fill: Fill; entry: AuditEntry }[] = [];
  for (const { f } of ordered) {
    const order = orders.get(f.orderId);
    if (!fresh.has(f.id) || !order) continue;
    const isLast = last.get(f.orderId) === f;
    const allFillsKnown = since === undefined || order.submittedAt >= since;
    const completes = isLast && order.status === "filled" && (!allFillsKnown || Math.abs(qty.get(f.orderId)! - order.filledQty) <= QTY_EPS * Math.max(1, order.filledQty));
    const status = completes ? "filled" : isLast && order.status !== "filled" ? order.status : "partially_filled";
    out.push({
      fill: f,
      entry: {
        kind: completes ? "order.filled" : "order.partially_filled",
        actor: "system",
        channel: "broker",
        subject: f.clientOrderId,
        payload: { fillId: f.id, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, time: toExchangeIso(f.t), status },
      },
    });
  }
  return out;
}
