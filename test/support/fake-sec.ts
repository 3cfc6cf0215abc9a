/**
 * A local stand-in for data.sec.gov and www.sec.gov (one server plays both hosts), serving
 * the REAL fixture files from ../shared/fixtures/edgar under the SEC paths:
 *
 *   GET /submissions/CIK##########.json          fixtures/edgar/submissions/
 *   GET /api/xbrl/companyfacts/CIK##########.json fixtures/edgar/companyfacts/
 *   GET /files/company_tickers.json              fixtures/edgar/company_tickers.json
 *   GET <any path registered with setFile()>     (overrides the fixtures)
 *
 * Like the SEC it answers 403 to a request without a User-Agent, sends an ETag and a
 * Last-Modified (304 on a matching If-None-Match / If-Modified-Since), and gzips when the
 * client accepts it. The query string is ignored when looking up the file.
 *
 * Scripting (each consumes one matching request per use, `times` uses in all):
 *   fail(path, status, times, { retryAfter?, body? })  answer with this status instead;
 *   truncate(path, times)                               send the first half of the body only;
 *   delay(path, ms, times)                              wait before answering.
 * `requests` logs every request (time, path, headers, status); `hits(path)` counts them.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { BacktestClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { SecClient, type SecClientOptions } from "../../src/edgar/client/sec-client.js";

/** ../shared/fixtures/edgar beside the project (same place as FIXTURES in ./app.ts, without loading the app). */
export const EDGAR_FIXTURES = resolve(import.meta.dirname, "../../../shared/fixtures/edgar");
export const HAS_EDGAR_FIXTURES = existsSync(join(EDGAR_FIXTURES, "company_tickers.json"));

/** A fixed Last-Modified for every file (the fixtures never change while a test runs). */
const LAST_MODIFIED = "Mon, 01 Jun 2026 12:00:00 GMT";

export interface FakeSecRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Path with the query string, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Arrival time, epoch ms (Date.now()) and high-resolution (performance.now()). */
  t: number;
  hr: number;
  status: number;
  /** "gzip" when the response body was gzipped. */
  contentEncoding?: string;
}

interface Script {
  path: string | RegExp;
  times: number;
  kind: "fail" | "truncate" | "delay";
  status?: number;
  retryAfter?: string;
  body?: string;
  ms?: number;
}

export interface FakeSec {
  /** Base URL (no trailing slash) for both dataBaseUrl and wwwBaseUrl. */
  url: string;
  requests: FakeSecRequest[];
  fail(path: string | RegExp, status: number, times?: number, opts?: { retryAfter?: string; body?: string }): void;
  truncate(path: string | RegExp, times?: number): void;
  delay(path: string | RegExp, ms: number, times?: number): void;
  /** Serve `body` at `path` (overrides a fixture). */
  setFile(path: string, body: string | Buffer): void;
  /** Requests whose path matches. */
  hits(path: string | RegExp): FakeSecRequest[];
  /** Answer 403 to requests without a User-Agent (default true, like the SEC). */
  requireUserAgent: boolean;
  close(): Promise<void>;
}

function fixtureFor(path: string): string | undefined {
  let m = /^\/submissions\/(CIK\d{10}\.json)$/.exec(path);
  if (m) return join(EDGAR_FIXTURES, "submissions", m[1] as string);
  m = /^\/api\/xbrl\/companyfacts\/(CIK\d{10}\.json)$/.exec(path);
  if (m) return join(EDGAR_FIXTURES, "companyfacts", m[1] as string);
  if (path === "/files/company_tickers.json") return join(EDGAR_FIXTURES, "company_tickers.json");
  return undefined;
}

function matches(p: string | RegExp, path: string): boolean {
  return typeof p === "string" ? p === path : p.test(path);
}

