import { createHash } from "node:crypto";
import { createApp, type App } from "../app.js";
import { BacktestClock } from "../core/clock.js";
import type { ArgusConfig } from "../core/config.js";
import type { Logger } from "../core/logger.js";
import type { RiskLimits } from "../risk/limits.js";

/**
 * A backtest runs inside its own App: a BacktestClock, an in-memory database holding a
 * copy of exactly the bars it may read, and a paper broker. Nothing it does — analyses,
 * proposals, approvals by the recorded policy, fills, state changes — can touch the
 * user's book, analysis log or broker; only the finished report is written back.
 */
export interface RunApp {
  app: App;
  clock: BacktestClock;
  /** SHA-256 over the copied symbols and bars (see copyBars). */
  dataHash: string;
  barsCopied: number;
}

export interface RunAppRequest {
  symbols: readonly string[];
  /** Timeframes to copy, each from its own first instant. */
  ranges: { timeframe: "1Day" | "1Min"; fromT: number; toT: number }[];
  startAt: number;
  limits: RiskLimits;
  paper: { startingCash: number; slippageBps: number; participation: number };
}

type BarRow = [string, string, number, number, number, number, number, number, number | null];

export function createRunApp(source: App, req: RunAppRequest, logger: Logger): RunApp {
  const config: ArgusConfig = {
    ...source.config,
    database: { ...source.config.database, path: ":memory:", synchronous: "OFF" },
    data: { ...source.config.data, demo: false },
    clock: { ...source.config.clock, at: undefined },
    // A run's fundamentals come through the same SEC client rules; one run needs no worker thread.
    edgar: { ...source.config.edgar, worker: false },
    execution: { ...source.config.execution, mode: "paper", broker: "paper", paper: req.paper },
  };
  const clock = new BacktestClock(req.startAt);
  const app = createApp(config, { clock, logger, loadDemo: false, limits: req.limits });
  try {
    const { dataHash, barsCopied } = copyBars(source, app, req);
    return { app, clock, dataHash, barsCopied };
  } catch (err) {
    app.close();
    throw err;
  }
}

/**
 * Copies symbol rows and bars from the user's database into the run's, in one
 * transaction, hashing exactly what was copied: symbol rows (symbol, sector, source) in
 * the given order, then each (symbol, timeframe) series in time order as little-endian
 * float64 (t, open, high, low, close, volume). The same request over the same stored
 * bars gives the same hash, whatever else the database holds.
 */
function copyBars(source: App, run: App, req: RunAppRequest): { dataHash: string; barsCopied: number } {
  const src = source.db.$client;
  const dst = run.db.$client;
  const hash = createHash("sha256");
  const symbolRow = src.prepare("select symbol, name, sector, exchange, asset_class, source, synthetic, source_note, updated_at from symbols where symbol = ?").raw();
  const insertSymbol = dst.prepare("insert into symbols (symbol, name, sector, exchange, asset_class, source, synthetic, source_note, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const selectBars = src.prepare("select symbol, timeframe, ts, open, high, low, close, volume, adj_close from bars where symbol = ? and timeframe = ? and ts >= ? and ts <= ? order by ts").raw();
  const insertBar = dst.prepare("insert into bars (symbol, timeframe, ts, open, high, low, close, volume, adj_close) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  let barsCopied = 0;
  dst.transaction(() => {
    for (const symbol of req.symbols) {
      const row = symbolRow.get(symbol) as unknown[] | undefined;
      if (!row) continue;
      insertSymbol.run(...row);
      hash.update(JSON.stringify([row[0], row[2], row[5], row[6]]));
      for (const r of req.ranges) {
        const rows = selectBars.all(symbol, r.timeframe, r.fromT, r.toT) as BarRow[];
        hash.update(`|${symbol}|${r.timeframe}|${rows.length}|`);
        const buf = new Float64Array(rows.length * 6);
        for (let i = 0; i < rows.length; i++) {
          const b = rows[i]!;
          insertBar.run(...b);
          buf[i * 6] = b[2];
          buf[i * 6 + 1] = b[3];
          buf[i * 6 + 2] = b[4];
          buf[i * 6 + 3] = b[5];
          buf[i * 6 + 4] = b[6];
          buf[i * 6 + 5] = b[7];
        }
        hash.update(Buffer.from(buf.buffer));
        barsCopied += rows.length;
      }
    }
  })();
  return { dataHash: hash.digest("hex"), barsCopied };
}
