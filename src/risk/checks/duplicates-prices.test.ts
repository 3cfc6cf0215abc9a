import { describe, expect, it } from "vitest";
import { baseContext, baseIntent, NOW } from "../test-context.js";
import { DUPLICATE_CLIENT_ID, duplicateClientIdCheck } from "./duplicate-client-id.js";
import { DUPLICATE_ORDER, duplicateOrderCheck } from "./duplicate-order.js";
import { FAT_FINGER, fatFingerCheck } from "./fat-finger.js";
import { PRICE_COLLAR, priceCollarCheck } from "./price-collar.js";
import { PRICE_FRESH, priceFreshCheck } from "./price-fresh.js";

const HASH = "0".repeat(64);

describe("DUPLICATE_CLIENT_ID", () => {
  it("no client id (the proposal id will be used) or a new one passes", () => {
    expect(duplicateClientIdCheck(baseIntent(), baseContext())).toMatchObject({ code: DUPLICATE_CLIENT_ID, passed: true });
    expect(duplicateClientIdCheck(baseIntent({ clientOrderId: "argus-new" }), baseContext()).passed).toBe(true);
  });
  it("an id used ever (even after a cancel) fails", () => {
    const r = duplicateClientIdCheck(baseIntent({ clientOrderId: "argus-used-1" }), baseContext());
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/already used/);
  });
  it("an id in the recent proposals fails", () => {
    const ctx = baseContext({ recent: [{ clientOrderId: "argus-recent", contentHash: "x", t: NOW - 5_000 }] });
    expect(duplicateClientIdCheck(baseIntent({ clientOrderId: "argus-recent" }), ctx).passed).toBe(false);
  });
  it("an empty or over-long id fails", () => {
    expect(duplicateClientIdCheck(baseIntent({ clientOrderId: "" }), baseContext()).passed).toBe(false);
    expect(duplicateClientIdCheck(baseIntent({ clientOrderId: "x".repeat(49) }), baseContext()).detail).toMatch(/49 characters/);
  });
});

describe("DUPLICATE_ORDER", () => {
  it("no identical contents in the window passes", () => {
    const ctx = baseContext({ recent: [{ clientOrderId: "a", contentHash: "other", t: NOW - 1_000 }] });
    expect(duplicateOrderCheck(baseIntent(), ctx)).toMatchObject({ code: DUPLICATE_ORDER, passed: true });
  });
  it("the same content hash within duplicateWindowSeconds fails", () => {
    const ctx = baseContext({ recent: [{ clientOrderId: "a", contentHash: HASH, t: NOW - 20_000 }] });
    const r = duplicateOrderCheck(baseIntent(), ctx);
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/identical order was proposed 20 s ago/);
  });
  it("the same hash outside the window passes", () => {
    const ctx = baseContext({ recent: [{ clientOrderId: "a", contentHash: HASH, t: NOW - 61_000 }] });
    expect(duplicateOrderCheck(baseIntent(), ctx).passed).toBe(true);
  });
  it("window 0 turns it off", () => {
    const ctx = baseContext({ limits: { duplicateWindowSeconds: 0 }, recent: [{ clientOrderId: "a", contentHash: HASH, t: NOW }] });
    expect(duplicateOrderCheck(baseIntent(), ctx).passed).toBe(true);
  });
  it("fails closed without a content hash", () => {
    expect(duplicateOrderCheck(baseIntent(), baseContext({ contentHash: "" })).passed).toBe(false);
  });
});

