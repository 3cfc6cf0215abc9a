import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeAlpaca, type FakeAlpaca } from "./fake-alpaca.js";

let fake: FakeAlpaca;
beforeEach(async () => {
  fake = await startFakeAlpaca();
});
afterEach(async () => {
  await fake.close();
});

const auth = () => ({ "APCA-API-KEY-ID": fake.keyId, "APCA-API-SECRET-KEY": fake.secretKey, "Content-Type": "application/json" });
const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = auth()) => {
  const res = await fetch(`${fake.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
};
const order = (client_order_id: string, extra: Record<string, unknown> = {}) => ({ symbol: "AAPL", qty: "1", side: "buy", type: "market", time_in_force: "day", client_order_id, ...extra });

describe("fake Alpaca server", () => {
  it("checks both auth headers: missing → 401, wrong → 403", async () => {
    expect((await call("GET", "/v2/account", undefined, {})).status).toBe(401);
    expect(await call("GET", "/v2/account", undefined, { ...auth(), "APCA-API-SECRET-KEY": "nope" })).toEqual({ status: 403, body: { code: 40310000, message: "forbidden" } });
    expect(fake.requests.map((r) => r.authorized)).toEqual([false, false]);
  });

  it("speaks Alpaca's shapes: string decimals, RFC 3339 times, statuses", async () => {
    const created = await call("POST", "/v2/orders", order("c1", { type: "limit", limit_price: "10.5" }));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ client_order_id: "c1", qty: "1", filled_qty: "0", limit_price: "10.5", status: "new", filled_avg_price: null });
    expect(String(created.body?.created_at)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const account = await call("GET", "/v2/account");
    expect(account.body).toMatchObject({ currency: "USD", cash: "100000", status: "ACTIVE", daytrade_count: 0 });
  });

  it("keeps client order ids unique, even after a cancel", async () => {
    const created = await call("POST", "/v2/orders", order("dup"));
    expect((await call("DELETE", `/v2/orders/${String(created.body?.id)}`)).status).toBe(204);
    expect(await call("POST", "/v2/orders", order("dup"))).toEqual({ status: 422, body: { code: 40010001, message: "client_order_id must be unique" } });
    expect((await call("DELETE", `/v2/orders/${String(created.body?.id)}`)).status).toBe(422);
    expect((await call("POST", "/v2/orders", order("x".repeat(49)))).status).toBe(422);
    expect((await call("POST", "/v2/orders", order("both", { notional: "5" }))).status).toBe(422);
  });

  it("plays a scripted failure once, for the matching method and path only", async () => {
    fake.fail({ path: "/v2/orders", method: "POST", status: 500, body: { code: 1, message: "boom" } });
    expect((await call("GET", "/v2/orders")).status).toBe(200);
    expect((await call("POST", "/v2/orders", order("a"))).status).toBe(500);
    expect((await call("POST", "/v2/orders", order("a"))).status).toBe(200);
    expect(fake.count("POST", "/v2/orders")).toBe(2);
  });

  it("records a delayed order before answering, and fills it into a position and a FILL activity", async () => {
    fake.fail({ path: "/v2/orders", method: "POST", delayMs: 300 });
    const pending = call("POST", "/v2/orders", order("slow", { qty: "3" }));
    await new Promise((r) => setTimeout(r, 50));
    const [stored] = fake.orders();
    expect(stored).toMatchObject({ client_order_id: "slow" });
    expect((await pending).status).toBe(200);

    fake.fillOrder(String(stored?.id), 3, 20);
    expect((await call("GET", "/v2/positions")).body).toMatchObject([{ symbol: "AAPL", qty: "3", avg_entry_price: "20", side: "long" }]);
    expect((await call("GET", "/v2/account/activities/FILL")).body).toMatchObject([{ activity_type: "FILL", order_id: stored?.id, qty: "3", price: "20", order_status: "filled" }]);
    expect((await call("GET", "/v2/account")).body).toMatchObject({ cash: "99940" });
  });
});
