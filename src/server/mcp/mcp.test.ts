import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/support/app.js";
import { createToolRegistry } from "../../../tools/index.js";
import { createMcpServer } from "./server.js";

const EXPECTED_TOOLS = [
  "get_market_status", "get_trading_calendar", "list_symbols", "get_bars", "get_latest_price", "check_data_quality", "import_bars_csv",
  "get_indicators", "analyze_ticker", "explain_signal", "list_analyses", "score_outcomes", "optimize_weights",
  "find_outliers", "price_option", "portfolio_metrics", "chart_ticker",
  "search_companies", "get_company", "list_filings", "get_financial_statements", "get_concept_history", "get_factors", "get_13f_holdings", "get_insider_transactions", "get_filing_signals",
  "get_mode", "get_account", "get_positions", "get_orders", "get_fills", "list_proposals", "check_order", "propose_order", "get_proposal", "cancel_order", "get_risk_status", "verify_audit_log",
  "run_backtest", "get_backtest", "list_backtests", "compare_backtests",
];
// Tools that write (the log, weight sets, bars); every other tool must say it is read-only.
const WRITING_TOOLS = new Set(["import_bars_csv", "analyze_ticker", "score_outcomes", "optimize_weights", "propose_order", "cancel_order", "run_backtest"]);

describe("MCP server over the in-memory transport", () => {
  let t: TestApp;
  let client: Client;

  beforeAll(async () => {
    t = createTestApp({ env: { ARGUS_IMPORT_DIRS: "imports" } });
    mkdirSync(join(t.home, "imports"));
    const server = createMcpServer(t.app, createToolRegistry());
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: "test", version: "1" });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  });
  afterAll(async () => {
    await client.close();
    t.cleanup();
  });

  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  const errorCode = (r: CallToolResult) => {
    expect(r.isError).toBe(true);
    return String((r.content[0] as { text: string }).text).split(":")[0];
  };

  it("sends instructions that tell a model what Argus is for", () => {
    expect(client.getInstructions()).toMatch(/equity research/);
    expect(client.getInstructions()).toMatch(/SYNTHETIC/);
  });

  it("lists every tool with input and output schemas and honest annotations", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name)).toEqual(EXPECTED_TOOLS);
    for (const tool of tools) {
      expect(tool.outputSchema?.type).toBe("object");
      expect(tool.inputSchema.type).toBe("object");
      expect(tool.description!.length).toBeGreaterThan(80);
      const writes = WRITING_TOOLS.has(tool.name);
      expect(tool.annotations?.readOnlyHint).toBe(!writes);
    }
  });

  it("returns a year of demo daily bars as structured content plus a short synthetic-labelled text", async () => {
    const r = await call("get_bars", { symbol: "mkt.demo", timeframe: "1Day", from: "2025-01-01", to: "2025-12-31" });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as { symbol: string; count: number; bars: { t: string; close: number }[]; source: { synthetic: boolean } };
    expect(s.symbol).toBe("MKT.DEMO");
    expect(s.count).toBe(250); // NYSE sessions in 2025
    expect(s.bars[0]!.t).toBe("2025-01-02T00:00:00-05:00");
    expect(s.source.synthetic).toBe(true);
    const text = (r.content[0] as { text: string }).text;
    expect(text).toMatch(/^\[SYNTHETIC DEMO DATA/);
    expect(text.length).toBeLessThan(400);
  });

  it("answers bad input with isError, a stable code and an actionable sentence, and keeps serving", async () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ["get_bars", { symbol: "ZZZZ" }, "UNKNOWN_SYMBOL", /list_symbols/],
      ["get_bars", { symbol: "MKT.DEMO", from: "2025-03-01", to: "2025-01-01" }, "INVALID_RANGE", /after/],
      ["get_bars", { symbol: "MKT.DEMO", timeframe: "2Min" }, "INVALID_INPUT", /timeframe/],
      ["get_bars", { symbol: "MKT.DEMO", limit: 10_000_000 }, "LIMIT_TOO_LARGE", /maximum/],
      ["get_bars", { symbol: "MKT.DEMO", from: "yesterday-ish" }, "INVALID_INPUT", /ISO 8601/],
      ["get_bars", {}, "INVALID_INPUT", /symbol/],
      ["import_bars_csv", { path: "/etc/passwd" }, "PATH_NOT_ALLOWED", /ARGUS_IMPORT_DIRS/],
      ["import_bars_csv", { path: join(t.home, "imports", "..", "argus.db") }, "PATH_NOT_ALLOWED", /outside/],
      ["no_such_tool", {}, "UNKNOWN_TOOL", /no tool/],
    ];
    for (const [name, args, code, sentence] of cases) {
      const r = await call(name, args);
      expect(errorCode(r), `${name} ${JSON.stringify(args)}`).toBe(code);
      expect((r.content[0] as { text: string }).text).toMatch(sentence);
      expect(r.structuredContent).toBeUndefined();
    }
    const ok = await call("get_market_status", {});
    expect(ok.isError).toBeFalsy();
  });

  it("answers every read-only tool for every demo symbol and timeframe within its declared schema", async () => {
    const listed = (await call("list_symbols", {})).structuredContent as { symbols: { symbol: string }[] };
    expect(listed.symbols.length).toBeGreaterThanOrEqual(20);
    for (const { symbol } of listed.symbols) {
      for (const timeframe of ["1Min", "5Min", "15Min", "1Hour", "1Day"]) {
        const r = await call("get_bars", { symbol, timeframe, limit: 50 });
        expect(r.isError, `${symbol} ${timeframe}`).toBeFalsy();
        expect((r.structuredContent as { count: number }).count).toBeGreaterThan(0);
      }
      for (const [name, args] of [["get_latest_price", { symbol }], ["check_data_quality", { symbol }]] as const) {
        const r = await call(name, args);
        expect(r.isError, `${name} ${symbol}: ${JSON.stringify(r.content)}`).toBeFalsy();
      }
    }
    const cal = await call("get_trading_calendar", { from: "2026-11-01", to: "2026-12-31" });
    expect(cal.structuredContent).toMatchObject({ tradingDays: 42, earlyCloses: [{ date: "2026-11-27" }, { date: "2026-12-24" }] });
  });

  it("reports gaps in imported minute bars through check_data_quality", async () => {
    const rows = ["datetime,open,high,low,close,volume"];
    // Newest first, stamps at bar end, with 09:33 (the 09:32 bar) missing.
    for (const m of [35, 34, 32, 31]) rows.push(`2026-11-20 09:${m},10,10.5,9.5,10.2,100`);
    writeFileSync(join(t.home, "imports", "GAPPY_1min.csv"), rows.join("\n"));
    const imported = await call("import_bars_csv", { path: join(t.home, "imports", "GAPPY_1min.csv") });
    expect(imported.structuredContent).toMatchObject({ symbol: "GAPPY", timeframe: "1Min", imported: 4 });
    const q = await call("check_data_quality", { symbol: "GAPPY" });
    expect(q.isError, JSON.stringify(q.content)).toBeFalsy();
    const report = (q.structuredContent as { reports: { summary: Record<string, number>; gaps: { ranges: { from: string; bars: number }[] } }[] }).reports[0]!;
    expect(report.summary.GAP).toBe(1);
    expect(report.gaps.ranges[0]).toMatchObject({ from: "2026-11-20T09:32:00-05:00", bars: 1 });
  });

  it("imports a CSV inside the allowed directory and serves it back", async () => {
    const csv = "Date,Open,High,Low,Close,Adj Close,Volume\n2026-11-19,10,11,9.5,10.5,10.5,1000\n2026-11-20,10.5,12,10,11.5,11.5,2000\n";
    writeFileSync(join(t.home, "imports", "TEST.csv"), csv);
    const r = await call("import_bars_csv", { path: join(t.home, "imports", "TEST.csv"), sector: "Industrials" });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ symbol: "TEST", imported: 2, inserted: 2, updated: 0 });
    const again = await call("import_bars_csv", { path: join(t.home, "imports", "TEST.csv") });
    expect(again.structuredContent).toMatchObject({ imported: 2, inserted: 0, updated: 2 });
    const price = await call("get_latest_price", { symbol: "test" });
    expect(price.structuredContent).toMatchObject({ symbol: "TEST", price: 11.5, asOf: "2026-11-20T16:00:00-05:00", stale: false, source: { synthetic: false } });
  });
});
