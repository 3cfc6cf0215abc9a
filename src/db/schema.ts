import { blob, index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Schema. Change it here, then `npm run db:generate` writes the next migration into
 * src/db/migrations (committed); migrations apply automatically at start.
 */

export const symbols = sqliteTable("symbols", {
  symbol: text("symbol").primaryKey(),
  name: text("name"),
  /** GICS-style sector name; the risk firewall's concentration check groups by it. */
  sector: text("sector"),
  exchange: text("exchange"),
  assetClass: text("asset_class").notNull().default("us_equity"),
  /** Where the bars came from: "synthetic-demo", "csv", "alpaca", ... */
  source: text("source").notNull(),
  /** True for generated data. Every answer built on such bars says so. */
  synthetic: integer("synthetic", { mode: "boolean" }).notNull().default(false),
  /** Free text about the source (file name, generator seed), shown next to the data. */
  sourceNote: text("source_note"),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * OHLCV bars. `ts` is the bar's START in epoch milliseconds UTC (Alpaca's convention);
 * a 1Day bar starts at 00:00 America/New_York of its session date.
 */
export const bars = sqliteTable(
  "bars",
  {
    symbol: text("symbol").notNull().references(() => symbols.symbol, { onDelete: "cascade" }),
    timeframe: text("timeframe").notNull(),
    ts: integer("ts").notNull(),
    open: real("open").notNull(),
    high: real("high").notNull(),
    low: real("low").notNull(),
    close: real("close").notNull(),
    volume: real("volume").notNull(),
    /** Split- and dividend-adjusted close when the source has one (Yahoo's Adj Close). */
    adjClose: real("adj_close"),
  },
  (t) => [
    primaryKey({ columns: [t.symbol, t.timeframe, t.ts] }),
    index("bars_timeframe_ts").on(t.timeframe, t.ts),
  ],
);

export type SymbolRow = typeof symbols.$inferSelect;
export type NewSymbolRow = typeof symbols.$inferInsert;
export type BarRow = typeof bars.$inferSelect;
export type NewBarRow = typeof bars.$inferInsert;


/**
 * The analysis log (DESIGN §7): one row per analyze call, with everything needed to
 * explain it later and to score it once its horizon has passed. JSON columns hold the
 * indicator values, votes and weights exactly as they were used.
 */
export const analyses = sqliteTable(
  "analyses",
  {
    id: text("id").primaryKey(),
    createdAt: integer("created_at").notNull(),
    clockKind: text("clock_kind").notNull(),
    symbol: text("symbol").notNull(),
    timeframe: text("timeframe").notNull(),
    /** The instant the analysis speaks for (the Clock's now). */
    asOf: integer("as_of").notNull(),
    barFrom: integer("bar_from").notNull(),
    barTo: integer("bar_to").notNull(),
    barCount: integer("bar_count").notNull(),
    /** SHA-256 of the bars used (t, open, high, low, close, volume). */
    dataHash: text("data_hash").notNull(),
    dataSource: text("data_source").notNull(),
    synthetic: integer("synthetic", { mode: "boolean" }).notNull(),
    indicators: text("indicators", { mode: "json" }).notNull(),
    votes: text("votes", { mode: "json" }).notNull(),
    weights: text("weights", { mode: "json" }).notNull(),
    weightSetId: text("weight_set_id"),
    regime: text("regime").notNull(),
    regimeDetail: text("regime_detail", { mode: "json" }).notNull(),
    probability: real("probability"),
    modelVersion: text("model_version"),
    decision: text("decision").notNull(),
    confidence: real("confidence").notNull(),
    ensembleScore: real("ensemble_score").notNull(),
    entry: real("entry").notNull(),
    stop: real("stop"),
    targets: text("targets", { mode: "json" }).notNull(),
    riskReward: real("risk_reward"),
    rationale: text("rationale").notNull(),
    horizonDays: integer("horizon_days").notNull(),
    // Filled when a language model took part (the agent); null for tool-only analyses.
    llmProvider: text("llm_provider"),
    llmModel: text("llm_model"),
    llmPrompt: text("llm_prompt"),
    llmResponse: text("llm_response"),
    llmInputTokens: integer("llm_input_tokens"),
    llmOutputTokens: integer("llm_output_tokens"),
    llmLatencyMs: integer("llm_latency_ms"),
    llmCostUsd: real("llm_cost_usd"),
    // Filled by score_outcomes once the horizon has passed.
    scoredAt: integer("scored_at"),
    exitTime: integer("exit_time"),
    exitPrice: real("exit_price"),
    realizedReturn: real("realized_return"),
    outcome: text("outcome"),
    successScore: real("success_score"),
  },
  (t) => [index("analyses_symbol_as_of").on(t.symbol, t.asOf), index("analyses_scored").on(t.scoredAt)],
);

/** Ensemble weights per regime, as optimize_weights recorded them; the newest set per regime is in force. */
export const weightSets = sqliteTable(
  "weight_sets",
  {
    id: text("id").primaryKey(),
    createdAt: integer("created_at").notNull(),
    regime: text("regime").notNull(),
    weights: text("weights", { mode: "json" }).notNull(),
    /** Per strategy: samples, hit rate, mean edge, raw and shrunk weight. */
    evidence: text("evidence", { mode: "json" }).notNull(),
    sampleSize: integer("sample_size").notNull(),
    method: text("method").notNull(),
  },
  (t) => [index("weight_sets_regime_created").on(t.regime, t.createdAt)],
);

export type AnalysisRow = typeof analyses.$inferSelect;
export type NewAnalysisRow = typeof analyses.$inferInsert;
export type WeightSetRow = typeof weightSets.$inferSelect;

/**
 * The audit log (DESIGN §7): append-only and hash-chained. `hash` is SHA-256 over the
 * canonical JSON of (seq, ts, kind, actor, channel, subject, payload, prevHash); `verify`
 * recomputes the chain and names the first broken row.
 */
export const auditLog = sqliteTable("audit_log", {
  seq: integer("seq").primaryKey(),
  ts: integer("ts").notNull(),
  kind: text("kind").notNull(),
  /** Who acted: "model", "human:<name>", "system", "policy:auto-approve". */
  actor: text("actor").notNull(),
  /** Through what: "mcp", "elicitation", "cli", "rest", "console", "system". */
  channel: text("channel").notNull(),
  /** What it is about: a proposal id, an order id, a symbol, "limits". */
  subject: text("subject"),
  payload: text("payload").notNull(),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull(),
});

/** Order proposals awaiting (or past) a human decision. The id is the broker client_order_id. */
export const proposals = sqliteTable(
  "proposals",
  {
    id: text("id").primaryKey(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /** awaiting_approval, approved, submitting, submitted, rejected, expired, blocked, failed */
    status: text("status").notNull(),
    mode: text("mode").notNull(),
    broker: text("broker").notNull(),
    intent: text("intent", { mode: "json" }).notNull(),
    /** SHA-256 of the canonical intent: approval is for exactly these contents. */
    contentHash: text("content_hash").notNull(),
    checks: text("checks", { mode: "json" }).notNull(),
    limits: text("limits", { mode: "json" }).notNull(),
    warnings: text("warnings", { mode: "json" }).notNull(),
    estimatedNotional: real("estimated_notional"),
    referencePrice: real("reference_price"),
    rationale: text("rationale"),
    analysisId: text("analysis_id"),
    decidedAt: integer("decided_at"),
    decidedBy: text("decided_by"),
    decisionChannel: text("decision_channel"),
    decisionReason: text("decision_reason"),
    brokerOrderId: text("broker_order_id"),
    submittedAt: integer("submitted_at"),
    error: text("error"),
  },
  // created_at and submitted_at: the firewall's duplicate and rate checks read the last
  // minute's proposals before every order; without these they scanned the whole table.
  (t) => [index("proposals_status").on(t.status, t.expiresAt), index("proposals_created").on(t.createdAt), index("proposals_submitted").on(t.submittedAt)],
);

/** Trading state (one row) and equity marks for loss limits and drawdown. */
export const riskState = sqliteTable("risk_state", {
  id: integer("id").primaryKey(),
  state: text("state").notNull(),
  reason: text("reason").notNull(),
  changedAt: integer("changed_at").notNull(),
  changedBy: text("changed_by").notNull(),
});

export const equityMarks = sqliteTable(
  "equity_marks",
  {
    t: integer("t").primaryKey(),
    equity: real("equity").notNull(),
  },
  // The drawdown check reads max(equity) before every order: an index answers it without a scan.
  (t) => [index("equity_marks_equity").on(t.equity)],
);

/**
 * Broker fills already written to the audit log, one row per fill id, inserted in the same
 * transaction as the fill's audit row: the primary key is what keeps a fill from being
 * audited twice, whichever process (server watcher, CLI) sees it first.
 */
export const auditedFills = sqliteTable(
  "audited_fills",
  {
    fillId: text("fill_id").primaryKey(),
    /** The fill's own time (not when it was audited): where the next look at the broker starts. */
    t: integer("t").notNull(),
  },
  (t) => [index("audited_fills_t").on(t.t)],
);

/** The paper broker's book: orders, fills, positions and cash (DESIGN §4, Alpaca semantics). */
export const paperOrders = sqliteTable(
  "paper_orders",
  {
    id: text("id").primaryKey(),
    clientOrderId: text("client_order_id").notNull().unique(),
    symbol: text("symbol").notNull(),
    side: text("side").notNull(),
    type: text("type").notNull(),
    timeInForce: text("time_in_force").notNull(),
    qty: real("qty"),
    notional: real("notional"),
    filledQty: real("filled_qty").notNull(),
    filledAvgPrice: real("filled_avg_price"),
    limitPrice: real("limit_price"),
    stopPrice: real("stop_price"),
    trailPercent: real("trail_percent"),
    trailPrice: real("trail_price"),
    hwm: real("hwm"),
    /** Stop orders: set when the stop triggered. */
    triggeredAt: integer("triggered_at"),
    status: text("status").notNull(),
    extendedHours: integer("extended_hours", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at").notNull(),
    submittedAt: integer("submitted_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    filledAt: integer("filled_at"),
    canceledAt: integer("canceled_at"),
    expiredAt: integer("expired_at"),
    failedAt: integer("failed_at"),
    rejectReason: text("reject_reason"),
    /** The last bar start the fill model has processed for this order. */
    processedThrough: integer("processed_through").notNull(),
  },
  (t) => [index("paper_orders_status").on(t.status)],
);

export const paperFills = sqliteTable(
  "paper_fills",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull().references(() => paperOrders.id),
    clientOrderId: text("client_order_id").notNull(),
    symbol: text("symbol").notNull(),
    side: text("side").notNull(),
    qty: real("qty").notNull(),
    price: real("price").notNull(),
    t: integer("t").notNull(),
  },
  (t) => [index("paper_fills_t").on(t.t)],
);

export const paperPositions = sqliteTable("paper_positions", {
  symbol: text("symbol").primaryKey(),
  qty: real("qty").notNull(),
  avgEntryPrice: real("avg_entry_price").notNull(),
  openedAt: integer("opened_at").notNull(),
});

export const paperAccount = sqliteTable("paper_account", {
  id: integer("id").primaryKey(),
  cash: real("cash").notNull(),
  startingCash: real("starting_cash").notNull(),
  realizedPl: real("realized_pl").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** SEC HTTP response cache: revalidated with ETag / Last-Modified, expired by per-endpoint TTLs. */
export const secCache = sqliteTable("sec_cache", {
  url: text("url").primaryKey(),
  status: integer("status").notNull(),
  etag: text("etag"),
  lastModified: text("last_modified"),
  contentType: text("content_type"),
  fetchedAt: integer("fetched_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
  /** The response body (uncompressed bytes). */
  body: blob("body", { mode: "buffer" }).notNull(),
});

/**
 * Finished backtests. The report is stored whole, with the exact configuration and the
 * hashes that let anyone re-run it and compare: same configHash + dataHash must give the
 * same reportHash.
 */
export const backtests = sqliteTable(
  "backtests",
  {
    id: text("id").primaryKey(),
    /** Wall-clock time the run finished (the app's Clock, not the replayed one). */
    createdAt: integer("created_at").notNull(),
    name: text("name").notNull(),
    /** "single" or "walk_forward" / "sweep". */
    kind: text("kind").notNull(),
    strategy: text("strategy").notNull(),
    startDate: text("start_date").notNull(),
    endDate: text("end_date").notNull(),
    /** The configuration as validated (defaults filled in), canonical JSON. */
    config: text("config", { mode: "json" }).notNull(),
    configHash: text("config_hash").notNull(),
    /** SHA-256 over every bar the run read (symbols in order, then bars in time order). */
    dataHash: text("data_hash").notNull(),
    /** SHA-256 of the canonical report: equal for two runs with equal config and data. */
    reportHash: text("report_hash").notNull(),
    /** Headline numbers for listing without parsing the report. */
    summary: text("summary", { mode: "json" }).notNull(),
    report: text("report", { mode: "json" }).notNull(),
    /** Milliseconds the run took, and bars replayed (for the throughput shown in the report). */
    elapsedMs: integer("elapsed_ms").notNull(),
    bars: integer("bars").notNull(),
  },
  (t) => [index("backtests_created").on(t.createdAt)],
);
