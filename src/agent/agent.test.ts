import { afterEach, describe, expect, it } from "vitest";
import { MCP_TOKEN, startTradingHarness, type TradingHarness } from "../../test/support/trading.js";
import { createToolRegistry } from "../../tools/index.js";
import type { ArgusConfig } from "../core/config.js";
import { estimateCost, priceTable } from "./accounting.js";
import { openAgentSession, type AgentSession } from "./session.js";
import { KITS, scriptedTerminal, startCopilot, type CopilotRun, type Step } from "./test-support.js";

/**
 * Scripted conversations through the real SDKs, pointed at local servers that speak the
 * Anthropic Messages and OpenAI Chat Completions APIs (streaming), with Argus in process
 * as a real MCP server. The "person" is a stream that answers approval prompts.
 */
describe.each(KITS)("the copilot over $name", (kit) => {
  let run: CopilotRun | undefined;
  afterEach(async () => {
    await run?.close();
    run = undefined;
  });

  async function start(steps: Step[], opts: { answer?: string; agent?: Partial<ArgusConfig["agent"]> } = {}) {
    run = await startCopilot(kit, steps, { ...(opts.answer ? { typed: opts.answer } : {}), ...(opts.agent ? { agent: opts.agent } : {}) });
    return run;
  }

  it("answers a research question in several steps, with parallel reads, citing the analysis it ran", async () => {
    let analysisId = "";
    // 1,200 uncached + 3,000 cached prompt tokens a call; on OpenAI's wire prompt_tokens includes the cached ones.
    const usage = { inputTokens: kit.name === "anthropic" ? 1200 : 4200, outputTokens: 80, cacheReadTokens: 3000 };
    const { fake, term, session, app } = await start([
      { text: "Let me look.", toolCalls: [{ name: "list_symbols", args: {} }], usage },
      (results) => {
        expect(results[0]!.isError).toBe(false);
        expect(results[0]!.content).toContain("NOVA.DEMO");
        return {
          toolCalls: [
            { name: "get_latest_price", args: { symbol: "NOVA.DEMO" } },
            { name: "get_indicators", args: { symbol: "NOVA.DEMO", indicators: [{ name: "rsi" }], limit: 1 } },
            // analyze_ticker writes the analysis log: it runs after the reads, on its own.
            { name: "analyze_ticker", args: { symbol: "NOVA.DEMO" } },
          ],
          usage,
        };
      },
      (results) => {
        expect(results).toHaveLength(3);
        analysisId = (JSON.parse(results[2]!.content.split("\n").at(-1)!) as { analysisId: string }).analysisId;
        const price = JSON.parse(results[0]!.content.split("\n").at(-1)!) as { price: number; asOf: string };
        return { text: `NOVA.DEMO (synthetic) last traded at ${price.price} (get_latest_price, ${price.asOf}). Signal: see analysis ${analysisId}. This is not certain.`, usage };
      },
    ]);
    const answer = await session.agent.ask("What is the signal on NOVA.DEMO?");
    expect(answer.stop).toBe("answered");
    expect(answer.text).toContain(`analysis ${analysisId}`);
    expect(answer.text).toMatch(/^Let me look\.\nNOVA\.DEMO/);
    expect(term.out()).toBe(answer.text); // streamed to stdout, each step's text on its own line
    expect(fake.remaining()).toBe(0);
    // Streaming on every call; the provider's own caching and schema rules applied.
    const body = fake.requests.at(-1)!.body as { stream: boolean; system: { cache_control?: unknown }[]; tools: { function?: { name: string } }[]; stream_options?: unknown };
    expect(body.stream).toBe(true);
    if (kit.name === "anthropic") {
      expect(body.system[0]!.cache_control).toEqual({ type: "ephemeral" });
      expect(body.tools.at(-1)).toMatchObject({ cache_control: { type: "ephemeral" } });
      expect(body.tools[0]).not.toHaveProperty("cache_control");
    } else {
      expect(body.stream_options).toEqual({ include_usage: true });
      expect(body.tools.find((x) => x.function?.name === "get_bars")).toMatchObject({ function: { strict: true } });
    }
    expect(answer.toolRuns.map((r) => r.call.name)).toEqual(["list_symbols", "get_latest_price", "get_indicators", "analyze_ticker"]);
    // Both reads of the second step started before either finished; the write came after them.
    const trace = term.trace();
    expect(trace.indexOf("→ get_indicators")).toBeLessThan(trace.indexOf("← get_latest_price"));
    expect(trace.indexOf("→ analyze_ticker")).toBeGreaterThan(trace.indexOf("← get_indicators"));
    expect(trace).toMatch(/← analyze_ticker ok \d+ ms: /);

    // Accounting: each call recorded; the answer's totals fill the analysis log's LLM fields.
    expect(answer.turns).toHaveLength(3);
    const perCall = estimateCost(kit.model, { inputTokens: 1200, outputTokens: 80, cacheReadTokens: 3000, cacheWriteTokens: 0 }, priceTable());
    const promptPerCall = 4200;
    const explained = await createToolRegistry().call("explain_signal", { analysisId }, { app });
    expect(explained.ok && explained.structured.llm).toEqual({
      provider: kit.name,
      model: kit.model,
      inputTokens: 3 * promptPerCall,
      outputTokens: 3 * 80,
      latencyMs: expect.any(Number),
      costUsd: expect.closeTo(3 * perCall!, 10),
    });
    expect(perCall).toBeGreaterThan(0);
    const audit = app.audit.list({ kind: "analysis.llm_recorded", limit: 5 });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.subject).toBe(analysisId);
  });

  it("recovers from a tool error by reading its code and fixing the call", async () => {
    const { session } = await start([
      { toolCalls: [{ name: "get_bars", args: { symbol: "NOPE.DEMO", limit: 3 } }] },
      (results) => {
        expect(results[0]).toMatchObject({ isError: true });
        expect(results[0]!.content).toMatch(/^UNKNOWN_SYMBOL: /);
        return { toolCalls: [{ name: "get_bars", args: { symbol: "NOVA.DEMO", limit: 3 } }] };
      },
      (results) => {
        expect(results[0]!.isError).toBe(false);
        return { text: "NOPE.DEMO does not exist; NOVA.DEMO's last 3 bars are above (get_bars)." };
      },
    ]);
    const answer = await session.agent.ask("Show me the last bars of NOPE.DEMO");
    expect(answer.stop).toBe("answered");
    expect(answer.toolRuns.map((r) => r.outcome.isError)).toEqual([true, false]);
  });

  for (const [label, typed, status, orders] of [
    ["accepts", "y", "submitted", 1],
    ["declines", "n", "rejected", 0],
  ] as const) {
    it(`proposes an order the person ${label} at the terminal`, async () => {
      const { session, term, app } = await start(
        [
          { toolCalls: [{ name: "propose_order", args: { symbol: "NOVA.DEMO", side: "buy", qty: 2, rationale: "asked by the user" } }] },
          (results) => {
            expect(results[0]!.content).toContain(`"status":"${status}"`);
            return { text: status === "submitted" ? "The order was submitted after your approval." : "You declined; nothing was sent." };
          },
        ],
        { answer: typed },
      );
      const answer = await session.agent.ask("Buy 2 NOVA.DEMO");
      expect(answer.stop).toBe("answered");
      // The person saw the order the server described, and answered it outside the conversation.
      expect(term.trace()).toMatch(/BUY 2 shares NOVA\.DEMO market/);
      expect(term.trace()).toContain("[y/N]");
      const proposals = app.execution.listProposals({ limit: 5 });
      expect(proposals[0]).toMatchObject({ status, decidedBy: "human:mcp-client-user", decisionChannel: "elicitation" });
      expect(await app.execution.orders({ status: "all", limit: 10 })).toHaveLength(orders);
    });
  }

  it("stops at the step limit and says which limit and what to do", async () => {
    const loop = { toolCalls: [{ name: "get_market_status", args: {} }] };
    const { session, fake } = await start([loop, loop, loop], { agent: { maxSteps: 2 } });
    const answer = await session.agent.ask("Keep checking the market");
    expect(answer.stop).toBe("step_limit");
    expect(answer.message).toMatch(/Stopped after 2 model steps without a final answer \(agent\.maxSteps, ARGUS_AGENT_MAX_STEPS\)/);
    expect(fake.remaining()).toBe(1);
  });

  it("research mode leaves out orders, cancels and imports, and refuses an order call without running it", async () => {
    const { session, fake, app } = await start(
      [
        { toolCalls: [{ name: "propose_order", args: { symbol: "NOVA.DEMO", side: "buy", qty: 1 } }] },
        (results) => {
          expect(results[0]!.content).toMatch(/^UNKNOWN_TOOL: propose_order is not offered/);
          return { text: "I can't place orders in research mode." };
        },
      ],
      { agent: { mode: "research" } },
    );
    await session.agent.ask("Buy one");
    const offered = (fake.requests[0]!.body as { tools: ({ name: string } | { function: { name: string } })[] }).tools.map((t) => ("name" in t ? t.name : t.function.name));
    expect(offered).toContain("get_bars");
    expect(offered).not.toContain("propose_order");
    expect(offered).not.toContain("cancel_order");
    expect(offered).not.toContain("import_bars_csv");
    expect(offered).toContain("analyze_ticker");
    expect(app.execution.listProposals({ limit: 5 })).toHaveLength(0);
  });

  it("reports a provider failure with a stable code and keeps the conversation usable", async () => {
    const { session } = await start([{ httpError: { status: 400, message: "bad request from the fake" } }, { text: "Now I can answer." }]);
    await expect(session.agent.ask("first")).rejects.toMatchObject({ code: "LLM_UNAVAILABLE", message: expect.stringContaining("400") });
    expect(session.agent.historyLength()).toBe(0);
    expect((await session.agent.ask("second")).text).toBe("Now I can answer.");
  });
});

