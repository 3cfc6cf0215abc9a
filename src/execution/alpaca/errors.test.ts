import { ApiError, FetchError } from "@alpacahq/alpaca-trade-api";
import { describe, expect, it } from "vitest";
import { BrokerError } from "../types.js";
import { AlpacaBrokerError, kindForStatus, redact, toBrokerError } from "./errors.js";

const ctx = { op: "submit order", timeoutMs: 1_000, secrets: ["s3cr3t-value"] };
const apiError = (status: number, message: string, code?: number) => new ApiError(new Response(""), status, code, message);

describe("Alpaca error mapping", () => {
  it("maps HTTP statuses to broker error kinds", () => {
    expect([401, 403, 400, 422, 409, 404, 429, 500, 502, 503, 504].map(kindForStatus)).toEqual([
      "FORBIDDEN", "FORBIDDEN", "REJECTED", "REJECTED", "REJECTED", "NOT_FOUND", "RATE_LIMITED", "UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE",
    ]);
  });

  it("keeps Alpaca's message and code, scrubbed of the secret and shortened", () => {
    const e = toBrokerError(apiError(403, "insufficient buying power", 40310000), ctx);
    expect(e).toBeInstanceOf(BrokerError);
    expect(e).toMatchObject({ kind: "FORBIDDEN", status: 403, message: "insufficient buying power", alpacaCode: 40310000 });
    expect(toBrokerError(apiError(401, "unauthorized."), ctx).message).toBe("Alpaca rejected the API credentials: unauthorized.");
    expect(toBrokerError(apiError(422, "key s3cr3t-value is bad"), ctx).message).toBe("key [redacted] is bad");
    const page = toBrokerError(apiError(502, `<html>${"x".repeat(1_000)}</html>`), ctx);
    expect(page.message.length).toBeLessThanOrEqual(301);
    expect(page).toMatchObject({ kind: "UNAVAILABLE", uncertain: true });
  });

  it("maps timeouts and resets to TIMEOUT, refused connections to UNAVAILABLE — all uncertain", () => {
    const timeout = new FetchError(new DOMException("Request timed out after 1000 ms", "TimeoutError"), "The request was aborted");
    expect(toBrokerError(timeout, ctx)).toMatchObject({ kind: "TIMEOUT", uncertain: true });
    const socket = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    const reset = new FetchError(new TypeError("fetch failed", { cause: socket }), "The request failed");
    expect(toBrokerError(reset, ctx)).toMatchObject({ kind: "TIMEOUT", uncertain: true, message: expect.stringContaining("UND_ERR_SOCKET") });
    const refusedCause = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const refused = new FetchError(new TypeError("fetch failed", { cause: refusedCause }), "The request failed");
    expect(toBrokerError(refused, ctx)).toMatchObject({ kind: "UNAVAILABLE", uncertain: true });
  });

  it("passes broker errors through and wraps anything else as UNKNOWN, scrubbed", () => {
    const own = new AlpacaBrokerError("REJECTED", "x");
    expect(toBrokerError(own, ctx)).toBe(own);
    expect(toBrokerError(new Error("boom s3cr3t-value"), ctx)).toMatchObject({ kind: "UNKNOWN", message: 'Alpaca "submit order" failed: boom [redacted]' });
    expect(redact("aaa", ["aa"])).toBe("aaa");
  });
});
