import { and, asc, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { bars, symbols, type NewSymbolRow, type SymbolRow } from "../db/schema.js";
import type { Bar } from "./bar.js";
import type { Timeframe } from "./timeframes.js";

export interface BarQuery {
  symbol: string;
  timeframe: Timeframe;
  /** Inclusive bounds on the bar start, epoch ms. */
  fromT?: number;
  toT?: number;
  limit: number;
  /** "first": the earliest `limit` bars from `fromT`; "last": the latest `limit` bars up to `toT`. */
  anchor: "first" | "last";
}

export interface UpsertResult {
  inserted: number;
  updated: number;
}

export interface TimeframeCoverage {
  timeframe: Timeframe;
  count: number;
  firstT: number;
  lastT: number;
}

// SQLite allows 32,766 bound parameters; 9 per bar row keeps a chunk well inside it.
const UPSERT_CHUNK = 2_000;

/** Persistence for symbols and bars. The DataManager is its only caller. */
export class BarsStore {
  constructor(private readonly db: Db) {}

  /** Runs `fn` in one transaction; nested store writes become savepoints inside it. */
  transaction<T>(fn: () => T): T {
    return this.db.$client.transaction(fn)();
  }

  upsertSymbol(row: NewSymbolRow): void {
    const { symbol: _key, ...rest } = row;
    this.db.insert(symbols).values(row).onConflictDoUpdate({ target: symbols.symbol, set: rest }).run();
  }

  getSymbol(symbol: string): SymbolRow | undefined {
    return this.db.select().from(symbols).where(eq(symbols.symbol, symbol)).get();
  }

  listSymbols(): SymbolRow[] {
    return this.db.select().from(symbols).orderBy(asc(symbols.symbol)).all();
  }

  /** Count, first and last bar per timeframe for every symbol, in one pass. */
  coverage(): Map<string, TimeframeCoverage[]> {
    const rows = this.db
      .select({
        symbol: bars.symbol,
        timeframe: bars.timeframe,
        count: sql<number>`count(*)`,
        firstT: sql<number>`min(${bars.ts})`,
        lastT: sql<number>`max(${bars.ts})`,
      })
      .from(bars)
      .groupBy(bars.symbol, bars.timeframe)
      .all();
    const out = new Map<string, TimeframeCoverage[]>();
    for (const r of rows) {
      const list = out.get(r.symbol) ?? [];
      list.push({ timeframe: r.timeframe as Timeframe, count: r.count, firstT: r.firstT, lastT: r.lastT });
      out.set(r.symbol, list);
    }
    return out;
  }

  /**
   * Inserts or replaces bars by (symbol, timeframe, start): importing the same file
   * twice leaves one copy. Runs in one transaction, so a failure writes nothing.
   */
  upsertBars(symbol: string, timeframe: Timeframe, rows: readonly Bar[]): UpsertResult {
    return this.db.transaction((tx) => {
      const before = this.countIn(tx, symbol, timeframe);
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
        const chunk = rows.slice(i, i + UPSERT_CHUNK).map((b) => ({
          symbol,
          timeframe,
          ts: b.t,
          open: b.open,
          high: b.high,
          low: b.low,
          close: b.close,
          volume: b.volume,
          adjClose: b.adjClose ?? null,
        }));
        tx.insert(bars)
          .values(chunk)
          .onConflictDoUpdate({
            target: [bars.symbol, bars.timeframe, bars.ts],
            set: {
              open: sql`excluded.open`,
              high: sql`excluded.high`,
              low: sql`excluded.low`,
              close: sql`excluded.close`,
              volume: sql`excluded.volume`,
              adjClose: sql`excluded.adj_close`,
            },
          })
          .run();
      }
      const inserted = this.countIn(tx, symbol, timeframe) - before;
      return { inserted, updated: rows.length - inserted };
    });
  }

  private countIn(db: Pick<Db, "select">, symbol: string, timeframe: Timeframe): number {
    const row = db
      .select({ n: sql<number>`count(*)` })
      .from(bars)
      .where(and(eq(bars.symbol, symbol), eq(bars.timeframe, timeframe)))
      .get();
    return row?.n ?? 0;
  }

  /** Bars in ascending time order. */
  query(q: BarQuery): Bar[] {
    const conds = [eq(bars.symbol, q.symbol), eq(bars.timeframe, q.timeframe)];
    if (q.fromT !== undefined) conds.push(gte(bars.ts, q.fromT));
    if (q.toT !== undefined) conds.push(lte(bars.ts, q.toT));
    const rows = this.db
      .select({ t: bars.ts, open: bars.open, high: bars.high, low: bars.low, close: bars.close, volume: bars.volume, adjClose: bars.adjClose })
      .from(bars)
      .where(and(...conds))
      .orderBy(q.anchor === "first" ? asc(bars.ts) : desc(bars.ts))
      .limit(q.limit)
      .all();
    if (q.anchor === "last") rows.reverse();
    return rows;
  }

  /** Whether any bar exists for the symbol and timeframe at or before `toT`. */
  lastBarAtOrBefore(symbol: string, timeframe: Timeframe, toT: number): Bar | undefined {
    return this.query({ symbol, timeframe, toT, limit: 1, anchor: "last" })[0];
  }

  countSymbolsBySource(source: string): number {
    const row = this.db.select({ n: sql<number>`count(*)` }).from(symbols).where(eq(symbols.source, source)).get();
    return row?.n ?? 0;
  }
}
