import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BacktestClock } from "../core/clock.js";
import { openDatabase, type Db } from "../db/connection.js";
import { EquityMarks, TradingStateStore } from "./state-store.js";
import type { TradingState } from "./types.js";

describe("TradingStateStore and EquityMarks (real SQLite file)", () => {
  let dir: string;
  let db: Db;
  let clock: BacktestClock;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "argus-risk-"));
    db = openDatabase({ path: join(dir, "argus.db"), synchronous: "NORMAL" });
    clock = new BacktestClock(Date.parse("2026-11-23T15:00:00Z"));
  });
  afterEach(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is ACTIVE 'initial' before anyone sets it", () => {
    expect(new TradingStateStore(db, clock).get()).toEqual({ state: "ACTIVE", reason: "initial", changedAt: 0, changedBy: "system" });
  });

  it("set stores state, reason, time and who; the last write wins and survives a reopen", () => {
    const store = new TradingStateStore(db, clock);
    store.set("REDUCING", "daily loss 2.1%", "system");
    clock.advance(60_000);
    store.set("HALTED", "kill switch", "human:alice");
    expect(store.get()).toEqual({ state: "HALTED", reason: "kill switch", changedAt: clock.now(), changedBy: "human:alice" });
    db.$client.close();
    db = openDatabase({ path: join(dir, "argus.db"), synchronous: "NORMAL" });
    expect(new TradingStateStore(db, clock).get().state).toBe("HALTED");
    expect(db.$client.prepare("select count(*) as n from risk_state").get()).toEqual({ n: 1 });
  });

  it("refuses an unknown state or an empty reason", () => {
    const store = new TradingStateStore(db, clock);
    expect(() => store.set("PAUSED" as TradingState, "x", "human:a")).toThrow(/ACTIVE, REDUCING, HALTED/);
    expect(() => store.set("ACTIVE", " ", "human:a")).toThrow(/reason/);
    expect(store.get().state).toBe("ACTIVE");
  });

  it("a corrupted stored state reads as HALTED (fail closed)", () => {
    db.$client.prepare("insert into risk_state (id, state, reason, changed_at, changed_by) values (1, 'YOLO', 'x', 5, 'someone')").run();
    expect(new TradingStateStore(db, clock).get()).toMatchObject({ state: "HALTED", reason: expect.stringMatching(/"YOLO" is not valid/) });
  });

  it("equity marks: record, peak, at(t) = last mark at or before t", () => {
    const marks = new EquityMarks(db);
    expect(marks.peak()).toBeNull();
    expect(marks.at(Date.now())).toBeNull();
    marks.record(1_000, 100_000);
    marks.record(2_000, 104_000);
    marks.record(3_000, 98_000);
    marks.record(3_000, 97_500); // same instant: replaced
    expect(marks.peak()).toBe(104_000);
    expect(marks.peak(1_500)).toBe(100_000);
    expect(marks.at(999)).toBeNull();
    expect(marks.at(1_000)).toEqual({ t: 1_000, equity: 100_000 });
    expect(marks.at(2_999)).toEqual({ t: 2_000, equity: 104_000 });
    expect(marks.at(10_000)).toEqual({ t: 3_000, equity: 97_500 });
  });

  it("refuses non-finite marks", () => {
    const marks = new EquityMarks(db);
    expect(() => marks.record(1_000, Number.NaN)).toThrow(/finite/);
    expect(() => marks.record(1.5, 100)).toThrow(/integer/);
  });
});
