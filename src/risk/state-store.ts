import { desc, eq, lte, max } from "drizzle-orm";
import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import type { Db } from "../db/connection.js";
import { equityMarks, riskState } from "../db/schema.js";
import { TRADING_STATES, type TradingState } from "./types.js";

/** The single row of risk_state. */
const STATE_ROW_ID = 1;

export interface TradingStateRecord {
  state: TradingState;
  reason: string;
  /** Epoch ms of the last change; 0 when the state was never set. */
  changedAt: number;
  /** "human:<name>", "system", ... */
  changedBy: string;
}

export const INITIAL_TRADING_STATE: Readonly<TradingStateRecord> = Object.freeze({ state: "ACTIVE", reason: "initial", changedAt: 0, changedBy: "system" });

function isTradingState(s: unknown): s is TradingState {
  return typeof s === "string" && (TRADING_STATES as readonly string[]).includes(s);
}

/**
 * The trading state (ACTIVE / REDUCING / HALTED), one row in risk_state.
 *
 * `set` is for human surfaces (CLI, approval console) and for the ExecutionManager
 * escalating on the firewall's signals (loss limits, kill switch). No tool the model can
 * call reaches it: the tools layer never calls `set`, so a model cannot leave HALTED.
 * A stored value that is not a known state reads as HALTED (fail closed).
 */
export class TradingStateStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get(): TradingStateRecord {
    const row = this.db.select().from(riskState).where(eq(riskState.id, STATE_ROW_ID)).get();
    if (!row) return { ...INITIAL_TRADING_STATE };
    if (!isTradingState(row.state)) {
      return { state: "HALTED", reason: `stored trading state "${row.state}" is not valid; halted until a human sets it`, changedAt: row.changedAt, changedBy: row.changedBy };
    }
    return { state: row.state, reason: row.reason, changedAt: row.changedAt, changedBy: row.changedBy };
  }

  /** Human-only (and the ExecutionManager's escalations); never exposed as a model tool. */
  set(state: TradingState, reason: string, changedBy: string): TradingStateRecord {
    if (!isTradingState(state)) throw new ArgusError("INVALID_INPUT", `Trading state must be one of ${TRADING_STATES.join(", ")}; got "${String(state)}".`);
    if (typeof reason !== "string" || reason.trim() === "") throw new ArgusError("INVALID_INPUT", "A trading state change needs a reason.");
    if (typeof changedBy !== "string" || changedBy.trim() === "") throw new ArgusError("INVALID_INPUT", "A trading state change needs to say who made it.");
    const record: TradingStateRecord = { state, reason, changedAt: this.clock.now(), changedBy };
    this.db
      .insert(riskState)
      .values({ id: STATE_ROW_ID, ...record })
      .onConflictDoUpdate({ target: riskState.id, set: { state: record.state, reason: record.reason, changedAt: record.changedAt, changedBy: record.changedBy } })
      .run();
    return record;
  }
}

export interface EquityMark {
  t: number;
  equity: number;
}

/**
 * Equity marks (equity_marks): one value per instant, recorded whenever the account is
 * read. previousClose / startOfWeek come from `at(t)`, the peak from `peak()`.
 */
export class EquityMarks {
  constructor(private readonly db: Db) {}

  /** Records equity at `t`; a second mark at the same instant replaces the first. */
  record(t: number, equity: number): void {
    if (!Number.isSafeInteger(t)) throw new ArgusError("INVALID_INPUT", `An equity mark needs an integer epoch-ms time; got ${String(t)}.`);
    if (!Number.isFinite(equity)) throw new ArgusError("INVALID_INPUT", `An equity mark needs a finite equity; got ${String(equity)}.`);
    this.db.insert(equityMarks).values({ t, equity }).onConflictDoUpdate({ target: equityMarks.t, set: { equity } }).run();
  }

  /** Highest equity marked (at or before `until`, when given); null when there are no marks. */
  peak(until?: number): number | null {
    const q = this.db.select({ peak: max(equityMarks.equity) }).from(equityMarks);
    const row = (until === undefined ? q : q.where(lte(equityMarks.t, until))).get();
    return row?.peak ?? null;
  }

  /** The last mark at or before `t`; null when there is none. */
  at(t: number): EquityMark | null {
    const row = this.db.select().from(equityMarks).where(lte(equityMarks.t, t)).orderBy(desc(equityMarks.t)).limit(1).get();
    return row ?? null;
  }
}
