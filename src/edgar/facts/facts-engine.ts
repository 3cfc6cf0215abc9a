/**
 * Main-thread side of companyfacts: fetch the bytes through SecClient (cache, rate limit,
 * retries), hand them to a worker thread that parses and keeps them, and ask it questions.
 * A 4 MB payload takes tens of milliseconds to parse and normalise; off the event loop,
 * MCP calls keep answering while it runs.
 *
 * `worker: false` runs the same FactsHandler inline (for environments without workers).
 */
import { Worker } from "node:worker_threads";
import { ArgusError } from "../../core/errors.js";
import type { Logger } from "../../core/logger.js";
import type { SecClient } from "../client/sec-client.js";
import { FactsHandler } from "./handler.js";
import { deserializeError, type WorkerRequest, type WorkerResponse } from "./protocol.js";
import type { FactsQuery } from "./queries.js";

/** companyfacts changes when a filing lands; the SEC rebuilds it within hours. */
export const COMPANYFACTS_TTL_MS = 6 * 60 * 60 * 1000;

export interface FactsSource {
  url: string;
  fetchedAt: number;
  fromCache: boolean;
  stale: boolean;
}

export interface FactsEngineOptions {
  /** Parse in a worker thread (default true). */
  worker?: boolean;
  /** Parsed companies kept in memory (default 4). */
  maxCompanies?: number;
}

/** A request before it gets its id (distributes over the union, unlike Omit). */
type NewRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;
type Pending = { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void };

/**
 * A body the engine owns outright (its own ArrayBuffer, as file reads and SQLite blobs
 * of this size are) moves to the worker instead of being copied: 4 MB less to copy on
 * the event loop. A slice of a shared pool is copied as usual.
 */
function transferable(req: WorkerRequest): ArrayBuffer[] {
  if (req.op !== "load") return [];
  const b = req.body;
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer ? [b.buffer] : [];
}

export function companyFactsPath(cik: string): string {
  return `/api/xbrl/companyfacts/CIK${cik}.json`;
}

export class FactsEngine {
  private worker: Worker | undefined;
  private inline: FactsHandler | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly loading = new Map<string, Promise<void>>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly sec: SecClient,
    private readonly logger: Logger,
    private readonly opts: FactsEngineOptions = {},
  ) {}

  /** Run a query against a company's companyfacts (cik: 10 digits). */
  async query<T>(cik: string, query: FactsQuery): Promise<{ result: T; source: FactsSource }> {
    const path = companyFactsPath(cik);
    const cached = this.sec.cachedVersion(path, "data");
    if (cached?.fresh) {
      const r = await this.send({ op: "query", key: `${cached.url}#${cached.version}`, query });
      if (!("missing" in r)) return { result: this.unwrap<T>(r), source: { url: cached.url, fetchedAt: cached.fetchedAt, fromCache: true, stale: false } };
    }
    const res = await this.sec.getBytes(path, { base: "data", ttlMs: COMPANYFACTS_TTL_MS });
    const key = `${res.url}#${res.version}`;
    const source: FactsSource = { url: res.url, fetchedAt: res.fetchedAt, fromCache: res.fromCache, stale: res.stale };
    let r = await this.send({ op: "query", key, query });
    if ("missing" in r) {
      // A concurrent caller may have moved this same body to the worker already (see transferable).
      const body = res.data.byteLength > 0 ? res.data : (await this.sec.getBytes(path, { base: "data", ttlMs: COMPANYFACTS_TTL_MS })).data;
      await this.load(key, body, path);
      r = await this.send({ op: "query", key, query });
    }
    if ("missing" in r) throw new ArgusError("INTERNAL", `companyfacts for CIK ${cik} were parsed but are no longer held; try again.`);
    return { result: this.unwrap<T>(r), source };
  }

  close(): void {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  private unwrap<T>(r: WorkerResponse): T {
    if (r.ok) return r.result as T;
    if ("error" in r) throw deserializeError(r.error);
    throw new ArgusError("INTERNAL", "the facts worker lost a parsed payload");
  }

  /** Parse once per content version, however many callers ask at the same time. */
  private load(key: string, body: Buffer, path: string): Promise<void> {
    let p = this.loading.get(key);
    if (!p) {
      p = this.send({ op: "load", key, body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) })
        .then((r) => {
          if (r.ok) return;
          if ("error" in r) {
            // An unreadable body must not be served from the cache again.
            if (r.error.details?.edgarCode === "SEC_BAD_RESPONSE") this.sec.evict(path, "data");
            throw deserializeError(r.error);
          }
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, p);
    }
    return p;
  }

  private send(req: NewRequest): Promise<WorkerResponse> {
    if (this.closed) return Promise.reject(new ArgusError("INTERNAL", "the EDGAR facts engine is closed"));
    const full = { ...req, id: this.nextId++ } as WorkerRequest;
    if (this.opts.worker === false) {
      this.inline ??= new FactsHandler(this.opts.maxCompanies);
      return Promise.resolve(this.inline.handle(full));
    }
    const worker = this.ensureWorker();
    return new Promise<WorkerResponse>((resolve, reject) => {
      this.pending.set(full.id, { resolve, reject });
      if (this.pending.size === 1) worker.ref(); // keep the process alive only while work is pending
      worker.postMessage(full, transferable(full));
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // From the compiled build the worker is a sibling .js. From source (vitest) there is no
    // .js: a small bootstrap registers tsx in the worker and then imports the .ts entry.
    const fromSource = import.meta.url.endsWith(".ts");
    const workerData = { maxCompanies: this.opts.maxCompanies ?? 4 };
    const worker = fromSource
      ? new Worker(
          `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./facts-worker.ts", import.meta.url).href)}); });`,
          { eval: true, workerData },
        )
      : new Worker(new URL("./facts-worker.js", import.meta.url), { workerData });
    worker.unref();
    worker.on("message", (r: WorkerResponse) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (this.pending.size === 0) worker.unref();
      p.resolve(r);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined; // the next call starts a fresh one
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new ArgusError("INTERNAL", `the EDGAR facts worker stopped: ${err.message}`));
      }
    };
    worker.on("error", (err) => {
      this.logger.error({ err: err.message }, "EDGAR facts worker failed");
      fail(err);
    });
    worker.on("exit", (code) => {
      if (!this.closed && code !== 0) fail(new Error(`exit code ${code}`));
      else if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }
}
