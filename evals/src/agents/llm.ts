import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { priceTable } from "../../../src/agent/accounting.js";
import { Agent, type AgentUi } from "../../../src/agent/agent.js";
import { createProvider } from "../../../src/agent/providers/index.js";
import type { ChatProvider } from "../../../src/agent/providers/types.js";
import type { ArgusConfig } from "../../../src/core/config.js";
import { copilotSystemPrompt } from "../../../src/agent/session.js";
import type { EvalCase } from "../case.js";
import type { AgentRun, EvalAgent } from "./types.js";

/** The agent's UI in an eval: nothing is shown; notices are kept for the report. */
class QuietUi implements AgentUi {
  readonly notices: string[] = [];
  text(): void {}
  toolStart(): void {}
  toolEnd(): void {}
  toolProgress(): void {}
  notice(message: string): void {
    this.notices.push(message);
  }
}

/**
 * The real copilot (src/agent) on a case: the same system prompt, tool loop, limits and
 * accounting as `argus ask`, a fresh conversation per case, in trade mode so order tools
 * are offered. Approval prompts are answered by the simulated person (the runner's
 * elicitation handler), never by the model.
 */
export class LlmAgent implements EvalAgent {
  readonly provider: string;
  readonly model: string;

  constructor(
    private readonly chat: ChatProvider,
    private readonly config: ArgusConfig["agent"],
  ) {
    this.provider = chat.name;
    this.model = chat.model;
  }

  /** From configuration (agent.provider/model, base URLs) and keys in `env`, like `argus ask`. */
  static fromConfig(config: ArgusConfig["agent"], env: Record<string, string | undefined>): LlmAgent {
    return new LlmAgent(createProvider(config, env), config);
  }

  async run(c: EvalCase, client: Client): Promise<AgentRun> {
    const ui = new QuietUi();
    const agent = await Agent.create({
      client,
      provider: this.chat,
      system: copilotSystemPrompt(client.getInstructions()),
      limits: this.config,
      ui,
      prices: priceTable(this.config.prices),
      mode: "trade",
      now: () => performance.now(),
    });
    try {
      const a = await agent.ask(c.question);
      return {
        answer: a.text,
        toolCalls: a.toolRuns.map((r) => ({ name: r.call.name, args: r.call.args, isError: r.outcome.isError, summary: r.outcome.content.slice(0, 500), structured: r.structured })),
        turns: a.turns,
        stop: a.stop,
        ...(a.message ? { error: a.message } : {}),
      };
    } catch (err) {
      return { answer: "", toolCalls: [], turns: [...agent.turns()], stop: "error", error: (err as Error).message };
    }
  }
}
