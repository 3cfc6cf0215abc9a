/**
 * Every manager reads time from a Clock, never from Date.now(): in backtest mode the
 * same code runs against replayed history and must not see past `now()`.
 */
export interface Clock {
  readonly kind: "real" | "backtest";
  /** Current instant in epoch milliseconds (UTC). */
  now(): number;
}

export class RealClock implements Clock {
  readonly kind = "real" as const;
  now(): number {
    return Date.now();
  }
}

/** A clock that only moves when the replay driver moves it, and never backwards. */
export class BacktestClock implements Clock {
  readonly kind = "backtest" as const;
  private current: number;

  constructor(start: number) {
    if (!Number.isFinite(start)) throw new RangeError("BacktestClock needs a finite start time");
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Move to `t`. Moving backwards would let later code see an earlier "now" after a later one. */
  set(t: number): void {
    if (!Number.isFinite(t)) throw new RangeError("BacktestClock.set needs a finite time");
    if (t < this.current) throw new RangeError(`BacktestClock cannot move backwards (${new Date(t).toISOString()} < ${new Date(this.current).toISOString()})`);
    this.current = t;
  }

  advance(ms: number): void {
    this.set(this.current + ms);
  }
}
