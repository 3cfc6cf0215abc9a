import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { ErrorCode, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../test/support/app.js";
import { startFakeSec, TEST_USER_AGENT, type FakeSec } from "../../../test/support/fake-sec.js";
import { createToolRegistry } from "../../../tools/index.js";
import { resetSharedSecLimiterForTests } from "../../edgar/client/sec-client.js";
import { parsePromptFile, readPrompt } from "./instructions.js";
import { definePrompt, PROMPT_NAMES, renderTemplate } from "./prompts.js";
import { createMcpServer } from "./server.js";

interface Harness {
  t: TestApp;
  client: Client;
  close(): Promise<void>;
}

async function harness(opts: Parameters<typeof createTestApp>[0] = {}): Promise<Harness> {
  const t = createTestApp(opts);
  const server = createMcpServer(t.app, createToolRegistry());
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "prompts-test", version: "1" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    t,
    client,
    close: async () => {
      await client.close();
      t.cleanup();
    },
  };
}

/** The MCP error a promise rejects with. */
async function mcpError(p: Promise<unknown>): Promise<McpError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(McpError);
  return e as McpError;
}

const TOOL_NAMES = new Set(createToolRegistry().list().map((t) => t.name));

describe("MCP prompts over the in-memory transport", () => {
  let h: Harness;
  let client: Client;
  let demoSymbols: string[];

  beforeAll(async () => {
    h = await harness();
    client = h.client;
    demoSymbols = h.t.app.data.symbols().map((s) => s.symbol);
  });
  afterAll(async () => {
    await h.close();
  });

  it("declares the prompts and completions capabilities", () => {
    const caps = client.getServerCapabilities();
    expect(caps?.prompts).toBeDefined();
    expect(caps?.completions).toBeDefined();
    expect(caps?.tools).toBeDefined();
  });

  it("lists the five prompts with their arguments", async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual([...PROMPT_NAMES]);
    const args = Object.fromEntries(prompts.map((p) => [p.name, (p.arguments ?? []).map((a) => `${a.name}${a.required ? "!" : "?"}`)]));
    expect(args).toEqual({
      research_ticker: ["ticker!", "horizon?"],
      explain_signal: ["ticker?", "analysisId?"],
      compare_companies: ["tickers!"],
      pre_trade_checklist: ["ticker!", "side?", "qty?"],
      portfolio_review: ["focus?"],
    });
    for (const p of prompts) {
      expect(p.title).toBeTruthy();
      expect(p.description!.length).toBeGreaterThan(40);
      for (const a of p.arguments ?? []) expect(a.description!.length).toBeGreaterThan(10);
    }
  });

  const cases: Array<[string, Record<string, string>, RegExp[]]> = [
    ["research_ticker", { ticker: "nova.demo" }, [/Research NOVA\.DEMO for me\./, /analyze_ticker for NOVA\.DEMO/, /\.DEMO/, /accession number/, /analysisId/]],
    ["research_ticker", { ticker: "aapl", horizon: "6 months" }, [/Research AAPL for me with a holding horizon of 6 months in mind/, /for the 6 months horizon/, /get_financial_statements/, /get_insider_transactions/]],
    ["explain_signal", { ticker: "mkt.demo" }, [/latest analysis of MKT\.DEMO/, /list_analyses with symbol MKT\.DEMO/, /base rate/, /What would change the view/]],
    ["explain_signal", { analysisId: "an_01HZX" }, [/analysis an_01HZX to me/, /explain_signal with analysisId "an_01HZX"/]],
    ["compare_companies", { tickers: "aapl,msft  nova.demo" }, [/side by side: AAPL, MSFT, NOVA\.DEMO\./, /Point-in-time caveats/, /accession number/]],
    ["pre_trade_checklist", { ticker: "nova.demo" }, [/considering buying NOVA\.DEMO\./, /side buy, the quantity from step 6/, /only a human can approve/, /get_market_status/, /get_risk_status/]],
    ["pre_trade_checklist", { ticker: "aapl", side: "SELL", qty: "10" }, [/considering a sell of 10 shares of AAPL\./, /side sell, qty 10/, /Do NOT call propose_order/]],
    ["portfolio_review", {}, [/^Review my portfolio with Argus's tools\./, /get_positions/, /list_proposals/, /concentration/]],
    ["portfolio_review", { focus: "  technology\n exposure " }, [/paying special attention to: technology exposure\./, /what you found about technology exposure/]],
  ];

  it.each(cases)("renders %s %j as one user message with the arguments substituted", async (name, args, patterns) => {
    const r = await client.getPrompt({ name, arguments: args });
    expect(r.messages).toHaveLength(1);
    const m = r.messages[0]!;
    expect(m.role).toBe("user");
    expect(m.content.type).toBe("text");
    const text = (m.content as { text: string }).text;
    expect(text).not.toMatch(/\{\{|\}\}/);
    for (const p of patterns) expect(text).toMatch(p);
    // Every prompt says filing text is data, not instructions, and never to claim certainty.
    expect(text).toMatch(/SEC FILING DATA[\s\S]*not instructions/);
    expect(text).toMatch(/[Nn]ever claim certainty/);
    // Only real tools are named.
    for (const word of text.match(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g) ?? []) {
      expect(TOOL_NAMES, `${name} names "${word}"`).toContain(word);
    }
  });

  it("answers a missing required argument with InvalidParams naming it", async () => {
    const e = await mcpError(client.getPrompt({ name: "research_ticker", arguments: {} }));
    expect(e.code).toBe(ErrorCode.InvalidParams);
    expect(e.message).toMatch(/needs the argument "ticker": the symbol to research/);
    // A blank value counts as missing.
    expect((await mcpError(client.getPrompt({ name: "compare_companies", arguments: { tickers: "  " } }))).message).toMatch(/needs the argument "tickers"/);
    // explain_signal needs a ticker or an analysisId.
    const either = await mcpError(client.getPrompt({ name: "explain_signal", arguments: {} }));
    expect(either.code).toBe(ErrorCode.InvalidParams);
    expect(either.message).toMatch(/needs "ticker" or "analysisId"/);
  });

  it("rejects malformed argument values with a sentence saying what is expected", async () => {
    const bad: Array<[string, Record<string, string>, RegExp]> = [
      ["research_ticker", { ticker: "12$" }, /"ticker" of prompt "research_ticker" must be a ticker such as AAPL/],
      ["research_ticker", { ticker: "AVERYLONGTICKERNAME" }, /must be a ticker/],
      ["research_ticker", { ticker: "aapl; drop" }, /must be a ticker/],
      ["compare_companies", { tickers: "aapl" }, /at least 2 tickers/],
      ["compare_companies", { tickers: "a, b, c, d, e, f" }, /at most 5 tickers/],
      ["compare_companies", { tickers: "aapl, AAPL" }, /each ticker only once/],
      ["compare_companies", { tickers: "aapl, 9x" }, /each entry must be a ticker/],
      ["pre_trade_checklist", { ticker: "aapl", side: "short" }, /must be buy or sell/],
      ["pre_trade_checklist", { ticker: "aapl", qty: "-5" }, /positive number of shares/],
      ["pre_trade_checklist", { ticker: "aapl", qty: "0" }, /more than 0 shares/],
      ["explain_signal", { analysisId: "x y" }, /must be an id/],
      ["portfolio_review", { focus: "x".repeat(201) }, /at most 200 characters/],
      ["portfolio_review", { focus: "{{focus}}" }, /must not contain \{\{/],
      ["research_ticker", { ticker: "AAPL", sector: "tech" }, /has no argument "sector"; its arguments are ticker, horizon/],
      ["portfolio_review", { ticker: "AAPL" }, /has no argument "ticker"/],
    ];
    for (const [name, args, msg] of bad) {
      const e = await mcpError(client.getPrompt({ name, arguments: args }));
      expect(e.code, `${name} ${JSON.stringify(args)}`).toBe(ErrorCode.InvalidParams);
      expect(e.message).toMatch(msg);
    }
  });

  it("answers an unknown prompt with InvalidParams naming the available prompts", async () => {
    const e = await mcpError(client.getPrompt({ name: "research", arguments: {} }));
    expect(e.code).toBe(ErrorCode.InvalidParams);
    expect(e.message).toMatch(/Unknown prompt "research"\. Available prompts: research_ticker, explain_signal, compare_companies, pre_trade_checklist, portfolio_review/);
    // The server keeps serving.
    expect((await client.listPrompts()).prompts).toHaveLength(5);
  });

  const complete = (name: string, argument: string, value: string) => client.complete({ ref: { type: "ref/prompt", name }, argument: { name: argument, value } });

  it("completes a ticker argument from the loaded symbols by case-insensitive prefix, exact and shorter first", async () => {
    expect(demoSymbols).toContain("MKT.DEMO");
    const m = await complete("research_ticker", "ticker", "m");
    const expected = demoSymbols.filter((s) => s.startsWith("M"));
    expect(expected.length).toBeGreaterThan(1);
    expect(m.completion.values.sort()).toEqual([...expected].sort());
    expect(m.completion.total).toBe(expected.length);
    expect(m.completion.hasMore).toBe(false);

    const ordered = (await complete("research_ticker", "ticker", "M")).completion.values;
    for (let i = 1; i < ordered.length; i++) expect(ordered[i]!.length).toBeGreaterThanOrEqual(ordered[i - 1]!.length);
    expect(ordered[0]).toBe("MKT.DEMO"); // shortest of MKT.DEMO, MEDX.DEMO

    const nova = await complete("research_ticker", "ticker", "nOvA");
    expect(nova.completion.values).toEqual(["NOVA.DEMO"]);
    expect((await complete("research_ticker", "ticker", "nova.demo")).completion.values[0]).toBe("NOVA.DEMO");

    // Nothing typed yet: every symbol; nothing matching or not a ticker: nothing.
    const all = await complete("research_ticker", "ticker", "");
    expect(all.completion.total).toBe(demoSymbols.length);
    expect((await complete("research_ticker", "ticker", "zzzz")).completion).toEqual({ values: [], total: 0, hasMore: false });
    expect((await complete("research_ticker", "ticker", "$$")).completion.values).toEqual([]);

    // The other ticker arguments complete the same way.
    expect((await complete("pre_trade_checklist", "ticker", "nov")).completion.values).toEqual(["NOVA.DEMO"]);
    expect((await complete("explain_signal", "ticker", "nov")).completion.values).toEqual(["NOVA.DEMO"]);
  });

  it("completes the last ticker of compare_companies' list, keeping the earlier ones", async () => {
    const r = await complete("compare_companies", "tickers", "nova.demo, m");
    const expected = demoSymbols.filter((s) => s.startsWith("M"));
    expect(r.completion.values.sort()).toEqual(expected.map((s) => `NOVA.DEMO, ${s}`).sort());
    expect(r.completion.total).toBe(expected.length);

    // A ticker already in the list is not offered again; commas or spaces separate.
    const again = await complete("compare_companies", "tickers", "mkt.demo nova.demo,M");
    expect(again.completion.values).toEqual(demoSymbols.filter((s) => s.startsWith("M") && s !== "MKT.DEMO").map((s) => `MKT.DEMO, NOVA.DEMO, ${s}`));
    const first = await complete("compare_companies", "tickers", "nov");
    expect(first.completion.values).toEqual(["NOVA.DEMO"]);
    const afterComma = await complete("compare_companies", "tickers", "NOVA.DEMO, ");
    expect(afterComma.completion.total).toBe(demoSymbols.length - 1);
    // A full list of five completes to nothing more.
    expect((await complete("compare_companies", "tickers", "a, b, c, d, e, m")).completion.values).toEqual([]);
  });

  it("completes non-ticker arguments to nothing and rejects unknown prompts and arguments", async () => {
    for (const [name, arg, value] of [
      ["research_ticker", "horizon", "6"],
      ["pre_trade_checklist", "side", "b"],
      ["pre_trade_checklist", "qty", "1"],
      ["explain_signal", "analysisId", "an"],
      ["portfolio_review", "focus", "te"],
    ] as const) {
      expect((await complete(name, arg, value)).completion).toEqual({ values: [], total: 0, hasMore: false });
    }
    const unknownPrompt = await mcpError(complete("nope", "ticker", "a"));
    expect(unknownPrompt.code).toBe(ErrorCode.InvalidParams);
    expect(unknownPrompt.message).toMatch(/Available prompts: research_ticker/);
    const unknownArg = await mcpError(complete("research_ticker", "symbol", "a"));
    expect(unknownArg.code).toBe(ErrorCode.InvalidParams);
    expect(unknownArg.message).toMatch(/has no argument "symbol"/);
    // Argus serves no resources: a resource template ref completes to nothing.
    const res = await client.complete({ ref: { type: "ref/resource", uri: "argus://x/{id}" }, argument: { name: "id", value: "a" } });
    expect(res.completion.values).toEqual([]);
  });

  it("still serves tools next to prompts", async () => {
    const r = (await client.callTool({ name: "list_symbols", arguments: { query: "nova" } })) as CallToolResult;
    expect(r.isError).toBeFalsy();
  });
});

/** A small SEC ticker map: a few real-looking names plus 150 tickers starting with Z (no demo symbol does). */
function tickerMap(): string {
  const rows = [
    { cik_str: 789019, ticker: "MSFT", title: "MICROSOFT CORP" },
    { cik_str: 1050446, ticker: "MSTR", title: "MicroStrategy Inc" },
    { cik_str: 1067983, ticker: "BRK-B", title: "BERKSHIRE HATHAWAY INC" },
    { cik_str: 1067983, ticker: "BRK-A", title: "BERKSHIRE HATHAWAY INC" },
    { cik_str: 1, ticker: "NOVA", title: "Nova Example Corp" },
    ...Array.from({ length: 150 }, (_, i) => ({ cik_str: 1000 + i, ticker: `Z${i}`, title: `Z Company ${i}` })),
  ];
  return JSON.stringify(Object.fromEntries(rows.map((r, i) => [String(i), r])));
}

describe("ticker completion from the SEC ticker list", () => {
  it("uses the list in offline mode (a local directory) next to the loaded symbols", async () => {
    const dir = mkdtempSync(join(tmpdir(), "argus-sec-offline-"));
    mkdirSync(join(dir, "files"));
    writeFileSync(join(dir, "files", "company_tickers.json"), tickerMap());
    const h = await harness({ env: { ARGUS_SEC_OFFLINE_DIR: dir } });
    try {
      const complete = (name: string, argument: string, value: string) => h.client.complete({ ref: { type: "ref/prompt", name }, argument: { name: argument, value } });
      expect((await complete("research_ticker", "ticker", "ms")).completion.values).toEqual(["MSFT", "MSTR"]);
      // . and - are the same separator: BRK.B finds BRK-B.
      expect((await complete("research_ticker", "ticker", "brk.b")).completion.values).toEqual(["BRK-B"]);
      // Exact match first, then shorter; loaded symbols and SEC tickers together.
      expect((await complete("research_ticker", "ticker", "nova")).completion.values).toEqual(["NOVA", "NOVA.DEMO"]);
      // More than 100 matches: 100 values, the total and hasMore.
      const q = await complete("research_ticker", "ticker", "z");
      expect(q.completion.values).toHaveLength(100);
      expect(q.completion.total).toBe(150);
      expect(q.completion.hasMore).toBe(true);
      expect(q.completion.values.slice(0, 11)).toEqual(["Z0", "Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "Z7", "Z8", "Z9", "Z10"]);
      expect((await complete("compare_companies", "tickers", "MSFT, ms")).completion.values).toEqual(["MSFT, MSTR"]);
    } finally {
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("never asks the SEC: without a fresh cached list it completes from loaded data only", async () => {
    const sec: FakeSec = await startFakeSec();
    sec.setFile("/files/company_tickers.json", tickerMap());
    resetSharedSecLimiterForTests();
    const h = await harness({ env: { ARGUS_SEC_USER_AGENT: TEST_USER_AGENT, ARGUS_SEC_DATA_URL: sec.url, ARGUS_SEC_WWW_URL: sec.url } });
    try {
      const complete = (value: string) => h.client.complete({ ref: { type: "ref/prompt", name: "research_ticker" }, argument: { name: "ticker", value } });
      expect((await complete("ms")).completion.values).toEqual([]);
      expect((await complete("nov")).completion.values).toEqual(["NOVA.DEMO"]);
      expect(sec.requests).toHaveLength(0);

      // A tool reads the list (one request); completion then uses the cached copy.
      const r = (await h.client.callTool({ name: "search_companies", arguments: { query: "microsoft" } })) as CallToolResult;
      expect(r.isError, JSON.stringify(r.content)).toBeFalsy();
      expect(sec.hits("/files/company_tickers.json")).toHaveLength(1);
      expect((await complete("ms")).completion.values).toEqual(["MSFT", "MSTR"]);
      expect((await complete("nov")).completion.values).toEqual(["NOVA", "NOVA.DEMO"]);

      // Once the cached copy is stale (a day later), completion stops using it rather than refetch.
      h.t.clock.set(h.t.clock.now() + 25 * 60 * 60 * 1000);
      expect((await complete("ms")).completion.values).toEqual([]);
      expect(sec.requests).toHaveLength(1);
    } finally {
      await h.close();
      await sec.close();
    }
  });
});

describe("prompt files", () => {
  it("keeps readPrompt working for the server instructions", () => {
    const text = readPrompt("server-instructions");
    expect(text).toMatch(/^Argus is an equity research/);
    expect(text).not.toMatch(/^---/m);
  });

  it("reads YAML front matter and the body after it", () => {
    const f = parsePromptFile(["---", "# a comment", "name: x", 'description: "quoted: with \\"escapes\\""', "arguments:", "  - name: a", "    required: true", "---", "Body {{a}}", ""].join("\r\n"));
    expect(f.meta).toEqual({ name: "x", description: 'quoted: with "escapes"', arguments: [{ name: "a", required: true }] });
    expect(f.body).toBe("Body {{a}}");
    // A line of dashes inside a value does not end the front matter.
    expect(parsePromptFile("---\nname: a---b\n---\nbody").meta).toEqual({ name: "a---b" });
  });

  it("rejects a file without front matter, or with front matter that is not YAML", () => {
    expect(() => parsePromptFile("no front matter", "t.md")).toThrow(/expected front matter/);
    expect(() => parsePromptFile("---\nname: x\n", "t.md")).toThrow(/expected front matter/);
    expect(() => parsePromptFile("---\nname: x\nname: y\n---\n", "t.md")).toThrow(/t\.md: the front matter is not valid YAML/);
    expect(() => parsePromptFile("---\nname: [a, b\n---\n", "t.md")).toThrow(/not valid YAML/);
  });

  const file = (body: string, extra = "") =>
    parsePromptFile(`---\nname: p\ntitle: P\ndescription: A test prompt.\n${extra}arguments:\n  - name: t\n    type: ticker\n    required: true\n    description: A ticker.\n  - name: o\n    type: text\n    description: Optional.\n---\n${body}\n`);

  it("checks templates when they load", () => {
    expect(definePrompt("p", file("{{t}}{{#o}} and {{o}}{{/o}}")).arguments.map((a) => a.name)).toEqual(["t", "o"]);
    expect(() => definePrompt("q", file("{{t}}"))).toThrow(/must match the file name/);
    expect(() => definePrompt("p", file("{{t}} {{x}}"))).toThrow(/\{\{x\}\} names no declared argument/);
    expect(() => definePrompt("p", file("{{t}} {{o}}"))).toThrow(/uses \{\{o\}\} outside a \{\{#o\}\} section/);
    expect(() => definePrompt("p", file("{{t}} {{#o}}{{o}}"))).toThrow(/does not parse/);
    expect(() => definePrompt("p", file("{{t}}", "require_one_of: t\n"))).toThrow(/not an optional argument/);
    expect(() => definePrompt("p", parsePromptFile("---\nname: p\ntitle: P\ndescription: D.\nextra: 1\n---\nx"))).toThrow(/invalid front matter/);
    expect(() => definePrompt("p", parsePromptFile("---\nname: p\ntitle: P\ndescription: D.\narguments:\n  - name: a\n    type: color\n    description: d\n---\nx"))).toThrow(/invalid front matter/);
  });

  it("renders sections and never re-reads a value as a template", () => {
    const v = new Map([["a", "{{b}}"]]);
    expect(renderTemplate("x {{a}} {{#b}}B{{/b}}{{^b}}no b{{/b}} {{#a}}[{{^b}}nested{{/b}}]{{/a}}", v)).toBe("x {{b}} no b [nested]");
    expect(renderTemplate("one\n\n\n\n\ntwo", new Map())).toBe("one\n\ntwo");
  });
});
