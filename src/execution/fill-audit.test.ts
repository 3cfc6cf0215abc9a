import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../app.js";
import type { AuditRecord } from "../audit/audit-log.js";
import { BacktestClock } from "../core/clock.js";
import { loadConfig } from "../core/config.js";
import { silentLogger } from "../core/logger.js";
import { toExchangeIso } from "../data/calendar/zone.js";
import { createTestApp } from "../../test/support/app.js";
import { WEEKEND_NOON } from "../../test/support/trading.js";
import type { OrderIntent } from "../risk/types.js";
import type { BrokerOrder } from "./types.js";

/**
 * Broker fills reach the audit log as order.filled / order.partially_filled, each fill
 * exactly once, whoever runs the audit and however often. The paper broker fills on the
 * demo's minute bars of Friday 2026-11-20 (its last session): the demo is generated on
 * the Saturday, then the apps under test open the same database with a clock on Friday.
 */

/** A time on Friday 2026-11-20 in New York (EST): `fri("10:00")`, `fri("10:00:30")`. */
const fri = (hhmm: string) => Date.parse(`2026-11-20T${hhmm.length === 5 ? `${hhmm}:00` : hhmm}-05:00`);
const HUMAN = { actor: "human:test", channel: "cli" } as const;

interface Opened {
  app: App;
  clock: BacktestClock;
}

