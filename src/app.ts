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
import { AuditLog } from "./audit/audit-log.js";
import { createBroker } from "./execution/broker-factory.js";
import { FillAudit } from "./execution/fill-audit.js";
import { ExecutionManager } from "./execution/execution-manager.js";
import { resolveMode } from "./execution/mode.js";
import { ProposalStore } from "./execution/proposal-store.js";
import { RiskFirewall } from "./risk/firewall.js";
import { loadLimits, type RiskLimits } from "./risk/limits.js";
import { EquityMarks, TradingStateStore } from "./risk/state-store.js";
import { SecClient } from "./edgar/client/sec-client.js";
import { EdgarManager } from "./edgar/edgar-manager.js";
import { priceFromBars } from "./edgar/price-at.js";
import { BacktestManager } from "./backtest/backtest-manager.js";
import { BacktestStore } from "./backtest/backtest-store.js";

/** Everything a surface needs, built once: the composition root (DESIGN §2). */
export interface App {
  config: ArgusConfig;
  clock: Clock;
  logger: Logger;
  db: Db;
  data: DataManager;
  analysis: AnalysisEngine;
  execution: ExecutionManager;
  edgar: EdgarManager;
  audit: AuditLog;
  /** Replays strategies over history in isolated run apps and stores their reports. */
  backtest: BacktestManager;
  /** The risk limits in force, re-read from disk each time (a human may edit them while Argus runs). */
  limits(): RiskLimits;
  close(): void;
}

export interface CreateAppOptions {
  clock?: Clock;
  logger?: Logger;
  /** Load the synthetic demo dataset when it is missing (default: config.data.demo). */
  loadDemo?: boolean;
  /**
   * Fixed risk limits instead of the human-edited files under ARGUS_HOME. Only a
   * backtest's own, isolated app uses this: it replays with the limits its report states.
   */
  limits?: RiskLimits;
}

export function createApp(config: ArgusConfig, opts: CreateAppOptions = {}): App {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? (config.clock.at ? new BacktestClock(Date.parse(config.clock.at)) : new RealClock());
  const db = openDatabase({ path: databasePath(config), synchronous: config.database.synchronous });
  const calendar = new NyseCalendar();
  const data = new DataManager(new BarsStore(db, { cacheBars: config.data.cacheBars }), calendar, clock, config.data, logger);
  if (opts.loadDemo ?? config.data.demo) data.ensureDemoData();
  const audit = new AuditLog(db, clock);
  const analysis = new AnalysisEngine(data, new AnalysisLog(db), clock, config.analysis, lazyProbabilitySource(config.analysis.modelPath, logger), logger, audit);
  const mode = resolveMode(config.execution);
  const fixedLimits = opts.limits;
  const limits = fixedLimits ? () => fixedLimits : () => loadLimits(config.home);
  const broker = createBroker(config, mode, { db, data, clock, logger });
  const execution = new ExecutionManager(
    broker,
    new RiskFirewall(),
    new ProposalStore(db),
    new TradingStateStore(db, clock),
    new EquityMarks(db),
    audit,
    data,
    clock,
    mode,
    limits,
    config.analysis.regime,
    logger,
    new FillAudit(db, audit, broker),
  );
  // No User-Agent is not an error here: Argus runs without SEC access, and each EDGAR
  // tool answers SEC_USER_AGENT_REQUIRED until one is configured.
  const edgar = new EdgarManager(new SecClient(config.edgar, { db, clock, logger }), clock, logger, {
    worker: config.edgar.worker,
    cachedCompanies: config.edgar.cachedCompanies,
    prices: priceFromBars(data),
  });
  const app: App = {
    config,
    clock,
    logger,
    db,
    data,
    analysis,
    execution,
    edgar,
    audit,
    limits,
    // Assigned below: the manager builds run apps from this one.
    backtest: undefined as unknown as BacktestManager,
    close: () => {
      edgar.close();
      db.$client.close();
    },
  };
  app.backtest = new BacktestManager(app, new BacktestStore(db), logger);
  return app;
}
