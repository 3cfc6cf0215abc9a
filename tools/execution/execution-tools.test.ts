import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { BacktestClock } from "../../src/core/clock.js";
import { loadConfig } from "../../src/core/config.js";
import { silentLogger } from "../../src/core/logger.js";
import type { OrderIntent } from "../../src/risk/types.js";
import { createTestApp } from "../../test/support/app.js";
import { WEEKEND_NOON } from "../../test/support/trading.js";
import { createToolRegistry } from "../index.js";

/**
 * list_proposals and get_fills through the registry, as any surface calls them. The paper
 * broker fills on the demo's Friday (2026-11-20) minute bars: the demo is generated on the
 * Saturday, then an app on the same database runs with a clock on Friday.
 */

const fri = (hms: string) => Date.parse(`2026-11-20T${hms}-05:00`);
const HUMAN = { actor: "human:test", channel: "cli" } as const;
const registry = createToolRegistry();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Structured = Record<string, any>;

describe("list_proposals and get_fills", () => {
  let home: string | undefined;
  let app: App | undefined;
  let clock: BacktestClock;
  afterEach(() => {
    app?.close();
    if (home) rmSync(home, { recursive: true, force: true });
    app = undefined;
    home = undefined;
  });

  function openOnFriday(at: string): App {
    const seed = createTestApp({ now: WEEKEND_NOON });
    seed.app.close();
    home = seed.home;
    clock = new BacktestClock(fri(at));
    app = createApp(loadConfig({ env: { ARGUS_HOME: home }, cwd: home }), { clock, logger: silentLogger() });
    return app;
  }

  async function call(name: string, args: Record<string, unknown>): Promise<Structured> {
    const r = await registry.call(name, args, { app: app! });
    if (!r.ok) throw new Error(`${name} failed: ${r.error.code} ${r.error.message}`);
    expect(r.text.length).toBeGreaterThan(0);
    return r.structured;
  }
  async function errorCode(name: string, args: Record<string, unknown>): Promise<string> {
    const r = await registry.call(name, args, { app: app! });
    expect(r.ok).toBe(false);
    return r.ok ? "ok" : r.error.code;
  }

  const propose = (a: App, intent: Partial<OrderIntent> & { symbol: string; qty: number }) =>
    a.execution.propose({ side: "buy", type: "market", timeInForce: "day", ...intent });
  async function bought(a: App, symbol: string, qty: number): Promise<string> {
    const p = await propose(a, { symbol, qty });
    expect((await a.execution.approve(p.id, HUMAN)).proposal.status).toBe("submitted");
    return p.id;
  }

  it("list_proposals: newest first, by status, with who decided; undecided ones expire when listed", async () => {
    const a = openOnFriday("10:00:00");
    const waiting = await propose(a, { symbol: "NOVA.DEMO", qty: 1 });
    clock.set(fri("10:00:01"));
    const approved = await bought(a, "QBIT.DEMO", 1);
    clock.set(fri("10:00:02"));
    const rejected = await propose(a, { symbol: "MEDX.DEMO", qty: 1 });
    a.execution.reject(rejected.id, HUMAN, "not today");
    clock.set(fri("10:00:03"));
    const blocked = await propose(a, { symbol: "NOVA.DEMO", qty: 4_000 });
    expect(blocked.status).toBe("blocked");

    const all = await call("list_proposals", {});
    expect(all.count).toBe(4);
    expect(all.proposals.map((p: Structured) => [p.proposalId, p.status])).toEqual([
      [blocked.id, "blocked"],
      [rejected.id, "rejected"],
      [approved, "submitted"],
      [waiting.id, "awaiting_approval"],
    ]);
    expect(all.proposals[1]).toMatchObject({ decidedBy: "human:test", decisionChannel: "cli", decisionReason: "not today" });
    expect(all.proposals[2]).toMatchObject({ decidedBy: "human:test", decisionChannel: "cli", brokerOrderId: expect.any(String) });
    expect(all.proposals[3].howToApprove).toMatch(/argus approve/);

    expect((await call("list_proposals", { status: ["awaiting_approval"] })).proposals.map((p: Structured) => p.proposalId)).toEqual([waiting.id]);
    expect((await call("list_proposals", { status: ["submitted", "rejected"] })).proposals.map((p: Structured) => p.proposalId)).toEqual([rejected.id, approved]);
    const two = await call("list_proposals", { limit: 2 });
    expect([two.count, two.proposals.map((p: Structured) => p.proposalId)]).toEqual([2, [blocked.id, rejected.id]]);

    // Past its five minutes, the undecided one is expired by the listing itself, and audited.
    clock.set(fri("10:06:00"));
    expect((await call("list_proposals", { status: ["expired"] })).proposals.map((p: Structured) => p.proposalId)).toEqual([waiting.id]);
    expect(a.audit.list({ kind: "proposal.expired", limit: 5 }).map((r) => r.subject)).toEqual([waiting.id]);
    expect((await call("list_proposals", { status: ["awaiting_approval"] })).count).toBe(0);

    expect(await errorCode("list_proposals", { status: ["approved_by_me"] })).toBe("INVALID_INPUT");
    expect(await errorCode("list_proposals", { status: [] })).toBe("INVALID_INPUT");
    expect(await errorCode("list_proposals", { limit: 501 })).toBe("INVALID_INPUT");
    expect(await errorCode("list_proposals", { limit: 0 })).toBe("INVALID_INPUT");
  });

  it("get_fills: oldest first with the proposal id, by since and symbol, the most recent `limit` when more match", async () => {
    const a = openOnFriday("10:00:00");
    const nova = await bought(a, "NOVA.DEMO", 2); // fills at the 10:00 bar's open
    clock.set(fri("10:05:00"));
    const qbit = await bought(a, "QBIT.DEMO", 1); // 10:05
    clock.set(fri("10:10:00"));
    const medx = await bought(a, "MEDX.DEMO", 3); // 10:10
    clock.set(fri("10:12:00"));

    const all = await call("get_fills", {});
    expect(all).toMatchObject({ count: 3, truncated: false });
    expect(all.fills.map((f: Structured) => [f.proposalId, f.symbol, f.side, f.qty, f.time])).toEqual([
      [nova, "NOVA.DEMO", "buy", 2, "2026-11-20T10:00:00-05:00"],
      [qbit, "QBIT.DEMO", "buy", 1, "2026-11-20T10:05:00-05:00"],
      [medx, "MEDX.DEMO", "buy", 3, "2026-11-20T10:10:00-05:00"],
    ]);
    const orders = await a.execution.orders({ status: "all", limit: 10 });
    for (const f of all.fills) {
      expect(orders.find((o) => o.id === f.orderId)?.clientOrderId).toBe(f.proposalId);
      expect(f.price).toBeGreaterThan(0);
    }
    expect(new Set(all.fills.map((f: Structured) => f.fillId)).size).toBe(3);

    const last2 = await call("get_fills", { limit: 2 });
    expect([last2.count, last2.truncated, last2.fills.map((f: Structured) => f.proposalId)]).toEqual([2, true, [qbit, medx]]);
    expect((await call("get_fills", { symbol: "qbit.demo" })).fills.map((f: Structured) => f.proposalId)).toEqual([qbit]);
    // `since` is inclusive; a bare date is that New York day from midnight.
    expect((await call("get_fills", { since: "2026-11-20T10:05:00-05:00" })).fills.map((f: Structured) => f.proposalId)).toEqual([qbit, medx]);
    expect((await call("get_fills", { since: "2026-11-20T10:05:01" })).fills.map((f: Structured) => f.proposalId)).toEqual([medx]);
    expect((await call("get_fills", { since: "2026-11-20" })).count).toBe(3);
    expect(await call("get_fills", { since: "2026-11-21" })).toEqual({ count: 0, truncated: false, fills: [] });
    expect(await call("get_fills", { since: "2026-11-20", symbol: "MEDX.DEMO", limit: 1 })).toMatchObject({ count: 1, truncated: false });

    expect(await errorCode("get_fills", { since: "yesterday" })).toBe("INVALID_INPUT");
    expect(await errorCode("get_fills", { limit: 0 })).toBe("INVALID_INPUT");
    expect(await errorCode("get_fills", { limit: 1001 })).toBe("INVALID_INPUT");
  });
});