describe("the copilot with a remote Argus over Streamable HTTP", () => {
  let h: TradingHarness | undefined;
  let session: AgentSession | undefined;
  let closeFake: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await session?.close();
    await closeFake?.();
    await h?.close();
  });

  it("runs an analysis and an order the person approves, and records the answer's cost on the server", async () => {
    h = await startTradingHarness();
    const kit = KITS[0]!;
    let analysisId = "";
    const { fake, provider } = await kit.start([
      { toolCalls: [{ name: "analyze_ticker", args: { symbol: "NOVA.DEMO" } }], usage: { inputTokens: 500, outputTokens: 40 } },
      (results) => {
        analysisId = (JSON.parse(results[0]!.content.split("\n").at(-1)!) as { analysisId: string }).analysisId;
        return { toolCalls: [{ name: "propose_order", args: { symbol: "NOVA.DEMO", side: "buy", qty: 3, analysisId } }], usage: { inputTokens: 700, outputTokens: 40 } };
      },
      { text: "Analysed and, with your approval, bought 3 NOVA.DEMO.", usage: { inputTokens: 900, outputTokens: 20 } },
    ]);
    closeFake = () => fake.close();
    const term = scriptedTerminal("yes");
    session = await openAgentSession({ config: h.t.app.config.agent, env: {}, provider, source: { url: h.server.url, token: MCP_TOKEN }, io: term.io });
    expect(session.connection.where).toBe(h.server.url);
    const answer = await session.agent.ask("Analyse NOVA.DEMO and buy 3 if you must");
    expect(answer.stop).toBe("answered");
    expect(h.t.app.execution.listProposals({ limit: 1 })[0]).toMatchObject({ status: "submitted", decisionChannel: "elicitation" });
    const row = h.t.app.analysis.get(analysisId);
    expect(row).toMatchObject({ llmProvider: "anthropic", llmModel: "claude-sonnet-4-6", llmInputTokens: 2100, llmOutputTokens: 100, llmPrompt: "Analyse NOVA.DEMO and buy 3 if you must" });
    expect(row.llmCostUsd).toBeCloseTo((2100 * 3 + 100 * 15) / 1e6, 10);
    // Written once: a second record for the same analysis changes nothing.
    const again = await fetch(new URL(`/api/v1/analyses/${analysisId}/llm-usage`, h.server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${MCP_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ provider: "x", model: "y", prompt: "", response: "", inputTokens: 1, outputTokens: 1, latencyMs: 1, costUsd: null }),
    });
    expect(await again.json()).toMatchObject({ result: { recorded: false } });
    const unknown = await fetch(new URL(`/api/v1/analyses/nope/llm-usage`, h.server.url), {
      method: "POST",
      headers: { authorization: `Bearer ${MCP_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ provider: "x", model: "y", prompt: "", response: "", inputTokens: 1, outputTokens: 1, latencyMs: 1, costUsd: null }),
    });
    expect(unknown.status).toBe(404);
  });
});

describe("long tool calls", () => {
  it("show their progress in the trace, a line per tenth", async () => {
    const run = await startCopilot(KITS[0]!, [
      {
        toolCalls: [
          {
            name: "run_backtest",
            args: { start: "2024-01-02", end: "2024-12-31", universe: ["NOVA.DEMO"], strategy: { kind: "rules", indicators: { f: { name: "sma", period: 5 }, s: { name: "sma", period: 20 } }, entry: { left: "f", op: ">", right: "s" }, exit: { left: "f", op: "<", right: "s" } } },
          },
        ],
      },
      (results) => ({ text: results[0]!.isError ? `failed: ${results[0]!.content}` : "Backtest done." }),
    ]);
    try {
      const answer = await run.session.agent.ask("Backtest a moving-average cross on NOVA.DEMO for 2024");
      expect(answer.text).toBe("Backtest done.");
      const lines = run.term.trace().split("\n").filter((l) => l.includes("… run_backtest"));
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.length).toBeLessThanOrEqual(11);
    } finally {
      await run.close();
    }
  });
});
