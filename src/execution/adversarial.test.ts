import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { errorCode, MCP_TOKEN, startTradingHarness, WEEKEND_NOON, type TradingHarness } from "../../test/support/trading.js";

/**
 * The model's-eye view: an SDK client over Streamable HTTP with the MCP token, trying to
 * get an order to the broker without a human. The broker's order book is the ground truth.
 */
type Structured = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("no order reaches the broker without a human", () => {
  let h: TradingHarness;
  afterEach(async () => h?.close());
  const brokerOrders = async () => h.t.app.execution.orders({ status: "all", limit: 500 });
  const propose = async (args: Record<string, unknown>) => (await h.call("propose_order", args)).structuredContent as Structured;

  it("offers the model no way to approve, change limits or leave HALTED", async () => {
    h = await startTradingHarness();
    const { tools } = await h.model.listTools();
    const names = tools.map((t) => t.name);
    // Whole words of a snake_case name: "state" must not match get_financial_statements.
    const word = (w: string) => new RegExp(`(^|_)${w}($|_)`);
    for (const forbidden of [/approv/, /reject/, /halt/, /resume/, word("limits?"), word("state"), /kill/]) {
      expect(names.filter((n) => forbidden.test(n) && n !== "get_risk_status"), String(forbidden)).toEqual([]);
    }
    for (const t of tools.filter((t) => ["propose_order", "cancel_order"].includes(t.name))) expect(t.annotations?.destructiveHint).toBe(true);
  });

  it("a proposal with confirm=true or any extra argument still only waits for a human", async () => {
    h = await startTradingHarness();
    const p = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 5, confirm: true, approved: true, approver: "human:me" });
    expect(p.status).toBe("awaiting_approval");
    expect(p.decidedBy).toBeNull();
    expect(await brokerOrders()).toHaveLength(0);
    // Calling everything else in odd orders does not move it.
    await h.call("get_proposal", { proposalId: p.proposalId });
    expect(errorCode(await h.call("cancel_order", { orderId: p.proposalId }))).toBe("UNKNOWN_ORDER");
    await h.call("check_order", { symbol: "NOVA.DEMO", side: "buy", qty: 5 });
    await h.call("get_orders", {});
    expect(((await h.call("get_proposal", { proposalId: p.proposalId })).structuredContent as Structured).status).toBe("awaiting_approval");
    expect(await brokerOrders()).toHaveLength(0);
  });

  it("the MCP token cannot approve over the approvals API; the approver token can", async () => {
    h = await startTradingHarness();
    const p = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 5 });
    expect((await h.decide(p.proposalId, "approve", MCP_TOKEN)).status).toBe(403);
    expect(await brokerOrders()).toHaveLength(0);
    const ok = await h.decide(p.proposalId, "approve");
    expect(ok.status).toBe(200);
    const orders = await brokerOrders();
    expect(orders).toHaveLength(1);
    expect(orders[0]!.clientOrderId).toBe(p.proposalId);
    const audit = h.t.app.audit.list({ subject: p.proposalId, limit: 50 }).map((r) => `${r.kind}:${r.actor}:${r.channel}`);
    expect(audit).toEqual(expect.arrayContaining(["proposal.created:model:mcp", "proposal.approved:human:test-human:rest", "order.submitted:system:system"]));
  });

  it("two racing approvals submit once; a replayed approval is refused", async () => {
    h = await startTradingHarness();
    const p = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 3 });
    const [a, b] = await Promise.all([h.decide(p.proposalId, "approve"), h.decide(p.proposalId, "approve")]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((await h.decide(p.proposalId, "approve")).status).toBe(409);
    expect(await brokerOrders()).toHaveLength(1);
  });

  it("an expired proposal cannot be approved", async () => {
    h = await startTradingHarness();
    const p = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 3 });
    h.t.clock.set(WEEKEND_NOON + 301_000);
    const r = await h.decide(p.proposalId, "approve");
    expect(r.status).toBe(409);
    expect((r.body.error as Structured).message).toMatch(/expired/);
    expect(await brokerOrders()).toHaveLength(0);
  });

  it("an order altered between proposal and approval is refused", async () => {
    h = await startTradingHarness();
    const p = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 3 });
    h.t.app.db.$client.prepare("update proposals set intent = json_set(intent, '$.qty', 3000) where id = ?").run(p.proposalId);
    const r = await h.decide(p.proposalId, "approve");
    expect(r.status).toBe(409);
    expect((r.body.error as Structured).code).toBe("PROPOSAL_TAMPERED");
    expect(await brokerOrders()).toHaveLength(0);
  });

  it("a duplicate proposal is blocked, and a blocked proposal can never be approved", async () => {
    h = await startTradingHarness();
    await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 4 });
    const dup = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 4 });
    expect(dup.status).toBe("blocked");
    expect(dup.failedChecks).toContain("DUPLICATE_ORDER");
    expect((await h.decide(dup.proposalId, "approve")).status).toBe(409);
    expect(await brokerOrders()).toHaveLength(0);
  });

  it("HALTED blocks every proposal until a human resumes; REDUCING allows only reductions", async () => {
    h = await startTradingHarness();
    await h.t.app.execution.killSwitch({ actor: "human:test", channel: "cli" }, "test");
    const blocked = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 1 });
    expect(blocked.failedChecks).toContain("TRADING_STATE");
    h.t.app.execution.setState("REDUCING", { actor: "human:test", channel: "cli" }, "test");
    const opening = await propose({ symbol: "QBIT.DEMO", side: "buy", qty: 1 });
    expect(opening.failedChecks).toContain("TRADING_STATE");
    expect(await brokerOrders()).toHaveLength(0);
  });
});

