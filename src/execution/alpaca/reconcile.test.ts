import { describe, expect, it } from "vitest";
import { BrokerError, type Broker, type BrokerOrder, type OrderRequest } from "../types.js";
import { submitOrReconcile } from "./reconcile.js";

const REQ: OrderRequest = { symbol: "AAPL", side: "buy", type: "limit", timeInForce: "day", qty: 10, limitPrice: 150, clientOrderId: "prop_1" };

function order(over: Partial<BrokerOrder> = {}): BrokerOrder {
  return {
    id: "o1", clientOrderId: "prop_1", symbol: "AAPL", side: "buy", type: "limit", timeInForce: "day", qty: 10, notional: null,
    filledQty: 0, filledAvgPrice: null, limitPrice: 150, stopPrice: null, trailPercent: null, trailPrice: null, hwm: null,
    status: "new", extendedHours: false, createdAt: 1, submittedAt: 1, updatedAt: 1, filledAt: null, canceledAt: null,
    expiredAt: null, failedAt: null, rejectReason: null, ...over,
  };
}

/** A Broker whose submit and lookups follow a script; counts every call. */
function scripted(submit: () => Promise<BrokerOrder>, lookups: Array<() => Promise<BrokerOrder | null>>) {
  const calls = { submit: 0, lookup: 0 };
  const unused = () => Promise.reject(new Error("not used"));
  const broker: Broker = {
    name: "paper",
    account: unused,
    positions: unused,
    submitOrder: () => {
      calls.submit++;
      return submit();
    },
    getOrder: unused,
    getOrderByClientId: () => {
      const next = lookups[calls.lookup++];
      return next ? next() : Promise.reject(new Error("no more scripted lookups"));
    },
    cancelOrder: unused,
    listOrders: unused,
    fills: unused,
  };
  return { broker, calls };
}

const sleeps: number[] = [];
const sleep = async (ms: number) => {
  sleeps.push(ms);
};

describe("submitOrReconcile (any broker)", () => {
  it("returns the order when the submission is answered, without any lookup", async () => {
    const { broker, calls } = scripted(() => Promise.resolve(order()), []);
    expect(await submitOrReconcile(broker, REQ, { sleep })).toEqual({ status: "submitted", order: order() });
    expect(calls).toEqual({ submit: 1, lookup: 0 });
  });

  it("rethrows a definite refusal (rejected, forbidden, rate limited) without a lookup", async () => {
    for (const kind of ["REJECTED", "FORBIDDEN", "RATE_LIMITED"] as const) {
      const { broker, calls } = scripted(() => Promise.reject(new BrokerError(kind, "no", 422)), []);
      await expect(submitOrReconcile(broker, REQ, { sleep })).rejects.toMatchObject({ kind });
      expect(calls).toEqual({ submit: 1, lookup: 0 });
    }
  });

  it("after a timeout, finds the order by client id and does not submit again", async () => {
    const { broker, calls } = scripted(() => Promise.reject(new BrokerError("TIMEOUT", "slow")), [() => Promise.resolve(order({ status: "filled" }))]);
    const out = await submitOrReconcile(broker, REQ, { sleep, delayMs: 10 });
    expect(out).toMatchObject({ status: "reconciled", order: { id: "o1", status: "filled" }, lookups: 1, mismatches: [] });
    expect(calls).toEqual({ submit: 1, lookup: 1 });
  });

  it("retries failing lookups with exponential backoff", async () => {
    sleeps.length = 0;
    const { broker, calls } = scripted(() => Promise.reject(new BrokerError("UNAVAILABLE", "502", 502)), [
      () => Promise.reject(new BrokerError("TIMEOUT", "slow")),
      () => Promise.reject(new BrokerError("RATE_LIMITED", "429", 429)),
      () => Promise.resolve(order()),
    ]);
    const out = await submitOrReconcile(broker, REQ, { sleep, delayMs: 100, attempts: 3 });
    expect(out).toMatchObject({ status: "reconciled", lookups: 3 });
    expect(sleeps).toEqual([100, 200, 400]);
    expect(calls.submit).toBe(1);
  });

  it("reports not_received only when the broker positively answers that it has no such order", async () => {
    const { broker, calls } = scripted(() => Promise.reject(new BrokerError("TIMEOUT", "slow")), [() => Promise.resolve(null)]);
    const out = await submitOrReconcile(broker, REQ, { sleep });
    expect(out).toMatchObject({ status: "not_received", lookups: 1, cause: { kind: "TIMEOUT" } });
    expect(calls).toEqual({ submit: 1, lookup: 1 });
  });

  it("stays uncertain (unknown, not not_received) when every lookup fails", async () => {
    const failing = () => Promise.reject(new BrokerError("UNAVAILABLE", "down", 503));
    const { broker, calls } = scripted(() => Promise.reject(new BrokerError("TIMEOUT", "slow")), [failing, failing, failing]);
    const out = await submitOrReconcile(broker, REQ, { sleep, attempts: 3 });
    expect(out.status).toBe("unknown");
    expect(out).toMatchObject({ lookups: 3, lookupError: { kind: "UNAVAILABLE" } });
    expect(calls).toEqual({ submit: 1, lookup: 3 });
  });

  it("flags an order found under our client id that does not match the request", async () => {
    const { broker } = scripted(() => Promise.reject(new BrokerError("TIMEOUT", "slow")), [() => Promise.resolve(order({ symbol: "MSFT", qty: 5 }))]);
    const out = await submitOrReconcile(broker, REQ, { sleep });
    expect(out.status).toBe("reconciled");
    if (out.status === "reconciled") expect(out.mismatches).toEqual(["symbol MSFT ≠ AAPL", "qty 5 ≠ 10"]);
  });

  it("does not swallow errors that are not broker errors", async () => {
    const { broker } = scripted(() => Promise.reject(new TypeError("bug")), []);
    await expect(submitOrReconcile(broker, REQ, { sleep })).rejects.toThrow(TypeError);
  });
});
