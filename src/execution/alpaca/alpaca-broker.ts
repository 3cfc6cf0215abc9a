/**
 * The Alpaca adapter (DESIGN §4): the Broker interface over Alpaca's Trading API, through
 * the official SDK (`@alpacahq/alpaca-trade-api` v4).
 *
 * How the SDK is used: one `trading.Configuration` (explicit `basePath`, key id and
 * secret, per-attempt `timeoutMs`, redirects refused so the secret headers cannot follow
 * one) shared by the generated `AccountsApi`, `PositionsApi`, `OrdersApi`,
 * `AccountActivitiesApi`, `ClockApi` and `CalendarApi`. Each call goes through the
 * generated `*Raw` method — the SDK builds the URL, query and snake_case body, sends the
 * auth headers, enforces the timeout and turns non-2xx answers into typed errors — and
 * the adapter reads the wire JSON from the raw response and maps it with `mapping.ts`,
 * so the mapping is pinned to Alpaca's documented shapes (decimal strings, RFC 3339
 * times) rather than to the SDK's model objects. No endpoint needs a `fetch` fallback.
 *
 * The SDK's automatic retry is off by default here (`getRetries: 0`): the SDK would
 * only ever retry GETs, and the one request where a retry matters, an uncertain order
 * submission, must never be repeated blindly — see `submitOrReconcile`.
 */
