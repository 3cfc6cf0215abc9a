import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromRoot } from "../../src/core/package-root.js";
import type { RunningHttpServer } from "../../src/server/http/server.js";
import type { TestApp } from "../support/app.js";
import { APPROVER_TOKEN, startTradingHarness, type TradingHarness } from "../support/trading.js";
import { browserAvailable, launchChromium } from "../support/browser.js";

/**
 * Friday 2026-11-20 15:00 New York, mid-session. The demo is generated on the Saturday after,
 * with one-minute bars for its last sessions, so at 15:00 the price is a minute old (fresh)
 * and the bars after 15:00 exist for the paper broker to fill against once the clock reaches them.
 */
const FRIDAY_3PM = Date.parse("2026-11-20T20:00:00Z");
const SATURDAY_NOON = Date.parse("2026-11-21T17:00:00Z");
const ARTIFACTS = fromRoot("test-artifacts");

type Structured = Record<string, unknown>;

describe.skipIf(!browserAvailable())("approval console in a real browser", () => {
  let h: TradingHarness;
  let t: TestApp;
  let server: RunningHttpServer;
  let model: Client;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const propose = async (args: Structured): Promise<string> => {
    const r = await model.callTool({ name: "propose_order", arguments: args });
    expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
    return String((r.structuredContent as Structured).proposalId);
  };
  const card = (id: string) => page.locator(`[data-proposal-id="${id}"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The model's side is the harness's SDK client over HTTP with the MCP token, and no elicitation.
    h = await startTradingHarness({ now: FRIDAY_3PM, demoAsOf: SATURDAY_NOON, server: { watchIntervalMs: 100, feedPollMs: 100, clockEventMs: 500 } });
    ({ t, server, model } = h);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("signs in with the approver token, which never appears in a URL", async () => {
    const urls: string[] = [];
    page.on("request", (r) => urls.push(r.url()));
    await page.goto(`${server.baseUrl}/console/`);
    await page.fill("#token", APPROVER_TOKEN);
    await page.locator("#login-form").locator("button[type=submit], input[type=submit]").first().click();
    await expect.poll(() => page.locator("#proposals").isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.locator("#proposals").innerText()).toMatch(/No proposals await approval/);
    expect(urls.filter((u) => u.includes(APPROVER_TOKEN))).toEqual([]);
    // (Expressions as strings: this file is type-checked without the DOM library.)
    expect(await page.evaluate("JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie")).not.toContain(APPROVER_TOKEN);
  });

  it("shows the model's proposal without a reload, approves it with a click, and follows it to the fill", async () => {
    const id = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 5, rationale: "browser test" });
    await expect.poll(() => card(id).count(), { timeout: 10_000 }).toBe(1);
    const text = await card(id).innerText();
    expect(text).toMatch(/NOVA\.DEMO/);
    expect(text).toMatch(/expires in \d+:\d\d/);
    const proposal = t.app.execution.getProposal(id);
    for (const check of proposal.checks) expect(text).toContain(check.code);
    await page.screenshot({ path: `${ARTIFACTS}/console-pending-proposal.png`, fullPage: true });

    await card(id).locator('[data-action="approve"]').click();
    await expect.poll(() => t.app.execution.getProposal(id).status, { timeout: 10_000 }).toBe("submitted");
    expect(t.app.execution.getProposal(id)).toMatchObject({ decisionChannel: "console", decidedBy: "human:console" });

    // Three minutes on, the next minute bars are complete: the paper broker fills the order,
    // the server audits the fill, and the page learns of it over the live feed.
    t.clock.set(FRIDAY_3PM + 3 * 60_000);
    await expect.poll(async () => (await t.app.execution.orders({ status: "all", limit: 5 }))[0]?.status, { timeout: 10_000 }).toBe("filled");
    await expect.poll(() => page.locator("#orders").innerText(), { timeout: 10_000 }).toMatch(/filled/);
    await expect.poll(() => page.locator("#positions").innerText(), { timeout: 10_000 }).toMatch(/NOVA\.DEMO/);

    const steps = ["proposal.created", "proposal.checked", "proposal.approved", "order.submitting", "order.submitted", "order.filled"];
    expect(t.app.audit.list({ subject: id, limit: 50 }).map((r) => r.kind).reverse()).toEqual(expect.arrayContaining(steps));
    await expect.poll(async () => {
      const auditText = await page.locator("#audit").innerText();
      return steps.filter((k) => !auditText.includes(k));
    }, { timeout: 10_000 }).toEqual([]);
    // The model runs an analysis: it arrives in the analysis log live, with its explanation and chart.
    const analysis = await model.callTool({ name: "analyze_ticker", arguments: { symbol: "NOVA.DEMO" } });
    expect(analysis.isError, JSON.stringify(analysis.content)).toBeFalsy();
    const analysisId = String((analysis.structuredContent as Structured).analysisId);
    const explain = page.locator(`#analyses button[data-analysis-id="${analysisId}"]`);
    await expect.poll(() => explain.count(), { timeout: 10_000 }).toBe(1);
    await explain.click();
    await expect.poll(() => page.locator("#analysis-detail").innerText(), { timeout: 10_000 }).toContain(analysisId);
    const chart = page.locator("#analysis-detail img.chart");
    await expect.poll(() => chart.evaluate((img) => ((img as { complete: boolean }).complete ? (img as { naturalWidth: number }).naturalWidth : 0)), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.click("#verify-chain");
    await expect.poll(() => page.locator("#verify-result").innerText()).toMatch(/intact/i);
    await page.screenshot({ path: `${ARTIFACTS}/console-after-fill.png`, fullPage: true });
  });

  it("refuses a cross-site POST made with the signed-in browser's cookie", async () => {
    const id = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 1 });
    let hits = 0;
    // A page on another origin that auto-submits a form at the approvals endpoint (the classic
    // CSRF attack: text/plain lets a form send a JSON-looking body) and also tries fetch.
    const evil: Server = createServer((_req, res) => {
      hits++;
      res.setHeader("content-type", "text/html");
      res.end(`<!doctype html><form id="f" method="POST" enctype="text/plain" action="${server.baseUrl}/api/v1/approvals/${id}">
<input name='{"decision":"approve","x":"' value='"}'></form>
<script>
fetch("${server.baseUrl}/api/v1/approvals/${id}", { method: "POST", credentials: "include", headers: { "content-type": "text/plain" }, body: JSON.stringify({ decision: "approve" }) })
  .then((r) => r.status, () => "blocked").then((s) => { document.title = "fetch:" + s; document.getElementById("f").submit(); });
</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const evilPage = await context.newPage();
    try {
      const responses: number[] = [];
      evilPage.on("response", (r) => {
        if (r.url().includes("/api/v1/approvals/")) responses.push(r.status());
      });
      await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      // The form's submission navigates the page to the approvals URL: wait for that to land,
      // because closing a page mid-navigation sometimes hung for Playwright's 30 s.
      await evilPage.waitForURL((u) => u.pathname.startsWith("/api/v1/approvals/"), { waitUntil: "load", timeout: 10_000 });
      await expect.poll(() => responses.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      expect(hits).toBeGreaterThan(0);
      expect(responses.every((s) => s === 403)).toBe(true);
      expect(t.app.execution.getProposal(id).status).toBe("awaiting_approval");
    } finally {
      await evilPage.close();
      // The browser may keep its connection to the page alive; close() alone would wait for it.
      evil.closeAllConnections();
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });

  it("cannot approve a proposal that expired while the page was open", async () => {
    const id = await propose({ symbol: "NOVA.DEMO", side: "buy", qty: 2 });
    await expect.poll(() => card(id).count(), { timeout: 10_000 }).toBe(1);
    const expiresAt = t.app.execution.getProposal(id).expiresAt;
    t.clock.set(expiresAt + 1_000);
    // The page acts as a stale page would: the same function its Approve button calls.
    const r = (await page.evaluate(`window.argusConsole.decide(${JSON.stringify(id)}, "approve")`)) as { status: number; body: { error: { code: string; message: string } } };
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("PROPOSAL_NOT_PENDING");
    expect(r.body.error.message).toMatch(/expired/);
    expect(t.app.execution.getProposal(id).status).toBe("expired");
    expect((await t.app.execution.orders({ status: "all", limit: 10 })).filter((o) => o.clientOrderId === id)).toEqual([]);
    // And the page itself catches up: the card leaves the pending list.
    await expect.poll(() => card(id).count(), { timeout: 10_000 }).toBe(0);
  });
});
