import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../test/support/app.js";
import { createMcpServer } from "../../src/server/mcp/server.js";
import { createToolRegistry } from "../index.js";

// The analysis tools over MCP on the synthetic demo universe, as a client sees them.
describe("analysis tools over MCP (demo data)", () => {
  let t: TestApp;
  let client: Client;
  beforeAll(async () => {
    t = createTestApp();
    const [a, b] = InMemoryTransport.createLinkedPair();
    client = new Client({ name: "analysis-test", version: "1" });
    await Promise.all([createMcpServer(t.app, createToolRegistry()).connect(b), client.connect(a)]);
  });
  afterAll(async () => {
    await client.close();
    t.cleanup();
  });
  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  const code = (r: CallToolResult) => (r.isError ? (r.content[0] as { text: string }).text.split(":")[0] : "ok");

  it("analyze_ticker answers for every demo symbol and the chart marks the decisions", async () => {
    const decisions = new Set<string>();
    for (const symbol of ["NOVA.DEMO", "CURA.DEMO", "LDGR.DEMO", "MKT.DEMO"]) {
      const r = await call("analyze_ticker", { symbol });
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      const s = r.structuredContent as { decision: string; probability: number | null; source: { synthetic: boolean }; bars: { count: number } };
      decisions.add(s.decision);
      expect(s.source.synthetic).toBe(true);
      expect(s.probability).not.toBeNull();
      expect(s.bars.count).toBeGreaterThan(252);
      expect((r.content[0] as { text: string }).text).toMatch(/^\[SYNTHETIC DEMO DATA/);
    }
    const chart = await call("chart_ticker", { symbol: "NOVA.DEMO", overlays: ["sma20", "bollinger", "vwap"], lower: "macd" });
    expect(chart.isError, JSON.stringify(chart.content)).toBeFalsy();
    const image = chart.content.find((c) => c.type === "image") as { data: string; mimeType: string };
    expect(image.mimeType).toBe("image/png");
    const png = Buffer.from(image.data, "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(1000); // IHDR width
    expect(chart.structuredContent).toMatchObject({ bars: { count: 120 }, image: { width: 1000, height: 600 } });
  });

  it("find_outliers, price_option and portfolio_metrics work on the demo universe", async () => {
    const out = await call("find_outliers", { sector: "Information Technology", threshold: 2 });
    // Two symbols in a sector are too few for z-scores: a clear error, not a guess.
    expect(code(out)).toBe("INVALID_INPUT");
    const all = await call("find_outliers", {});
    expect(all.isError, JSON.stringify(all.content)).toBeFalsy();
    expect((all.structuredContent as { universe: string[] }).universe.length).toBe(23);
    expect(code(await call("find_outliers", { symbols: [] }))).toBe("EMPTY_UNIVERSE");
    expect(code(await call("find_outliers", { sector: "Astrology" }))).toBe("EMPTY_UNIVERSE");

    const hull = await call("price_option", { type: "call", spot: 42, strike: 40, years: 0.5, rate: 0.1, volatility: 0.2 });
    expect((hull.structuredContent as { result: { price: number } }).result.price).toBeCloseTo(4.76, 2);
    const fromData = await call("price_option", { type: "put", symbol: "NOVA.DEMO", strike: 100, years: 0.25 });
    expect(fromData.isError, JSON.stringify(fromData.content)).toBeFalsy();
    expect((fromData.structuredContent as { inputs: { spotSource: string } }).inputs.spotSource).toMatch(/SYNTHETIC/);
    const iv = await call("price_option", { type: "call", spot: 42, strike: 40, years: 0.5, rate: 0.1, marketPrice: 4.759422 });
    expect((iv.structuredContent as { impliedVolatility: { volatility: number } }).impliedVolatility.volatility).toBeCloseTo(0.2, 5);
    expect(code(await call("price_option", { type: "call", spot: 42, strike: 40, rate: 0.1, volatility: 0.2 }))).toBe("INVALID_INPUT");

    const pm = await call("portfolio_metrics", { holdings: [{ symbol: "NOVA.DEMO", weight: 0.5 }, { symbol: "HRVM.DEMO", weight: 0.5 }], benchmark: "MKT.DEMO", from: "2024-01-01" });
    expect(pm.isError, JSON.stringify(pm.content)).toBeFalsy();
    const m = (pm.structuredContent as { metrics: { beta: number; maxDrawdown: number; historicalCVaR: number; historicalVaR: number } }).metrics;
    expect(m.beta).toBeGreaterThan(0);
    expect(m.historicalCVaR).toBeGreaterThanOrEqual(m.historicalVaR);
    expect(code(await call("portfolio_metrics", { holdings: [{ symbol: "NOVA.DEMO", weight: 0.7 }] }))).toBe("INVALID_INPUT");
  });

  it("optimize_weights keeps the defaults without enough scored analyses", async () => {
    const r = await call("optimize_weights", {});
    const regimes = (r.structuredContent as { regimes: { sufficient: boolean; weightSetId: string | null }[] }).regimes;
    expect(regimes).toHaveLength(4);
    expect(regimes.every((x) => !x.sufficient && x.weightSetId === null)).toBe(true);
  });
});
