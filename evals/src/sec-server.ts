import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fromRoot } from "../../src/core/package-root.js";

/** ../shared/fixtures/edgar beside the project: the real SEC files the eval cases were written against. */
export const EDGAR_FIXTURES = fromRoot("..", "shared", "fixtures", "edgar");
export const HAS_EDGAR_FIXTURES = existsSync(join(EDGAR_FIXTURES, "company_tickers.json"));

/** The User-Agent eval runs send to the local SEC stand-in (the real SEC requires a name and an email). */
export const EVAL_USER_AGENT = "Argus Evals argus-evals@example.com";

export interface FixtureSec {
  /** Base URL for both data.sec.gov and www.sec.gov. */
  url: string;
  /** Requests served, by path: to see what a run fetched. */
  requests: string[];
  close(): Promise<void>;
}

function fixtureFor(dir: string, path: string): string | undefined {
  let m = /^\/submissions\/(CIK\d{10}\.json)$/.exec(path);
  if (m) return join(dir, "submissions", m[1]!);
  m = /^\/api\/xbrl\/companyfacts\/(CIK\d{10}\.json)$/.exec(path);
  if (m) return join(dir, "companyfacts", m[1]!);
  if (path === "/files/company_tickers.json") return join(dir, "company_tickers.json");
  return undefined;
}

/**
 * A local stand-in for data.sec.gov and www.sec.gov serving the fixture files under their
 * SEC paths (404 for anything else, 403 without a User-Agent like the SEC). The eval
 * runner starts one per run; no eval ever reaches the network.
 */
export async function startFixtureSec(dir = EDGAR_FIXTURES): Promise<FixtureSec> {
  const requests: string[] = [];
  const cache = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    requests.push(path);
    if (!req.headers["user-agent"]) {
      res.writeHead(403, { "Content-Type": "text/plain" }).end("User-Agent required");
      return;
    }
    const file = fixtureFor(dir, path);
    let body = file ? cache.get(file) : undefined;
    if (file && !body && existsSync(file)) {
      body = readFileSync(file);
      cache.set(file, body);
    }
    if (!body) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not Found");
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(body.length), "Last-Modified": "Mon, 01 Jun 2026 12:00:00 GMT" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
