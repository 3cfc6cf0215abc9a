import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/support/app.js";
import { WEEKEND_NOON } from "../../../test/support/trading.js";
import { createLogger } from "../../core/logger.js";
import { createToolRegistry } from "../../../tools/index.js";
import { liveToken, rotateToken } from "../auth/token.js";
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from "./server.js";

const CLIENT = "client-token-for-rest-0123456789";
const APPROVER = "approver-token-for-rest-987654321";

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function start(t: TestApp, extra: Partial<HttpServerOptions> = {}): Promise<RunningHttpServer> {
  return startHttpServer(t.app, createToolRegistry(), {
    host: "127.0.0.1",
    port: 0,
    token: CLIENT,
    approverToken: APPROVER,
    stateless: false,
    allowedHosts: [],
    allowedOrigins: [],
    maxBodyBytes: 50_000,
    ...extra,
  });
}

function client(base: string) {
  return async (method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${base}${path}`, { method, headers, ...(opts.raw !== undefined ? { body: opts.raw } : opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
}

const errorOf = (r: Reply) => r.body.error as { code: string; message: string };

describe("REST API", () => {
  let t: TestApp;
  let server: RunningHttpServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    // A Saturday: the demo's Friday close is the latest price, fresh enough to propose an order.
    t = createTestApp({ now: WEEKEND_NOON });
    server = await start(t);
    api = client(server.baseUrl);
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  it("calls any tool by name and answers with its structured result and summary", async () => {
    const r = await api("POST", "/api/v1/tools/get_bars", { token: CLIENT, body: { symbol: "MKT.DEMO", limit: 3 } });
    expect(r.status).toBe(200);
    expect((r.body.result as { count: number }).count).toBe(3);
    expect(r.body.text).toMatch(/MKT\.DEMO/);
    expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves resource routes with typed query strings, through the same tools", async () => {
    const bars = await api("GET", "/api/v1/bars/MKT.DEMO?limit=4&timeframe=1Day", { token: CLIENT });
    expect(bars.status).toBe(200);
    expect((bars.body.result as { count: number; symbol: string }).count).toBe(4);
    const viaTool = await api("POST", "/api/v1/tools/get_bars", { token: CLIENT, body: { symbol: "MKT.DEMO", limit: 4 } });
    expect(bars.body.result).toEqual(viaTool.body.result);
    const typo = await api("GET", "/api/v1/bars/MKT.DEMO?limt=4", { token: CLIENT });
    expect(typo.status).toBe(400);
    expect(errorOf(typo).message).toMatch(/Unknown query parameter "limt".*limit/);
    const account = await api("GET", "/api/v1/account", { token: CLIENT });
    expect(account.status).toBe(200);
  });

  it("answers every error in one format: stable code, a sentence, the request id", async () => {
    const unknown = await api("POST", "/api/v1/tools/no_such_tool", { token: CLIENT, body: {} });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe("UNKNOWN_TOOL");
    expect(unknown.body.requestId).toBe(unknown.headers.get("x-request-id"));
    const invalid = await api("POST", "/api/v1/tools/get_bars", { token: CLIENT, body: { symbol: "MKT.DEMO", limit: -1 } });
    expect([invalid.status, errorOf(invalid).code]).toEqual([400, "INVALID_INPUT"]);
    const noSymbol = await api("GET", "/api/v1/bars/NOPE", { token: CLIENT });
    expect([noSymbol.status, errorOf(noSymbol).code]).toEqual([404, "UNKNOWN_SYMBOL"]);
    const badJson = await api("POST", "/api/v1/tools/get_bars", { token: CLIENT, raw: "{oops" });
    expect([badJson.status, errorOf(badJson).code]).toEqual([400, "INVALID_INPUT"]);
    const big = await api("POST", "/api/v1/tools/get_bars", { token: CLIENT, body: { pad: "x".repeat(60_000) } });
    expect([big.status, errorOf(big).code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    const noRoute = await api("GET", "/api/v1/nothing-here", { token: CLIENT });
    expect([noRoute.status, errorOf(noRoute).code]).toEqual([404, "NOT_FOUND"]);
    // Keeps serving after all of that.
    expect((await api("GET", "/api/v1/account", { token: CLIENT })).status).toBe(200);
  });

  it("refuses requests without a valid token, and the MCP token on every human-only route", async () => {
    expect((await api("GET", "/api/v1/account")).status).toBe(401);
    expect((await api("GET", "/api/v1/account", { token: "wrong-token-wrong-token-wrong" })).status).toBe(401);
    const proposal = await api("POST", "/api/v1/tools/propose_order", { token: CLIENT, body: { symbol: "NOVA.DEMO", side: "buy", qty: 1 } });
    expect(proposal.status).toBe(200);
    const id = (proposal.body.result as { proposalId: string }).proposalId;
    for (const [method, path, body] of [
      ["POST", `/api/v1/approvals/${id}`, { decision: "approve" }],
      ["POST", "/api/v1/trading/halt", {}],
      ["POST", "/api/v1/trading/resume", { state: "ACTIVE" }],
      ["GET", "/api/v1/audit", undefined],
      ["GET", "/api/v1/events", undefined],
    ] as const) {
      const r = await api(method, path, { token: CLIENT, ...(body ? { body } : {}) });
      expect([path, r.status, errorOf(r).code]).toEqual([path, 403, "FORBIDDEN"]);
    }
    expect((await api("GET", `/api/v1/proposals/${id}`, { token: CLIENT })).body.result).toMatchObject({ status: "awaiting_approval" });
    const approved = await api("POST", `/api/v1/approvals/${id}`, { token: APPROVER, body: { decision: "approve", approver: "ops" } });
    expect(approved.status).toBe(200);
    expect(approved.body.result).toMatchObject({ proposal: { status: "submitted", decidedBy: "human:ops", decisionChannel: "rest" } });
    const again = await api("POST", `/api/v1/approvals/${id}`, { token: APPROVER, body: { decision: "approve" } });
    expect([again.status, errorOf(again).code]).toEqual([409, "PROPOSAL_NOT_PENDING"]);
  });

  it("lets the approver halt and resume, each audited with the REST channel", async () => {
    const halt = await api("POST", "/api/v1/trading/halt", { token: APPROVER, body: { reason: "drill" } });
    expect(halt.status).toBe(200);
    expect(halt.body.result).toMatchObject({ state: { state: "HALTED" } });
    const resumeHalted = await api("POST", "/api/v1/trading/resume", { token: APPROVER, body: { state: "HALTED" } });
    expect(resumeHalted.status).toBe(400);
    const resume = await api("POST", "/api/v1/trading/resume", { token: APPROVER, body: { state: "ACTIVE", reason: "drill over" } });
    expect(resume.body.result).toMatchObject({ state: { state: "ACTIVE" } });
    const audit = await api("GET", "/api/v1/audit?kind=state.changed&limit=5", { token: APPROVER });
    const rows = (audit.body.result as { rows: { kind: string; channel: string; payload: { to: string } }[] }).rows;
    expect(rows[0]).toMatchObject({ kind: "state.changed", channel: "rest", payload: { to: "ACTIVE" } });
    const badQuery = await api("GET", "/api/v1/audit?kind=nope", { token: APPROVER });
    expect([badQuery.status, errorOf(badQuery).code]).toEqual([400, "INVALID_INPUT"]);
  });

  it("runs a long tool to the end: the cancel signal fires only when the client goes away", async () => {
    const r = await api("POST", "/api/v1/tools/run_backtest", { token: CLIENT, body: { start: "2026-06-01", end: "2026-11-20", universe: ["MKT.DEMO"], strategy: { kind: "null" } } });
    expect(r.status, JSON.stringify(r.body.error)).toBe(200);
    expect((r.body.result as { id: string; kind: string }).kind).toBe("single");
  });

  it("serves the OpenAPI document without a token", async () => {
    const r = await api("GET", "/api/v1/openapi.json");
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    expect(Object.keys(r.body.paths as object)).toContain("/api/v1/tools/get_bars");
  });
});

describe("REST rate limiting", () => {
  it("answers 429 with Retry-After once one token passes its budget; other tokens are unaffected", async () => {
    const t = createTestApp();
    const server = await start(t, { rateLimitPerMinute: 5 });
    const api = client(server.baseUrl);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await api("GET", "/api/v1/account", { token: CLIENT })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const limited = await api("GET", "/api/v1/account", { token: CLIENT });
      expect(errorOf(limited).code).toBe("RATE_LIMITED");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await api("GET", "/api/v1/account", { token: APPROVER })).status).toBe(200);
    } finally {
      await server.close();
      t.cleanup();
    }
  });
});

describe("console sign-in", () => {
  let t: TestApp;
  let server: RunningHttpServer;
  let api: ReturnType<typeof client>;
  const logLines: string[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    t = createTestApp({ logger: createLogger("trace", sink) });
    server = await start(t);
    api = client(server.baseUrl);
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const r = await api("POST", "/console/login", { body: { token: APPROVER } });
    expect(r.status).toBe(200);
    const setCookie = r.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^argus_console=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    return { cookie: setCookie.split(";")[0]!, csrf: (r.body as { csrfToken: string }).csrfToken };
  }

  it("accepts only the approver token, in the body; the MCP token is told why not", async () => {
    const mcp = await api("POST", "/console/login", { body: { token: CLIENT } });
    expect([mcp.status, errorOf(mcp).code]).toEqual([403, "FORBIDDEN"]);
    const wrong = await api("POST", "/console/login", { body: { token: "not-the-token-at-all-xxxx" } });
    expect([wrong.status, errorOf(wrong).code]).toEqual([401, "UNAUTHORIZED"]);
    const { cookie } = await signIn();
    const session = await api("GET", "/console/session", { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ now: expect.stringMatching(/^2026-11-23T10:00:00/) });
  });

  it("needs the CSRF header for writes with the cookie, and refuses cross-site requests", async () => {
    const { cookie, csrf } = await signIn();
    const read = await api("GET", "/api/v1/audit?limit=1", { headers: { cookie } });
    expect(read.status).toBe(200);
    const noCsrf = await api("POST", "/api/v1/trading/halt", { headers: { cookie }, body: {} });
    expect([noCsrf.status, errorOf(noCsrf).code]).toEqual([403, "FORBIDDEN"]);
    const wrongCsrf = await api("POST", "/api/v1/trading/halt", { headers: { cookie, "x-csrf-token": "guess" }, body: {} });
    expect(wrongCsrf.status).toBe(403);
    const crossSite = await api("POST", "/api/v1/trading/halt", { headers: { cookie, "x-csrf-token": csrf, "sec-fetch-site": "cross-site" }, body: {} });
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await api("POST", "/api/v1/trading/halt", { headers: { cookie, "x-csrf-token": csrf, origin: "https://evil.example" }, body: {} });
    expect([foreignOrigin.status, errorOf(foreignOrigin).code]).toEqual([403, "FORBIDDEN_ORIGIN"]);
    expect(t.app.execution.tradingState().state).toBe("ACTIVE");
    const ok = await api("POST", "/api/v1/trading/halt", { headers: { cookie, "x-csrf-token": csrf, origin: server.baseUrl }, body: { reason: "console drill" } });
    expect(ok.status).toBe(200);
    expect(t.app.audit.list({ kind: "killswitch.tripped", limit: 1 })[0]).toMatchObject({ actor: "human:console", channel: "console" });
    await api("POST", "/api/v1/trading/resume", { headers: { cookie, "x-csrf-token": csrf }, body: { state: "ACTIVE" } });
  });

  it("signs out, and never writes a token to the log", async () => {
    const { cookie, csrf } = await signIn();
    expect((await api("POST", "/console/logout", { headers: { cookie, "x-csrf-token": csrf } })).status).toBe(204);
    expect((await api("GET", "/api/v1/audit?limit=1", { headers: { cookie } })).status).toBe(401);
    await api("GET", "/api/v1/account", { token: "not-the-token-at-all-xxxx" });
    await api("POST", "/api/v1/tools/get_bars", { token: APPROVER, raw: "{broken" });
    const log = logLines.join("");
    expect(log).not.toContain(APPROVER);
    expect(log).not.toContain(CLIENT);
    expect(log).not.toContain(cookie.split("=")[1]);
  });

  it("serves the console page with a strict Content-Security-Policy", async () => {
    const res = await fetch(`${server.baseUrl}/console/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html/i);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    const root = await fetch(`${server.baseUrl}/`, { redirect: "manual" });
    expect(root.headers.get("location")).toBe("/console/");
  });
});