describe("PRICE_FRESH", () => {
  it("a 30-second-old price in the session passes", () => {
    expect(priceFreshCheck(baseIntent(), baseContext())).toMatchObject({ code: PRICE_FRESH, passed: true });
  });
  it("a missing price fails closed", () => {
    const r = priceFreshCheck(baseIntent(), baseContext({ price: null }));
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("No reference price for MSFT: cannot value or size the order.");
  });
  it("older than maxPriceAgeSeconds during the session fails", () => {
    const r = priceFreshCheck(baseIntent(), baseContext({ price: { price: 400, asOf: NOW - 121_000, sessionsSince: 0 } }));
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/121 s old; during the regular session it may be at most 120 s old/);
  });
  it("the same age outside the session passes (last close is the reference)", () => {
    expect(priceFreshCheck(baseIntent(), baseContext({ marketOpen: false, price: { price: 400, asOf: NOW - 3_600_000, sessionsSince: 0 } })).passed).toBe(true);
  });
  it("more sessions since the price than allowed fails", () => {
    const r = priceFreshCheck(baseIntent(), baseContext({ marketOpen: false, price: { price: 400, asOf: NOW - 86_400_000, sessionsSince: 1 } }));
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/1 regular session has closed since it \(at most 0 allowed\)/);
    expect(priceFreshCheck(baseIntent(), baseContext({ limits: { maxSessionsSincePrice: 1 }, marketOpen: false, price: { price: 400, asOf: NOW - 86_400_000, sessionsSince: 1 } })).passed).toBe(true);
  });
  it("a price from the future or a non-positive price fails", () => {
    expect(priceFreshCheck(baseIntent(), baseContext({ price: { price: 400, asOf: NOW + 5_000, sessionsSince: 0 } })).passed).toBe(false);
    expect(priceFreshCheck(baseIntent(), baseContext({ price: { price: 0, asOf: NOW, sessionsSince: 0 } })).passed).toBe(false);
  });
});

describe("PRICE_COLLAR", () => {
  it("orders without limit or stop prices pass", () => {
    expect(priceCollarCheck(baseIntent(), baseContext())).toMatchObject({ code: PRICE_COLLAR, passed: true });
  });
  it("limit and stop within ±5% of the reference pass, at the edge too", () => {
    expect(priceCollarCheck(baseIntent({ type: "limit", limitPrice: 420 }), baseContext()).passed).toBe(true);
    expect(priceCollarCheck(baseIntent({ type: "stop_limit", stopPrice: 381, limitPrice: 380 }), baseContext()).passed).toBe(true);
  });
  it("outside the collar fails with the numbers", () => {
    const r = priceCollarCheck(baseIntent({ type: "limit", limitPrice: 480 }), baseContext());
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("Price outside the collar: the limit price $480.00 is 20% above the reference $400.00 (collar ±5%, $380.00–$420.00).");
    expect(priceCollarCheck(baseIntent({ type: "stop", side: "sell", stopPrice: 300 }), baseContext()).passed).toBe(false);
  });
  it("fails closed when the reference price is unknown", () => {
    expect(priceCollarCheck(baseIntent({ type: "limit", limitPrice: 400 }), baseContext({ price: null })).detail).toMatch(/No reference price/);
  });
});

describe("FAT_FINGER", () => {
  it("within the caps passes", () => {
    expect(fatFingerCheck(baseIntent(), baseContext())).toMatchObject({ code: FAT_FINGER, passed: true });
  });
  it("notional over maxNotionalPerOrder fails with the numbers", () => {
    const r = fatFingerCheck(baseIntent({ qty: 78.125 }), baseContext());
    expect(r.passed).toBe(false);
    expect(r.detail).toBe("Order too large: notional $31,250 exceeds the $25,000 per-order cap.");
  });
  it("a notional order is judged on its notional", () => {
    expect(fatFingerCheck(baseIntent({ qty: undefined, notional: 26_000 }), baseContext()).passed).toBe(false);
    expect(fatFingerCheck(baseIntent({ qty: undefined, notional: 24_000 }), baseContext()).passed).toBe(true);
  });
  it("shares over maxSharesPerOrder fail even when cheap", () => {
    const r = fatFingerCheck(baseIntent({ symbol: "PENNY", qty: 6000 }), baseContext({ orderSymbol: "PENNY" }));
    expect(r.passed).toBe(false);
    expect(r.detail).toMatch(/6,000 shares exceed the 5,000-share per-order cap/);
  });
  it("applies to sells too", () => {
    expect(fatFingerCheck(baseIntent({ side: "sell", qty: 100 }), baseContext()).passed).toBe(false);
  });
  it("fails closed without a reference price", () => {
    expect(fatFingerCheck(baseIntent(), baseContext({ price: null })).detail).toMatch(/no reference price/);
  });
});