describe("auditNewFills", () => {
  let home: string | undefined;
  let dirs: string[] = [];
  let opened: Opened[] = [];
  afterEach(() => {
    for (const o of opened) o.app.close();
    for (const d of [home, ...dirs]) if (d) rmSync(d, { recursive: true, force: true });
    opened = [];
    dirs = [];
    home = undefined;
  });

  /** A home with the demo loaded (through Friday) and, optionally, paper-broker settings. */
  function prepare(paper: Record<string, number> = {}, edit?: (app: App) => void): Record<string, string> {
    const env: Record<string, string> = {};
    if (Object.keys(paper).length > 0) {
      const dir = mkdtempSync(join(tmpdir(), "argus-fill-config-"));
      dirs.push(dir);
      const file = join(dir, "argus.config.json");
      writeFileSync(file, JSON.stringify({ execution: { paper } }));
      env.ARGUS_CONFIG = file;
    }
    const seed = createTestApp({ now: WEEKEND_NOON, env });
    edit?.(seed.app);
    seed.app.close();
    home = seed.home;
    return env;
  }

  /** Another process on the same database file: its own connection, broker and clock. */
  function open(env: Record<string, string>, now: number): Opened {
    const config = loadConfig({ env: { ARGUS_HOME: home!, ...env }, cwd: home! });
    const clock = new BacktestClock(now);
    const o = { app: createApp(config, { clock, logger: silentLogger() }), clock };
    opened.push(o);
    return o;
  }

  async function placeApproved(app: App, intent: Partial<OrderIntent> & { symbol: string; qty: number }): Promise<{ id: string; order: BrokerOrder }> {
    const p = await app.execution.propose({ side: "buy", type: "market", timeInForce: "day", ...intent });
    expect(p.status, JSON.stringify(p.checks.filter((c) => !c.passed))).toBe("awaiting_approval");
    const out = await app.execution.approve(p.id, HUMAN);
    expect(out.proposal.status).toBe("submitted");
    return { id: p.id, order: out.order! };
  }

  /** Every fill row, oldest first. */
  function fillRows(app: App): AuditRecord[] {
    const rows = [...app.audit.list({ kind: "order.filled", limit: 1000 }), ...app.audit.list({ kind: "order.partially_filled", limit: 1000 })];
    return rows.sort((a, b) => a.seq - b.seq);
  }
  const payloadOf = (r: AuditRecord) => r.payload as Record<string, unknown>;

  /**
   * Shares the paper broker may fill of NOVA.DEMO on Friday's 10:00 and 10:01 minute bars
   * (participation × volume, whole shares). Read through an app whose clock is past them:
   * bars are visible only once complete.
   */
  function minuteCaps(reader: App, participation: number): number[] {
    const bars = reader.data.getBars({ symbol: "NOVA.DEMO", timeframe: "1Min", from: "2026-11-20T10:00:00-05:00", limit: 2 }).bars;
    expect(bars.map((b) => b.t)).toEqual([fri("10:00"), fri("10:01")]);
    return bars.map((b) => Math.floor(participation * b.volume + 1e-9));
  }

  it("audits a full fill once as order.filled under the proposal id, however often it runs", async () => {
    const env = prepare();
    const { app, clock } = open(env, fri("10:00"));
    const { id, order } = await placeApproved(app, { symbol: "NOVA.DEMO", qty: 3 });
    expect(await app.execution.auditNewFills()).toBe(0); // the 10:00 bar has not completed: nothing filled yet

    clock.set(fri("10:01:30"));
    const [fill] = await app.execution.fills();
    expect(fill).toMatchObject({ orderId: order.id, clientOrderId: id, qty: 3 });
    expect(await app.execution.auditNewFills()).toBe(1);
    expect(await app.execution.auditNewFills()).toBe(0);
    clock.set(fri("15:00"));
    expect(await app.execution.auditNewFills()).toBe(0);
    // A restarted process knows nothing in memory: it reads the log and writes nothing either.
    expect(await open(env, fri("15:00")).app.execution.auditNewFills()).toBe(0);

    const rows = fillRows(app);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "order.filled", actor: "system", channel: "broker", subject: id });
    expect(rows[0]!.payload).toEqual({
      fillId: fill!.id,
      orderId: order.id,
      symbol: "NOVA.DEMO",
      side: "buy",
      qty: 3,
      price: fill!.price,
      time: toExchangeIso(fill!.t),
      status: "filled",
    });
    expect(fill!.t).toBe(fri("10:00")); // a market order fills at the opening print of the next bar
    expect(app.audit.verify().ok).toBe(true);
  });

  it("two managers on one database file, running at once, write each fill exactly once", async () => {
    const env = prepare();
    const a = open(env, fri("10:00"));
    const b = open(env, fri("10:00"));
    await placeApproved(a.app, { symbol: "NOVA.DEMO", qty: 2 });
    await placeApproved(a.app, { symbol: "QBIT.DEMO", qty: 1 });
    await placeApproved(b.app, { symbol: "MEDX.DEMO", qty: 4 });
    a.clock.set(fri("10:02"));
    b.clock.set(fri("10:02"));
    expect(await a.app.execution.fills()).toHaveLength(3);

    // Both read the broker and find the same three fills missing before either writes.
    const counts = await Promise.all([a.app.execution.auditNewFills(), b.app.execution.auditNewFills(), a.app.execution.auditNewFills()]);
    expect(counts.reduce((s, n) => s + n, 0)).toBe(3);
    expect(counts.filter((n) => n > 0)).toHaveLength(1);
    expect(await b.app.execution.auditNewFills()).toBe(0);

    const rows = fillRows(a.app);
    expect(rows.map((r) => r.kind)).toEqual(["order.filled", "order.filled", "order.filled"]);
    expect(new Set(rows.map((r) => payloadOf(r).fillId)).size).toBe(3);
    expect(a.app.audit.verify().ok).toBe(true);
  });

  it("a participation cap gives order.partially_filled for each partial fill, then order.filled for the last", async () => {
    const participation = 0.001;
    const env = prepare({ participation });
    const { app, clock } = open(env, fri("10:00"));
    const caps = minuteCaps(open(env, fri("10:03")).app, participation);
    expect(caps[0]! >= 1 && caps[1]! >= 1).toBe(true);
    const qty = caps[0]! + caps[1]!; // part on the 10:00 bar, the rest on the 10:01 bar
    const { id, order } = await placeApproved(app, { symbol: "NOVA.DEMO", qty });

    clock.set(fri("10:01:10"));
    expect((await app.execution.orders({ status: "all", limit: 5 }))[0]).toMatchObject({ status: "partially_filled", filledQty: caps[0] });
    expect(await app.execution.auditNewFills()).toBe(1);
    clock.set(fri("10:02:10"));
    expect(await app.execution.auditNewFills()).toBe(1);
    expect(await app.execution.auditNewFills()).toBe(0);

    const rows = fillRows(app);
    expect(rows.map((r) => [r.kind, r.subject, payloadOf(r).qty, payloadOf(r).status])).toEqual([
      ["order.partially_filled", id, caps[0], "partially_filled"],
      ["order.filled", id, caps[1], "filled"],
    ]);
    expect(rows.every((r) => payloadOf(r).orderId === order.id)).toBe(true);
    expect(app.audit.verify().ok).toBe(true);
  });

  it("both fills of an order found in one pass: the first is partial, the last completes it", async () => {
    const participation = 0.001;
    const env = prepare({ participation });
    const { app, clock } = open(env, fri("10:00"));
    const caps = minuteCaps(open(env, fri("10:03")).app, participation);
    expect(caps[0]! >= 1 && caps[1]! >= 1).toBe(true);
    const { id } = await placeApproved(app, { symbol: "NOVA.DEMO", qty: caps[0]! + caps[1]! });
    clock.set(fri("10:02:10"));
    expect(await app.execution.auditNewFills()).toBe(2);
    expect(fillRows(app).map((r) => [r.kind, r.subject, payloadOf(r).status])).toEqual([
      ["order.partially_filled", id, "partially_filled"],
      ["order.filled", id, "filled"],
    ]);
  });

  it("a fill stamped at the newest audited fill's exact time, found later, is audited; the earlier one is not repeated", async () => {
    const env = prepare();
    const { app, clock } = open(env, fri("09:58:30"));
    // A buy limit that Friday's 09:59 bar trades through below its open fills at the limit,
    // inside the bar, stamped at the bar's end: 10:00. Its price comes from that bar.
    const [bar] = open(env, fri("10:05")).app.data.getBars({ symbol: "NOVA.DEMO", timeframe: "1Min", from: "2026-11-20T09:59:00-05:00", limit: 1 }).bars;
    expect(bar?.t).toBe(fri("09:59"));
    const limitPrice = Math.round(((bar!.open + bar!.low) / 2) * 100) / 100;
    expect(limitPrice < bar!.open && limitPrice > bar!.low).toBe(true);
    const limit = await placeApproved(app, { symbol: "NOVA.DEMO", qty: 1, type: "limit", limitPrice });
    clock.set(fri("09:59:30"));
    // A market order after the 09:59 bar started fills at the 10:00 bar's opening print: also 10:00.
    const market = await placeApproved(app, { symbol: "QBIT.DEMO", qty: 1 });

    clock.set(fri("10:00:30")); // the 09:59 bar is complete, the 10:00 bar is not
    expect((await app.execution.fills()).map((f) => [f.clientOrderId, f.t])).toEqual([[limit.id, fri("10:00")]]);
    expect(await app.execution.auditNewFills()).toBe(1);
    clock.set(fri("10:01:30"));
    const fills = await app.execution.fills();
    expect(fills.map((f) => [f.clientOrderId, f.t])).toEqual([
      [limit.id, fri("10:00")],
      [market.id, fri("10:00")],
    ]);
    expect(await app.execution.auditNewFills()).toBe(1);
    expect(await app.execution.auditNewFills()).toBe(0);
    expect(fillRows(app).map((r) => [r.subject, payloadOf(r).fillId])).toEqual([
      [limit.id, fills[0]!.id],
      [market.id, fills[1]!.id],
    ]);
    expect(app.audit.verify().ok).toBe(true);
  });

  it("a fill that appears after later-stamped fills (a daily bar completes at the close) is still audited", async () => {
    // Without its Friday minutes MEDX.DEMO trades on its daily bar, which fills a pre-market
    // order at the 09:30 open but is only complete, and so known, at 16:00.
    const env = prepare({}, (seed) => {
      seed.db.$client.prepare("delete from bars where symbol = 'MEDX.DEMO' and timeframe = '1Min' and ts >= ?").run(fri("04:00"));
    });
    const { app, clock } = open(env, fri("09:00"));
    const daily = await placeApproved(app, { symbol: "MEDX.DEMO", qty: 2 });
    clock.set(fri("10:00"));
    const minute = await placeApproved(app, { symbol: "NOVA.DEMO", qty: 1 });

    clock.set(fri("10:02"));
    expect((await app.execution.fills()).map((f) => f.clientOrderId)).toEqual([minute.id]);
    expect(await app.execution.auditNewFills()).toBe(1); // the newest audited fill is now 10:00

    clock.set(fri("16:05"));
    const fills = await app.execution.fills();
    expect(fills.map((f) => [f.clientOrderId, f.t])).toEqual([
      [daily.id, fri("09:30")],
      [minute.id, fri("10:00")],
    ]);
    expect(await app.execution.auditNewFills()).toBe(1);
    expect(await app.execution.auditNewFills()).toBe(0);
    expect(fillRows(app).map((r) => [r.kind, r.subject])).toEqual([
      ["order.filled", minute.id],
      ["order.filled", daily.id],
    ]);
    expect(app.audit.verify().ok).toBe(true);
  });
});
