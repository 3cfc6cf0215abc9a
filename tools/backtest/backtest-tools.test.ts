import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NyseCalendar } from "../../src/data/calendar/nyse-calendar.js";
import { createMcpServer } from "../../src/server/mcp/server.js";
import { createTestApp, type TestApp } from "../../test/support/app.js";
import { HAS_DAILY_FIXTURES, importDailyFixtures } from "../../test/support/fixture-universe.js";
import { createToolRegistry } from "../index.js";

const UNIVERSE = ["AAPL", "MSFT", "JPM", "XOM", "JNJ"];
const config = {
  name: "sma cross",
  start: "2012-01-03",
  end: "2016-12-30",
  universe: UNIVERSE,
  strategy: {
    kind: "rules",
    indicators: { fast: { name: "sma", period: 20 }, slow: { name: "sma", period: 100 } },
    entry: { left: "fast", op: "crosses_above", right: "slow" },
    exit: { left: "fast", op: "crosses_below", right: "slow" },
    sizing: { kind: "equal_weight", slots: 5 },
  },
};

const ok = (r: CallToolResult) => {
  expect(r.isError, JSON.stringify(r.content).slice(0, 400)).toBeFalsy();
  return r.structuredContent as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe.skipIf(!HAS_DAILY_FIXTURES)("backtest tools over MCP", () => {
  let t: TestApp;
  let client: Client;

  beforeAll(async () => {
    t = createTestApp({ demo: false });
    importDailyFixtures(t.app, UNIVERSE);
    const [a, b] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: "backtest-test", version: "1" });
    await Promise.all([createMcpServer(t.app, createToolRegistry()).connect(b), client.connect(a)]);
  });
  afterAll(async () => {
    await client.close();
    t.cleanup();
  });

  it("runs with progress notifications, returns the chart, and reads back, lists and compares", async () => {
    const progress: { progress: number; total?: number }[] = [];
    const first = (await client.callTool({ name: "run_backtest", arguments: config }, undefined, { onprogress: (p) => progress.push(p) })) as CallToolResult;
    const r = ok(first);
    expect(r.kind).toBe("single");
    expect(r.benchmark).toBe("AAPL");
    expect(r.reportHash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.text).toMatch(/Sharpe/);
    expect(r.policy.approval).toMatch(/approve-if-firewall-passes/);
    const image = first.content.find((c) => c.type === "image") as { data: string; mimeType: string } | undefined;
    expect(image?.mimeType).toBe("image/png");
    expect(Buffer.from(image!.data, "base64").subarray(1, 4).toString()).toBe("PNG");
    // Progress is monotonic and ends at the total: one step per session.
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((x, y) => x - y));
    const sessions = new NyseCalendar().tradingDays(config.start, config.end).length;
    expect(progress.at(-1)).toMatchObject({ progress: sessions, total: sessions });

    const got = ok((await client.callTool({ name: "get_backtest", arguments: { id: r.id, include: ["trades", "curves", "config"], curvePoints: 50 } })) as CallToolResult);
    expect(got.curves.equity).toHaveLength(50);
    expect(got.tradesTotal).toBeGreaterThan(0);
    expect(got.trades[0].entryReasons[0]).toMatch(/^entry: sma\(20\)/);
    expect(got.config.strategy.kind).toBe("rules");

    const second = ok((await client.callTool({ name: "run_backtest", arguments: { ...config, chart: false } })) as CallToolResult);
    const list = ok((await client.callTool({ name: "list_backtests", arguments: {} })) as CallToolResult);
    expect(list.backtests.map((b: { id: string }) => b.id)).toEqual([second.id, r.id]);
    const cmp = ok((await client.callTool({ name: "compare_backtests", arguments: { ids: [r.id, second.id] } })) as CallToolResult);
    expect(cmp).toMatchObject({ sameConfig: true, sameData: true, sameReport: true });
  });

  it("a sweep and a walk-forward report every combination and window", async () => {
    const sweep = ok(
      (await client.callTool({
        name: "run_backtest",
        arguments: { ...config, chart: false, sweep: { parameters: { "indicators.fast.period": [10, 20], "indicators.slow.period": [50, 100] }, objective: "sharpe" } },
      })) as CallToolResult,
    );
    expect(sweep.kind).toBe("sweep");
    const got = ok((await client.callTool({ name: "get_backtest", arguments: { id: sweep.id } })) as CallToolResult);
    expect(got.sweep).toHaveLength(4);
    const wf = ok(
      (await client.callTool({
        name: "run_backtest",
        arguments: { ...config, chart: false, sweep: { parameters: { "indicators.fast.period": [10, 20] } }, walkForward: { trainMonths: 24, testMonths: 12 } },
      })) as CallToolResult,
    );
    const w = ok((await client.callTool({ name: "get_backtest", arguments: { id: wf.id } })) as CallToolResult);
    // 2012-01..2013-12 train → 2014 test, then 2015, then 2016.
    expect(w.windows.map((x: { test: { start: string } }) => x.test.start)).toEqual(["2014-01-03", "2015-01-03", "2016-01-03"]);
    for (const x of w.windows) expect([10, 20]).toContain(x.chosen["indicators.fast.period"]);
  });

  it("bad configurations come back as isError results with a clear message", async () => {
    const r = (await client.callTool({ name: "run_backtest", arguments: { ...config, strategy: { ...config.strategy, indicators: { fast: { name: "smma" } } } } })) as CallToolResult;
    expect(r.isError).toBe(true);
    expect((r.content[0] as { text: string }).text).toMatch(/^INVALID_INPUT: .*indicators\.fast\.name/);
    const none = (await client.callTool({ name: "get_backtest", arguments: { id: "bt-nope" } })) as CallToolResult;
    expect((none.content[0] as { text: string }).text).toMatch(/^UNKNOWN_BACKTEST/);
  });

  it("a cancelled request stops the replay and stores nothing", async () => {
    const before = t.app.backtest.list(100).length;
    // Watch the server side: the manager's own run must end with CANCELLED.
    const manager = t.app.backtest;
    const original = manager.run.bind(manager);
    let serverSide: Promise<unknown> | undefined;
    manager.run = (input, opts) => (serverSide = original(input, opts));
    const controller = new AbortController();
    const long = { ...config, start: "2001-01-02", end: "2016-12-30", chart: false };
    const call = client.callTool({ name: "run_backtest", arguments: long }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        if (p.progress > 200) controller.abort();
      },
    });
    await expect(call).rejects.toThrow(/abort|cancel/i);
    await expect(serverSide).rejects.toMatchObject({ code: "CANCELLED", message: expect.stringMatching(/cancelled at 20\d\d-\d\d-\d\d \(step \d+ of 4025\); nothing was stored/) });
    manager.run = original;
    expect(t.app.backtest.list(100).length).toBe(before);
  });
});
