import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { BacktestClock } from "../core/clock.js";
import { loadConfig } from "../core/config.js";
import { silentLogger } from "../core/logger.js";
import { createTestApp, type TestApp } from "../../test/support/app.js";
import { WEEKEND_NOON } from "../../test/support/trading.js";

/**
 * A process that dies between approval and the broker's answer leaves its proposal in
 * `submitting`. A new process on the same database must settle it by client id: never
 * lose the approved order, never send it twice.
 */
describe("restart between approval and submission", () => {
  let t: TestApp;
  afterEach(() => {
    t?.app.close();
    t?.cleanup();
  });

  const restart = () => {
    t.app.close();
    const config = loadConfig({ env: { ARGUS_HOME: t.home }, cwd: t.home });
    t.app = createApp(config, { clock: new BacktestClock(WEEKEND_NOON + 5_000), logger: silentLogger() });
    return t.app;
  };

  it("finds the order the broker already has and does not resubmit it", async () => {
    t = createTestApp({ now: WEEKEND_NOON });
    const p = await t.app.execution.propose({ symbol: "NOVA.DEMO", side: "buy", type: "market", timeInForce: "day", qty: 2 });
    expect(p.status).toBe("awaiting_approval");
    // The dying process: marked submitting and reached the broker, then crashed before recording it.
    t.app.db.$client.prepare("update proposals set status = 'submitting', submitted_at = ? where id = ?").run(WEEKEND_NOON, p.id);
    const { stopLoss: _s, ...intent } = p.intent;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (t.app.execution as any).broker.submitOrder({ ...intent, clientOrderId: p.id });
    const app = restart();
    const r = await app.execution.reconcilePending();
    expect(r).toEqual({ found: 1, resubmitted: 0, blocked: 0 });
    expect(app.execution.getProposal(p.id).status).toBe("submitted");
    expect(await app.execution.orders({ status: "all", limit: 10 })).toHaveLength(1);
  });

  it("resubmits once, under the same client id, when the broker never got it", async () => {
    t = createTestApp({ now: WEEKEND_NOON });
    const p = await t.app.execution.propose({ symbol: "NOVA.DEMO", side: "buy", type: "market", timeInForce: "day", qty: 2 });
    t.app.db.$client.prepare("update proposals set status = 'submitting', submitted_at = ? where id = ?").run(WEEKEND_NOON, p.id);
    const app = restart();
    expect(await app.execution.reconcilePending()).toEqual({ found: 0, resubmitted: 1, blocked: 0 });
    const orders = await app.execution.orders({ status: "all", limit: 10 });
    expect(orders.map((o) => o.clientOrderId)).toEqual([p.id]);
    // A second restart finds it and sends nothing new.
    const again = restart();
    expect(await again.execution.reconcilePending()).toEqual({ found: 0, resubmitted: 0, blocked: 0 });
    expect(await again.execution.orders({ status: "all", limit: 10 })).toHaveLength(1);
    expect(again.audit.verify().ok).toBe(true);
  });
});
