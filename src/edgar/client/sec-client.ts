/**
 * The one way Argus talks to the SEC (DESIGN §5): data.sec.gov and www.sec.gov behind a
 * process-wide token bucket, retries with backoff, a SQLite response cache with
 * conditional revalidation, and an offline mode that reads the same paths from disk.
 *
 *   const sec = new SecClient(config.edgar, { db, clock, logger });
 *   const { data } = await sec.getJson<Submissions>("/submissions/CIK0000320193.json", { base: "data", ttlMs: HOUR });
 *
 * Cache rules: a fresh row (expiresAt > clock.now()) is served without a request; a
 * stale row with an ETag / Last-Modified is revalidated (If-None-Match /
 * If-Modified-Since) and a 304 only moves its expiry; a stale row is also served, with
 * a warning, when the SEC is unreachable after the retries (never after a 404).
 */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import { eq } from "drizzle-orm";
import { TokenBucket } from "limiter";
import pRetry from "p-retry";
import type { Clock } from "../../core/clock.js";
import { ArgusError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { Db } from "../../db/connection.js";
import { secCache } from "../../db/schema.js";
import { EdgarError } from "./errors.js";

export type SecBase = "data" | "www";

export interface SecClientOptions {
  /** "Name contact@example.com"; required for any network request (not in offline mode). */
  userAgent?: string | undefined;
  dataBaseUrl: string;
  wwwBaseUrl: string;
  /** Read every path from this directory (laid out like the SEC paths) instead of the network. */
  offlineDir?: string | undefined;
  /** Rate of the process-wide bucket; the lowest rate any client asked for wins. */
  requestsPerSecond: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Backoff tuning (tests shorten it). Defaults: 3 retries, 500 ms doubling to 8 s, Retry-After capped at 60 s. */
  retry?: { retries?: number; minTimeoutMs?: number; maxTimeoutMs?: number; maxRetryAfterMs?: number } | undefined;
}

export interface SecClientDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export interface SecGetOptions {
  base: SecBase;
  /** How long a fetched response stays fresh; Infinity for immutable documents (Archives). */
  ttlMs: number;
}

export interface SecResponse<T> {
  data: T;
  /** The absolute URL (the cache key); in offline mode the URL the path stands for. */
  url: string;
  /** Served from the SQLite cache: fresh, revalidated with a 304, or stale because the SEC was unreachable. */
  fromCache: boolean;
  /** When the body was fetched or last confirmed current (clock time, epoch ms). */
  fetchedAt: number;
  /** True only when a stale cached body was served because the SEC could not be reached. */
  stale: boolean;
}

export const USER_AGENT_REQUIRED_MESSAGE =
  "SEC fair access requires a User-Agent with a name and contact email; set ARGUS_SEC_USER_AGENT (e.g. \"Jane Doe jane@example.com\").";

/** Far-future expiry for ttlMs = Infinity (SQLite integers cannot hold Infinity). */
const NEVER = Number.MAX_SAFE_INTEGER;

// ---------------------------------------------------------------------------------
// Process-wide rate limit: one bucket for every SecClient, requests served in FIFO order.
// Bucket size 1 spaces requests evenly (1/rps apart), so no one-second window can hold
// more than rps + 1 requests — the SEC's limit is 10.

interface SharedLimiter {
  rps: number;
  bucket: TokenBucket;
  queue: Promise<unknown>;
}
let sharedLimiter: SharedLimiter | undefined;

function limiterFor(rps: number): SharedLimiter {
  if (!sharedLimiter) {
    const bucket = new TokenBucket({ bucketSize: 1, tokensPerInterval: rps, interval: 1000 });
    bucket.content = 1; // the first request need not wait
    sharedLimiter = { rps, bucket, queue: Promise.resolve() };
  } else if (rps < sharedLimiter.rps) {
    sharedLimiter.bucket.drip();
    sharedLimiter.rps = rps;
    sharedLimiter.bucket.tokensPerInterval = rps;
  }
  return sharedLimiter;
}

async function takeToken(rps: number): Promise<void> {
  const limiter = limiterFor(rps);
  const turn = limiter.queue.then(() => limiter.bucket.removeTokens(1));
  limiter.queue = turn.catch(() => undefined);
  await turn;
}

/** The rate the shared bucket currently enforces (undefined before the first client). */
export function sharedSecRate(): number | undefined {
  return sharedLimiter?.rps;
}

/** Tests only: forget the shared bucket so the next client's rate takes effect. */
export function resetSharedSecLimiterForTests(): void {
  sharedLimiter = undefined;
}

// ---------------------------------------------------------------------------------

/** A failure worth retrying (429, 5xx, network, timeout, body cut off). */
class TransientError extends Error {
  constructor(message: string, readonly status: number | undefined, readonly retryAfterMs: number | undefined) {
    super(message);
    this.name = "TransientError";
  }
}

function parseRetryAfter(raw: string | null): number | undefined {
  if (!raw) return undefined;
  const s = raw.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const at = Date.parse(s); // an HTTP date: wall-clock transport timing, not cache logic
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

type CacheRow = typeof secCache.$inferSelect;

interface RawResult {
  body: Buffer;
  url: string;
  fromCache: boolean;
  fetchedAt: number;
  stale: boolean;
  /** Names the content: ETag, else Last-Modified, else the fetch time (offline: "offline"). */
  version: string;
}

function versionOf(row: { etag: string | null; lastModified: string | null; fetchedAt: number }): string {
  return row.etag ?? (row.lastModified ? `lm:${row.lastModified}` : `t:${row.fetchedAt}`);
}

export class SecClient {
  private readonly opts: SecClientOptions;
  private readonly deps: SecClientDeps;
  private readonly inflight = new Map<string, Promise<RawResult>>();

  constructor(opts: SecClientOptions, deps: SecClientDeps) {
    if (!(opts.requestsPerSecond > 0) || opts.requestsPerSecond > 10) {
      throw new ArgusError("CONFIG_INVALID", `edgar.requestsPerSecond must be in (0, 10]; the SEC allows at most 10 requests per second (got ${opts.requestsPerSecond}).`);
    }
    this.opts = { ...opts, dataBaseUrl: opts.dataBaseUrl.replace(/\/+$/, ""), wwwBaseUrl: opts.wwwBaseUrl.replace(/\/+$/, "") };
    this.deps = deps;
    const ua = opts.userAgent?.trim();
    if (ua && !opts.offlineDir && !/\S+@\S+/.test(ua)) {
      deps.logger.warn("ARGUS_SEC_USER_AGENT has no contact email; the SEC asks for \"Name email@example.com\" and may block requests without one");
    }
  }

  get offline(): boolean {
    return Boolean(this.opts.offlineDir);
  }

  /** The absolute URL a path stands for on one of the two hosts. */
  urlFor(path: string, base: SecBase): string {
    if (!path.startsWith("/")) throw new EdgarError("SEC_BAD_RESPONSE", `SEC paths start with "/" (got "${path}").`);
    return (base === "data" ? this.opts.dataBaseUrl : this.opts.wwwBaseUrl) + path;
  }

  async getJson<T>(path: string, opts: SecGetOptions): Promise<SecResponse<T>> {
    const url = this.urlFor(path, opts.base);
    const parse = (body: Buffer): T => {
      try {
        return JSON.parse(body.toString("utf8")) as T;
      } catch (e) {
        throw new EdgarError(
          "SEC_BAD_RESPONSE",
          `The SEC response for ${url} is not valid JSON (truncated?): ${(e as Error).message}.`,
          { url, bytes: body.length },
        );
      }
    };
    const raw = await this.getRaw(path, opts, "json", parse);
    return { data: parse(raw.body), url: raw.url, fromCache: raw.fromCache, fetchedAt: raw.fetchedAt, stale: raw.stale };
  }

  /**
   * The body as bytes, unparsed: for large payloads parsed elsewhere (a worker thread).
   * Nothing checks the body, so a caller that finds it unreadable must evict() it.
   */
  async getBytes(path: string, opts: SecGetOptions): Promise<SecResponse<Buffer> & { version: string }> {
    const raw = await this.getRaw(path, opts, "bytes");
    return { data: raw.body, url: raw.url, fromCache: raw.fromCache, fetchedAt: raw.fetchedAt, stale: raw.stale, version: raw.version };
  }

  /**
   * What the cache holds for a path, without reading the body: `version` names the
   * content (ETag, else Last-Modified, else fetch time), `fresh` says whether it may be
   * served without asking the SEC. Undefined in offline mode and when nothing is cached.
   */
  cachedVersion(path: string, base: SecBase): { url: string; version: string; fresh: boolean; fetchedAt: number } | undefined {
    if (this.opts.offlineDir) return undefined;
    const url = this.urlFor(path, base);
    const row = this.deps.db
      .select({ etag: secCache.etag, lastModified: secCache.lastModified, fetchedAt: secCache.fetchedAt, expiresAt: secCache.expiresAt })
      .from(secCache)
      .where(eq(secCache.url, url))
      .get();
    if (!row) return undefined;
    return { url, version: versionOf(row), fresh: row.expiresAt > this.deps.clock.now(), fetchedAt: row.fetchedAt };
  }

  /** Forget a cached response (its body turned out unreadable), so the next call fetches it again. */
  evict(path: string, base: SecBase): void {
    this.deps.db.delete(secCache).where(eq(secCache.url, this.urlFor(path, base))).run();
  }

  async getText(path: string, opts: SecGetOptions): Promise<SecResponse<string>> {
    const raw = await this.getRaw(path, opts, "text");
    return { data: raw.body.toString("utf8"), url: raw.url, fromCache: raw.fromCache, fetchedAt: raw.fetchedAt, stale: raw.stale };
  }

  /** Concurrent calls for the same URL share one fetch. */
  private getRaw(path: string, opts: SecGetOptions, kind: string, validate?: (b: Buffer) => unknown): Promise<RawResult> {
    const url = this.urlFor(path, opts.base);
    const key = `${kind} ${url}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = (this.opts.offlineDir ? this.readOffline(path, url) : this.fetchCached(url, opts.ttlMs, validate)).finally(() => {
      this.inflight.delete(key);
    });
    this.inflight.set(key, p);
    return p;
  }

  private async readOffline(path: string, url: string): Promise<RawResult> {
    const dir = resolve(this.opts.offlineDir as string);
    const pathname = decodeURIComponent(path.split(/[?#]/)[0] ?? path);
    const file = resolve(dir, "." + pathname);
    const rel = relative(dir, file);
    if (rel.startsWith("..") || isAbsolute(rel)) {
      throw new EdgarError("SEC_NOT_FOUND", `Offline mode: ${path} points outside the offline directory.`, { url });
    }
    try {
      const [body, info] = await Promise.all([readFile(file), stat(file)]);
      return { body, url, fromCache: false, fetchedAt: this.deps.clock.now(), stale: false, version: `file:${info.mtimeMs}:${info.size}` };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") {
        throw new EdgarError("SEC_NOT_FOUND", `Offline mode: no file ${file} for ${url} (ARGUS_SEC_OFFLINE_DIR is set, so the network is not used).`, { url, file });
      }
      throw new EdgarError("SEC_UNAVAILABLE", `Offline mode: cannot read ${file} for ${url}: ${(e as Error).message}.`, { url, file });
    }
  }

  private readCache(url: string): CacheRow | undefined {
    return this.deps.db.select().from(secCache).where(eq(secCache.url, url)).get();
  }

  private async fetchCached(url: string, ttlMs: number, validate?: (b: Buffer) => unknown): Promise<RawResult> {
    const { clock, logger, db } = this.deps;
    const now = clock.now();
    let cached = this.readCache(url);
    if (cached && validate) {
      try {
        validate(cached.body);
      } catch {
        logger.warn({ url }, "SEC cache entry is unreadable; fetching it again");
        cached = undefined;
      }
    }
    if (cached && cached.expiresAt > now) {
      return { body: cached.body, url, fromCache: true, fetchedAt: cached.fetchedAt, stale: false, version: versionOf(cached) };
    }

    const userAgent = this.opts.userAgent?.trim();
    if (!userAgent) throw new EdgarError("SEC_USER_AGENT_REQUIRED", USER_AGENT_REQUIRED_MESSAGE, { url });

    const headers: Record<string, string> = {
      "User-Agent": userAgent,
      "Accept-Encoding": "gzip, deflate",
      Accept: "application/json, text/html, application/xml, text/plain, */*",
    };
    if (cached?.etag) headers["If-None-Match"] = cached.etag;
    if (cached?.lastModified) headers["If-Modified-Since"] = cached.lastModified;

    let result: { status: number; body?: Buffer; etag: string | null; lastModified: string | null; contentType: string | null };
    try {
      result = await this.fetchWithRetry(url, headers);
    } catch (e) {
      if (cached && e instanceof EdgarError && e.edgarCode !== "SEC_NOT_FOUND" && e.edgarCode !== "SEC_USER_AGENT_REQUIRED") {
        logger.warn({ url, err: e.message }, "SEC unreachable; serving a stale cached response");
        return { body: cached.body, url, fromCache: true, fetchedAt: cached.fetchedAt, stale: true, version: versionOf(cached) };
      }
      throw e;
    }

    const fetchedAt = clock.now();
    const expiresAt = ttlMs === Infinity ? NEVER : Math.min(NEVER, fetchedAt + Math.max(0, ttlMs));
    if (result.status === 304 && cached) {
      const kept = { etag: result.etag ?? cached.etag, lastModified: result.lastModified ?? cached.lastModified };
      db.update(secCache).set({ fetchedAt, expiresAt, ...kept }).where(eq(secCache.url, url)).run();
      logger.debug({ url }, "SEC 304 not modified; cache entry refreshed");
      // The content did not change, so its version stays what it was (a fetch-time version included).
      return { body: cached.body, url, fromCache: true, fetchedAt, stale: false, version: versionOf({ ...kept, fetchedAt: cached.fetchedAt }) };
    }
    const body = result.body;
    if (!body) throw new EdgarError("SEC_BAD_RESPONSE", `The SEC answered ${url} with ${result.status} and no body.`, { url });
    validate?.(body); // never cache a body the caller cannot read
    const row = { url, status: result.status, etag: result.etag, lastModified: result.lastModified, contentType: result.contentType, fetchedAt, expiresAt, body };
    db.insert(secCache).values(row).onConflictDoUpdate({ target: secCache.url, set: row }).run();
    return { body, url, fromCache: false, fetchedAt, stale: false, version: versionOf(row) };
  }

  private async fetchWithRetry(url: string, headers: Record<string, string>) {
    const { logger } = this.deps;
    const retry = this.opts.retry ?? {};
    const maxRetryAfterMs = retry.maxRetryAfterMs ?? 60_000;
    try {
      return await pRetry(
        async () => {
          await takeToken(this.opts.requestsPerSecond);
          let res: Response;
          try {
            res = await fetch(url, { headers, signal: AbortSignal.timeout(this.opts.timeoutMs) });
          } catch (e) {
            const err = e as Error;
            const what = err.name === "TimeoutError" ? `timed out after ${this.opts.timeoutMs} ms` : `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ""}`;
            throw new TransientError(`request to ${url} failed: ${what}`, undefined, undefined);
          }
          const meta = { etag: res.headers.get("etag"), lastModified: res.headers.get("last-modified"), contentType: res.headers.get("content-type") };
          if (res.status === 304) {
            await res.body?.cancel();
            return { status: 304, ...meta };
          }
          if (res.ok) {
            let body: Buffer;
            try {
              body = Buffer.from(await res.arrayBuffer());
            } catch (e) {
              throw new TransientError(`the response body of ${url} was cut off: ${(e as Error).message}`, res.status, undefined);
            }
            return { status: res.status, body, ...meta };
          }
          await res.body?.cancel().catch(() => undefined);
          if (res.status === 403) {
            throw new EdgarError(
              "SEC_FORBIDDEN",
              `SEC refused the request (403) for ${url}: fair-access block, usually from too many requests or a missing User-Agent; wait ~10 minutes before trying again.`,
              { url, status: 403 },
            );
          }
          if (res.status === 404) {
            throw new EdgarError("SEC_NOT_FOUND", `The SEC has nothing at ${url} (404).`, { url, status: 404 });
          }
          if (res.status === 429 || res.status >= 500) {
            throw new TransientError(`the SEC answered ${url} with ${res.status}`, res.status, parseRetryAfter(res.headers.get("retry-after")));
          }
          throw new EdgarError("SEC_BAD_RESPONSE", `The SEC answered ${url} with an unexpected HTTP ${res.status}.`, { url, status: res.status });
        },
        {
          retries: retry.retries ?? 3,
          minTimeout: retry.minTimeoutMs ?? 500,
          maxTimeout: retry.maxTimeoutMs ?? 8_000,
          factor: 2,
          randomize: true,
          shouldRetry: ({ error }) => error instanceof TransientError,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            if (!(error instanceof TransientError)) return;
            logger.warn({ url, attempt: attemptNumber, retriesLeft, err: error.message }, "SEC request failed; retrying");
            if (retriesLeft > 0 && error.retryAfterMs !== undefined) await sleep(Math.min(error.retryAfterMs, maxRetryAfterMs));
          },
        },
      );
    } catch (e) {
      if (e instanceof TransientError) {
        throw new EdgarError(
          "SEC_UNAVAILABLE",
          `The SEC could not be reached for ${url} after ${(retry.retries ?? 3) + 1} attempts: ${e.message}.`,
          { url, status: e.status },
        );
      }
      throw e;
    }
  }
}