import { trading } from "@alpacahq/alpaca-trade-api";
import { ArgusError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import { silentLogger } from "../../core/logger.js";
import type { Account, Broker, BrokerError, BrokerOrder, Fill, OrderFilter, OrderRequest, Position } from "../types.js";
import { AlpacaBrokerError, redact, toBrokerError } from "./errors.js";
import {
  asArray, mapAccount, mapCalendarDay, mapClock, mapFillActivity, mapOrder, mapPosition, toFill, toGetAllOrdersRequest,
  toPostOrderRequest, type FillActivity, type MarketClock, type MarketDay,
} from "./mapping.js";

export const ALPACA_PAPER_URL = trading.TRADING_PAPER_HOST;
export const ALPACA_LIVE_URL = trading.TRADING_LIVE_HOST;

export interface AlpacaBrokerOptions {
  keyId: string;
  secretKey: string;
  /** Trading API root. Default: the paper host, or the live host when `live` is true. */
  baseUrl?: string;
  /** Only `true` selects the live host (and only when `baseUrl` is not given). */
  live?: boolean;
  /** Per-request deadline, ms. Default 10 000. */
  timeoutMs?: number;
  logger?: Logger;
  /** SDK retries for GET requests on 5xx/429/network errors (never for POST/DELETE). Default 0. */
  getRetries?: number;
  /** Clock for `Position.priceAsOf` (Alpaca does not time-stamp positions). */
  now?: () => number;
}

const FILL_PAGE_SIZE = 100;
const MAX_FILL_PAGES = 100;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class AlpacaBroker implements Broker {
  readonly name = "alpaca" as const;
  readonly baseUrl: string;
  readonly live: boolean;
  readonly timeoutMs: number;

  private readonly secrets: readonly string[];
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly accountApi: trading.AccountsApi;
  private readonly positionsApi: trading.PositionsApi;
  private readonly ordersApi: trading.OrdersApi;
  private readonly activitiesApi: trading.AccountActivitiesApi;
  private readonly clockApi: trading.ClockApi;
  private readonly calendarApi: trading.CalendarApi;
  /** order id → client order id, for fills (Alpaca's FILL activities omit the client id). */
  private readonly clientIds = new Map<string, string>();

  constructor(opts: AlpacaBrokerOptions) {
    if (!opts.keyId || !opts.secretKey) throw new ArgusError("CONFIG_INVALID", "The Alpaca broker needs both an API key id and a secret key.");
    this.live = opts.live === true;
    const baseUrl = (opts.baseUrl ?? (this.live ? ALPACA_LIVE_URL : ALPACA_PAPER_URL)).replace(/\/+$/, "");
    let host: string;
    try {
      host = new URL(baseUrl).host;
    } catch {
      throw new ArgusError("CONFIG_INVALID", `The Alpaca base URL is not a URL: ${baseUrl}`);
    }
    // Live trading needs an explicit live=true; a live URL alone is not enough.
    if (host === new URL(ALPACA_LIVE_URL).host && !this.live) {
      throw new ArgusError("CONFIG_INVALID", "The Alpaca base URL is the live trading host, but live trading is not enabled.");
    }
    this.baseUrl = baseUrl;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.secrets = [opts.secretKey];
    this.logger = opts.logger ?? silentLogger();
    this.now = opts.now ?? Date.now;

    const retries = Math.max(0, Math.floor(opts.getRetries ?? 0));
    const config = new trading.Configuration({
      basePath: baseUrl,
      keyId: opts.keyId,
      secret: opts.secretKey,
      timeoutMs: this.timeoutMs,
      redirect: "error",
      ...(retries > 0 ? { retry: { maxRetries: retries } } : {}),
    });
    this.accountApi = new trading.AccountsApi(config);
    this.positionsApi = new trading.PositionsApi(config);
    this.ordersApi = new trading.OrdersApi(config);
    this.activitiesApi = new trading.AccountActivitiesApi(config);
    this.clockApi = new trading.ClockApi(config);
    // The generated legacyCalendar sends start/end as full ISO date-times; /v2/calendar
    // is documented with dates, so the SDK's pre-request middleware trims them.
    this.calendarApi = new trading.CalendarApi(config).withPreMiddleware(async (ctx) => {
      const url = new URL(ctx.url);
      for (const key of ["start", "end"]) {
        const v = url.searchParams.get(key);
        if (v && v.length > 10) url.searchParams.set(key, v.slice(0, 10));
      }
      return { url: url.toString(), init: ctx.init };
    });
  }

  async account(): Promise<Account> {
    return this.call("get account", () => this.accountApi.getAccountRaw(), mapAccount);
  }

  async positions(): Promise<Position[]> {
    const asOf = this.now();
    return this.call("list positions", () => this.positionsApi.getAllOpenPositionsRaw(), (json) =>
      asArray(json, "positions").map((p) => mapPosition(p, asOf)),
    );
  }

  /**
   * One POST /v2/orders, never retried here. A TIMEOUT or UNAVAILABLE error means the
   * order may exist at Alpaca: look it up by client id (`submitOrReconcile`) before
   * anything else. A 2xx answer that cannot be read is reported as UNAVAILABLE for the
   * same reason — Alpaca accepted something.
   */
  async submitOrder(req: OrderRequest): Promise<BrokerOrder> {
    const order = await this.call(
      "submit order",
      () => this.ordersApi.postOrderRaw({ postOrderRequest: toPostOrderRequest(req) }),
      mapOrder,
      { acceptedIfUnreadable: true },
    );
    this.logger.info({ orderId: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol, status: order.status }, "alpaca order submitted");
    return this.remember(order);
  }

  async getOrder(id: string): Promise<BrokerOrder> {
    return this.remember(await this.call("get order", () => this.ordersApi.getOrderByOrderIDRaw({ orderId: id }), mapOrder));
  }

  /**
   * The order with this client id, or null when Alpaca positively says it has none: a
   * 404 carrying Alpaca's `{ code, message }` error body. A bare 404 (a proxy, a wrong
   * base URL) proves nothing about the order and is an error instead.
   */
  async getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    try {
      return this.remember(
        await this.call("get order by client id", () => this.ordersApi.getOrderByClientOrderIdRaw({ clientOrderId }), mapOrder),
      );
    } catch (err) {
      if (err instanceof AlpacaBrokerError && err.kind === "NOT_FOUND") {
        if (err.alpacaCode !== undefined) return null;
        throw new AlpacaBrokerError("UNKNOWN", "Alpaca answered 404 without its error body; cannot tell whether the order exists", 404, undefined, err.requestId);
      }
      throw err;
    }
  }

  async cancelOrder(id: string): Promise<void> {
    await this.call("cancel order", () => this.ordersApi.deleteOrderByOrderIDRaw({ orderId: id }), () => undefined, { noBody: true });
    this.logger.info({ orderId: id }, "alpaca order cancel requested");
  }

  async listOrders(filter: OrderFilter): Promise<BrokerOrder[]> {
    const orders = await this.call("list orders", () => this.ordersApi.getAllOrdersRaw(toGetAllOrdersRequest(filter)), (json) =>
      asArray(json, "orders").map(mapOrder),
    );
    for (const o of orders) this.remember(o);
    return orders;
  }

  /**
   * Fills since `after` (exclusive), oldest first, from GET /v2/account/activities/FILL
   * (ascending, paged by the last activity id). Alpaca's activities carry the order id
   * but not the client order id, which is looked up once per order and cached.
   */
  async fills(after?: number): Promise<Fill[]> {
    const activities: FillActivity[] = [];
    let pageToken: string | undefined;
    for (let page = 0; ; page++) {
      if (page >= MAX_FILL_PAGES) {
        throw new AlpacaBrokerError("UNKNOWN", `More than ${MAX_FILL_PAGES * FILL_PAGE_SIZE} fills since ${after === undefined ? "the start" : new Date(after).toISOString()}; ask for a later start`);
      }
      const batch = await this.call(
        "list fills",
        () =>
          this.activitiesApi.getAccountActivitiesByActivityTypeRaw({
            activityType: "FILL",
            direction: "asc",
            pageSize: FILL_PAGE_SIZE,
            ...(after !== undefined ? { after: new Date(after) } : {}),
            ...(pageToken !== undefined ? { pageToken } : {}),
          }),
        (json) => asArray(json, "activities").map(mapFillActivity),
      );
      activities.push(...batch);
      const last = batch.at(-1);
      if (batch.length < FILL_PAGE_SIZE || !last) break;
      pageToken = last.id;
    }
    const fresh = activities.filter((a) => after === undefined || a.t > after);
    const fills: Fill[] = [];
    for (const a of fresh) {
      let clientOrderId = this.clientIds.get(a.orderId);
      if (clientOrderId === undefined) clientOrderId = (await this.getOrder(a.orderId)).clientOrderId;
      fills.push(toFill(a, clientOrderId));
    }
    return fills.sort((x, y) => x.t - y.t);
  }

  /** GET /v2/clock: whether the market is open now, and the next open and close. */
  async clock(): Promise<MarketClock> {
    return this.call("get clock", () => this.clockApi.legacyClockRaw(), mapClock);
  }

  /** GET /v2/calendar: trading days from `start` to `end` (YYYY-MM-DD, inclusive). */
  async calendar(start: string, end: string): Promise<MarketDay[]> {
    if (!DATE_ONLY.test(start) || !DATE_ONLY.test(end)) throw new AlpacaBrokerError("REJECTED", "calendar start and end must be YYYY-MM-DD dates");
    return this.call(
      "get calendar",
      () => this.calendarApi.legacyCalendarRaw({ start: new Date(`${start}T00:00:00Z`), end: new Date(`${end}T00:00:00Z`) }),
      (json) => asArray(json, "calendar").map(mapCalendarDay),
    );
  }

  private remember(order: BrokerOrder): BrokerOrder {
    this.clientIds.set(order.id, order.clientOrderId);
    return order;
  }

  /**
   * Sends one request through the SDK, reads the JSON body and maps it. Every failure
   * leaves as a BrokerError with the secret scrubbed, and is logged without it.
   */
  private async call<T>(
    op: string,
    send: () => Promise<{ raw: Response; value(): Promise<unknown> }>,
    map: (json: unknown) => T,
    opts: { acceptedIfUnreadable?: boolean; noBody?: boolean } = {},
  ): Promise<T> {
    const ctx = { op, timeoutMs: this.timeoutMs, secrets: this.secrets };
    let json: unknown;
    try {
      const res = await send();
      if (opts.noBody) {
        // The SDK's void response releases the body and the request's deadline timer.
        await res.value();
      } else {
        json = await res.raw.json();
      }
    } catch (err) {
      const mapped =
        err instanceof SyntaxError
          ? this.unreadable(op, opts.acceptedIfUnreadable === true, "the reply was not JSON")
          : toBrokerError(err, ctx);
      this.logFailure(op, mapped);
      throw mapped;
    }
    try {
      return map(json);
    } catch (err) {
      const mapped = this.unreadable(op, opts.acceptedIfUnreadable === true, err instanceof Error ? err.message : String(err));
      this.logFailure(op, mapped);
      throw mapped;
    }
  }

  private unreadable(op: string, accepted: boolean, reason: string): AlpacaBrokerError {
    // The reason quotes the offending value, which came from the wire: scrub it too.
    const why = redact(reason, this.secrets);
    // A 2xx to a POST means Alpaca took the order: report it as uncertain so the caller
    // reconciles by client id instead of concluding that nothing happened.
    return accepted
      ? new AlpacaBrokerError("UNAVAILABLE", `Alpaca answered "${op}" but the reply could not be read (${why}); the order may exist`)
      : new AlpacaBrokerError("UNKNOWN", `Alpaca's reply to "${op}" could not be read (${why})`);
  }

  private logFailure(op: string, err: BrokerError): void {
    const extra = err instanceof AlpacaBrokerError ? { alpacaCode: err.alpacaCode, requestId: err.requestId } : {};
    // Only our own fields: never the SDK error, its Response, or the configuration.
    this.logger.warn({ op, kind: err.kind, status: err.status, uncertain: err.uncertain, ...extra, error: err.message }, "alpaca request failed");
  }
}