/** Reads server-sent events from a fetch body until `done` says stop (or the time runs out). */
async function readEvents(res: Response, done: (events: { id?: string; event: string; data: Record<string, unknown> }[]) => boolean, ms = 5_000) {
  const events: { id?: string; event: string; data: Record<string, unknown> }[] = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const deadline = Date.now() + ms;
  try {
    while (!done(events) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
      if (chunk === null || chunk.done) break;
      buffer += chunk.value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
        if (fields.event) events.push({ ...(fields.id ? { id: fields.id } : {}), event: fields.event, data: JSON.parse(fields.data ?? "{}") as Record<string, unknown> });
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

describe("live feed and token rotation", () => {
  it("streams each new audit row (a proposal from a REST client) and replays from Last-Event-ID", async () => {
    const t = createTestApp({ now: WEEKEND_NOON });
    const server = await start(t, { feedPollMs: 50, clockEventMs: 200 });
    const api = client(server.baseUrl);
    try {
      const stream = await fetch(`${server.baseUrl}/api/v1/events`, { headers: { authorization: `Bearer ${APPROVER}` } });
      expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const proposing = (async () => {
        await new Promise((r) => setTimeout(r, 150));
        return api("POST", "/api/v1/tools/propose_order", { token: CLIENT, body: { symbol: "MKT.DEMO", side: "buy", qty: 2 } });
      })();
      const events = await readEvents(stream, (ev) => ev.some((e) => e.data.kind === "proposal.checked"));
      const id = ((await proposing).body.result as { proposalId: string }).proposalId;
      expect(events[0]).toMatchObject({ event: "clock", data: { now: expect.stringMatching(/^2026-11-21T12:00/) } });
      const audit = events.filter((e) => e.event === "audit");
      expect(audit.map((e) => e.data.kind)).toEqual(["proposal.created", "proposal.checked"]);
      // Made with the MCP token over REST: audited as a client over REST, not as the model over MCP.
      expect(audit[0]!.data).toMatchObject({ subject: id, actor: "client", channel: "rest" });
      const firstSeq = Number(audit[0]!.id);
      const replay = await fetch(`${server.baseUrl}/api/v1/events`, { headers: { authorization: `Bearer ${APPROVER}`, "last-event-id": String(firstSeq - 1) } });
      const replayed = await readEvents(replay, (ev) => ev.filter((e) => e.event === "audit").length >= 2, 2_000);
      expect(replayed.filter((e) => e.event === "audit").map((e) => Number(e.id))).toEqual([firstSeq, firstSeq + 1]);
    } finally {
      await server.close();
      t.cleanup();
    }
  });

  it("follows `argus token --rotate`: the old tokens and console sessions stop working, the new ones work", async () => {
    const t = createTestApp();
    const clientToken = liveToken(t.home, undefined, "token");
    const approverToken = liveToken(t.home, undefined, "approver-token");
    const oldApprover = approverToken();
    const oldClient = clientToken();
    const server = await start(t, { token: clientToken, approverToken });
    const api = client(server.baseUrl);
    try {
      const login = await api("POST", "/console/login", { body: { token: oldApprover } });
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      expect((await api("GET", "/api/v1/audit?limit=1", { headers: { cookie } })).status).toBe(200);
      const newApprover = rotateToken(t.home, "approver-token").token;
      const newClient = rotateToken(t.home, "token").token;
      await new Promise((r) => setTimeout(r, 1_100)); // liveToken looks at the file at most once a second
      expect((await api("GET", "/api/v1/audit?limit=1", { token: oldApprover })).status).toBe(401);
      expect((await api("GET", "/api/v1/account", { token: oldClient })).status).toBe(401);
      expect((await api("GET", "/api/v1/audit?limit=1", { headers: { cookie } })).status).toBe(401);
      expect((await api("GET", "/api/v1/audit?limit=1", { token: newApprover })).status).toBe(200);
      expect((await api("GET", "/api/v1/account", { token: newClient })).status).toBe(200);
    } finally {
      await server.close();
      t.cleanup();
    }
  });
});