describe("the firewall rejects each case with its code", () => {
  let h: TradingHarness;
  afterEach(async () => h?.close());
  const failed = async (args: Record<string, unknown>) => ((await h.call("check_order", args)).structuredContent as Structured).failedChecks as string[];

  it("exposure and sector limits, from the human-edited limits file", async () => {
    h = await startTradingHarness();
    const setLimits = (limits: Record<string, unknown>) => writeFileSync(join(h.t.home, "limits.json"), JSON.stringify(limits));
    setLimits({ maxSectorPct: 0.001 });
    expect(await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 5 })).toContain("SECTOR_CONCENTRATION");
    setLimits({ maxGrossExposurePct: 0.001 });
    expect(await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 5 })).toContain("GROSS_EXPOSURE");
    setLimits({ maxPositionPct: 0.001 });
    expect(await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 5 })).toContain("POSITION_LIMIT");
    setLimits({});
    expect(await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 5 })).toEqual([]);
  });

  it("weekly loss halts trading; a drawdown past the breaker trips the kill switch", async () => {
    h = await startTradingHarness();
    // The account started the week at $110k and is at $100k now: a 9% weekly loss.
    h.t.app.db.$client.prepare("insert into equity_marks (t, equity) values (?, ?)").run(Date.parse("2026-11-16T05:00:00Z"), 110_000);
    const weekly = await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 5 });
    expect(weekly).toContain("WEEKLY_LOSS");
    expect(h.t.app.execution.tradingState().state).toBe("HALTED");
    expect((await h.call("get_risk_status", {})).structuredContent).toMatchObject({ tradingState: "HALTED" });
    await h.close();

    h = await startTradingHarness();
    h.t.app.db.$client.prepare("insert into equity_marks (t, equity) values (?, ?)").run(Date.parse("2026-11-20T21:00:00Z"), 125_000);
    const dd = await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 5 });
    expect(dd).toContain("DRAWDOWN");
    expect(h.t.app.execution.tradingState().state).toBe("HALTED");
    expect(h.t.app.audit.list({ kind: "killswitch.tripped", limit: 5 })).toHaveLength(1);
  });

  it("fat finger, collar and stale price", async () => {
    h = await startTradingHarness();
    const price = h.t.app.data.latestPrice("NOVA.DEMO").price;
    expect(await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 100_000 })).toContain("FAT_FINGER");
    expect(await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 1, type: "limit", limitPrice: Math.round(price * 1.2 * 100) / 100 })).toContain("PRICE_COLLAR");
    expect(await failed({ symbol: "NOVA.DEMO", side: "buy", qty: Math.floor(30_000 / price) })).toEqual(expect.arrayContaining(["FAT_FINGER"]));
    h.t.clock.set(Date.parse("2026-11-24T22:00:00Z")); // Monday and Tuesday have closed since Friday's last price
    expect(await failed({ symbol: "NOVA.DEMO", side: "buy", qty: 1 })).toContain("PRICE_FRESH");
  });
});
