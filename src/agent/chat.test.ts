import { afterEach, describe, expect, it } from "vitest";
import { runChat } from "./chat.js";
import { KITS, startCopilot, type CopilotRun, type Step } from "./test-support.js";

let run: CopilotRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

describe("argus chat", () => {
  async function start(steps: Step[], typed: string[]) {
    run = await startCopilot(KITS[0]!, steps, { typed });
    return run;
  }

  it("keeps history across questions and answers the slash commands, until end of input", async () => {
    const { fake, term, session } = await start(
      [
        { text: "NOVA.DEMO is a synthetic demo symbol.", usage: { inputTokens: 100, outputTokens: 10 } },
        { httpError: { status: 400, message: "a provider hiccup" } },
        (_results, body) => {
          // The second answered question carries the first exchange: history is kept.
          expect(JSON.stringify(body)).toContain("NOVA.DEMO is a synthetic demo symbol.");
          return { text: "Still synthetic.", usage: { inputTokens: 200, outputTokens: 5 } };
        },
        (_results, body) => {
          // After /clear the model sees only the new question.
          expect((body as { messages: unknown[] }).messages).toHaveLength(1);
          return { text: "Fresh start." };
        },
      ],
      ["/help", "/tools", "/mode research", "/mode sideways", "What is NOVA.DEMO?", "And now?", "Again?", "/cost", "/clear", "New topic", "/nope"],
    );
    await runChat(session, term.io.stderr);
    const trace = term.trace();
    expect(trace).toMatch(/^Argus copilot: anthropic claude-sonnet-4-6, tools in-process \(\d+, trade mode\)/);
    expect(trace).toContain("/cost             tokens and estimated cost");
    expect(trace).toMatch(/✎ propose_order/);
    expect(trace).toMatch(/Mode: research \(\d+ tools, no orders, cancels or imports\)/);
    expect(trace).toContain('Unknown mode "sideways"');
    expect(trace).toMatch(/LLM_UNAVAILABLE: The anthropic API answered 400/);
    expect(trace).toMatch(/anthropic claude-sonnet-4-6: 2 call\(s\), 300 input tokens \(0 from cache\), 15 output/);
    expect(trace).toContain("Conversation cleared.");
    expect(trace).toContain("Unknown command /nope.");
    expect(term.out()).toContain("NOVA.DEMO is a synthetic demo symbol.\nStill synthetic.\nFresh start.\n");
    expect(fake.remaining()).toBe(0);
  });

  it("/exit leaves at once", async () => {
    const { term, session } = await start([], ["/exit", "never read"]);
    await runChat(session, term.io.stderr);
    expect(term.trace()).not.toContain("never read");
  });
});

describe("stopping an answer", () => {
  async function start(steps: Step[], agent: { tokenBudget?: number } = {}) {
    run = await startCopilot(KITS[1]!, steps, { agent });
    return run;
  }

  it("Ctrl-C while the model is answering stops it and leaves the question out of the history", async () => {
    const controller = new AbortController();
    const { session } = await start([
      { toolCalls: [{ name: "get_market_status", args: {} }] },
      () => {
        controller.abort(); // the person presses Ctrl-C while the second model call runs
        return { text: "too late" };
      },
    ]);
    const answer = await session.agent.ask("status?", controller.signal);
    expect(answer.stop).toBe("aborted");
    expect(answer.message).toMatch(/left out of the conversation/);
    expect(session.agent.historyLength()).toBe(0);
  });

  it("stops when a question spends its token budget, saying which setting", async () => {
    const { session, fake } = await start(
      [
        { toolCalls: [{ name: "get_market_status", args: {} }], usage: { inputTokens: 1500, outputTokens: 10 } },
        { text: "never asked" },
      ],
      { tokenBudget: 1000 },
    );
    const answer = await session.agent.ask("status?");
    expect(answer.stop).toBe("token_budget");
    expect(answer.message).toMatch(/used 1510 tokens, over the budget of 1000 \(agent\.tokenBudget, ARGUS_AGENT_TOKEN_BUDGET\)/);
    expect(fake.remaining()).toBe(1);
  });
});