export async function startFakeSec(): Promise<FakeSec> {
  const requests: FakeSecRequest[] = [];
  const scripts: Script[] = [];
  const files = new Map<string, Buffer>();
  const fileCache = new Map<string, Buffer>();

  const take = (path: string, kind: Script["kind"]): Script | undefined => {
    const s = scripts.find((x) => x.kind === kind && x.times > 0 && matches(x.path, path));
    if (s) s.times -= 1;
    return s;
  };

  const load = (path: string): Buffer | undefined => {
    const own = files.get(path);
    if (own) return own;
    const file = fixtureFor(path);
    if (!file) return undefined;
    let buf = fileCache.get(file);
    if (!buf) {
      if (!existsSync(file)) return undefined;
      buf = readFileSync(file);
      fileCache.set(file, buf);
    }
    return buf;
  };

  const server = createServer((req, res) => {
    const url = req.url ?? "/";
    const path = url.split("?")[0] ?? "/";
    const entry: FakeSecRequest = { method: req.method ?? "GET", path, url, headers: req.headers, t: Date.now(), hr: performance.now(), status: 0 };
    requests.push(entry);
    const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}) => {
      entry.status = status;
      let buf = typeof body === "string" ? Buffer.from(body) : body;
      const out: Record<string, string> = { ...headers };
      const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? "")) && buf.length > 0 && status !== 304;
      if (gzip) {
        buf = gzipSync(buf);
        out["Content-Encoding"] = "gzip";
        entry.contentEncoding = "gzip";
      }
      if (status !== 304) out["Content-Length"] = String(buf.length);
      res.writeHead(status, out);
      res.end(status === 304 ? undefined : buf);
    };
    const handle = () => {
      if (fake.requireUserAgent && !req.headers["user-agent"]) {
        return send(403, "<html><body>Your Request Originates from an Undeclared Automated Tool</body></html>", { "Content-Type": "text/html" });
      }
      const failure = take(path, "fail");
      if (failure) {
        const h: Record<string, string> = { "Content-Type": "text/plain" };
        if (failure.retryAfter !== undefined) h["Retry-After"] = failure.retryAfter;
        return send(failure.status ?? 500, failure.body ?? `fake-sec scripted ${failure.status}`, h);
      }
      const body = load(path);
      if (!body) return send(404, "Not Found", { "Content-Type": "text/plain" });
      const etag = `"${createHash("sha1").update(body).digest("hex").slice(0, 20)}"`;
      const type = path.endsWith(".json") ? "application/json" : "text/plain";
      const common = { ETag: etag, "Last-Modified": LAST_MODIFIED, "Content-Type": type };
      const inm = req.headers["if-none-match"];
      if (inm !== undefined ? inm === etag : req.headers["if-modified-since"] === LAST_MODIFIED) {
        return send(304, "", common);
      }
      if (take(path, "truncate")) {
        // Half the body, complete as far as HTTP goes: JSON that ends mid-value.
        return send(200, body.subarray(0, Math.floor(body.length / 2)), common);
      }
      return send(200, body, common);
    };
    const delay = take(path, "delay");
    if (delay) setTimeout(handle, delay.ms ?? 0);
    else handle();
  });

  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;

  const fake: FakeSec = {
    url: `http://127.0.0.1:${port}`,
    requests,
    requireUserAgent: true,
    fail: (path, status, times = 1, opts = {}) => {
      scripts.push({ kind: "fail", path, status, times, ...opts });
    },
    truncate: (path, times = 1) => {
      scripts.push({ kind: "truncate", path, times });
    },
    delay: (path, ms, times = 1) => {
      scripts.push({ kind: "delay", path, ms, times });
    },
    setFile: (path, body) => {
      files.set(path, typeof body === "string" ? Buffer.from(body) : body);
    },
    hits: (path) => requests.filter((r) => matches(path, r.path)),
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
  return fake;
}

// ---------------------------------------------------------------------------------
// Wiring for SecClient tests: an in-memory database, a fixed clock, a silent logger.


export const TEST_USER_AGENT = "Argus Tests argus-tests@example.com";

export interface SecTestKit {
  db: Db;
  clock: BacktestClock;
  client(overrides?: Partial<SecClientOptions>): SecClient;
  close(): void;
}

/** A database and clock for SecClient instances pointed at `baseUrl` (a FakeSec url). */
export function secTestKit(baseUrl: string, now = Date.parse("2026-11-23T15:00:00Z")): SecTestKit {
  const db = openDatabase({ path: ":memory:", synchronous: "OFF" });
  const clock = new BacktestClock(now);
  const logger = silentLogger();
  return {
    db,
    clock,
    client: (overrides = {}) =>
      new SecClient(
        {
          userAgent: TEST_USER_AGENT,
          dataBaseUrl: baseUrl,
          wwwBaseUrl: baseUrl,
          requestsPerSecond: 10,
          timeoutMs: 5_000,
          retry: { retries: 3, minTimeoutMs: 10, maxTimeoutMs: 50 },
          ...overrides,
        },
        { db, clock, logger },
      ),
    close: () => db.$client.close(),
  };
}

/** Every "filed" (or "filingDate") date anywhere in a JSON value: for point-in-time assertions. */
export function filedDates(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) for (const v of x) filedDates(v, out);
  else if (x && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      if ((k === "filed" || k === "filingDate") && typeof v === "string") out.push(v);
      else filedDates(v, out);
    }
  }
  return out;
}
