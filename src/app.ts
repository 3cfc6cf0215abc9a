import { BacktestClock, RealClock, type Clock } from "./core/clock.js";
import { databasePath, type ArgusConfig } from "./core/config.js";
import { createLogger, type Logger } from "./core/logger.js";
import { openDatabase, type Db } from "./db/connection.js";
import { BarsStore } from "./data/bars-store.js";
import { NyseCalendar } from "./data/calendar/nyse-calendar.js";
import { DataManager } from "./data/data-manager.js";
import { AnalysisEngine } from "./analysis/analysis-engine.js";
import { AnalysisLog } from "./analysis/analysis-log.js";
import { lazyProbabilitySource } from "./analysis/model/probability-source.js";

/** Everything a surface needs, built once: the composition root (DESIGN §2). */
export interface App {
  config: ArgusConfig;
  clock: Clock;
  logger: Logger;
  db: Db;
  data: DataManager;
  analysis: AnalysisEngine;
  close(): void;
}

export interface CreateAppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Load the synthetic demo dataset when it is missing (default: config.data.demo). */
  loadDemo?: boolean;
}

export function createApp(config: ArgusConfig, opts: CreateAppOptions = {}): App {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? (config.clock.at ? new BacktestClock(Date.parse(config.clock.at)) : new RealClock());
  const db = openDatabase({ path: databasePath(config), synchronous: config.database.synchronous });
  const calendar = new NyseCalendar();
  const data = new DataManager(new BarsStore(db, { cacheBars: config.data.cacheBars }), calendar, clock, config.data, logger);
  if (opts.loadDemo ?? config.data.demo) data.ensureDemoData();
  const analysis = new AnalysisEngine(data, new AnalysisLog(db), clock, config.analysis, lazyProbabilitySource(config.analysis.modelPath, logger), logger);
  return {
    config,
    clock,
    logger,
    db,
    data,
    analysis,
    close: () => db.$client.close(),
  };
}
