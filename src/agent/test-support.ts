import { PassThrough } from "node:stream";
import { AnthropicProvider } from "./providers/anthropic.js";
import { OpenAiProvider } from "./providers/openai.js";
import type { ChatProvider } from "./providers/types.js";
import { anthropicToolResults, startFakeAnthropic, type AnthropicRequest } from "../../test/support/fake-anthropic.js";
import { openaiToolMessages, startFakeOpenAI, type OpenAIRequest } from "../../test/support/fake-openai.js";
import type { FakeLlmServer, ScriptOutcome } from "../../test/support/fake-llm.js";
import { openAgentSession, type AgentSession, type TerminalIo } from "./session.js";
import type { App } from "../app.js";
import type { ArgusConfig } from "../core/config.js";
import { createTestApp } from "../../test/support/app.js";
import { WEEKEND_NOON } from "../../test/support/trading.js";
import { createToolRegistry } from "../../tools/index.js";

/** A scripted step for either fake: a reply, or one decided from the tool results the agent sent back. */
export type Step = ScriptOutcome | ((results: { content: string; isError: boolean }[], body: unknown) => ScriptOutcome);

/** One provider's fake server, its real-SDK provider pointed at it, and how to read what the agent sent back. */
export interface ProviderKit {
  name: "anthropic" | "openai";
  model: string;
  start(steps: Step[]): Promise<{ fake: FakeLlmServer<unknown>; provider: ChatProvider }>;
}

function adapt<R>(steps: Step[], results: (req: R) => { content: string; isError: boolean }[]) {
  return steps.map((s) => (typeof s === "function" ? (req: { body: unknown }) => s(results(req as R), req.body) : s));
}

export const KITS: ProviderKit[] = [
  {
    name: "anthropic",
    model: "claude-sonnet-4-6",
    async start(steps) {
      const fake = await startFakeAnthropic(adapt<AnthropicRequest>(steps, (r) => anthropicToolResults(r)) as never);
      return { fake: fake as FakeLlmServer<unknown>, provider: new AnthropicProvider("claude-sonnet-4-6", { apiKey: "sk-ant-test", baseUrl: fake.baseUrl, maxRetries: 0 }) };
    },
  },
  {
    name: "openai",
    model: "gpt-4.1",
    async start(steps) {
      const fake = await startFakeOpenAI(
        adapt<OpenAIRequest>(steps, (r) => openaiToolMessages(r).map((m) => ({ content: m.content.replace(/^Tool error\. /, ""), isError: m.content.startsWith("Tool error.") }))) as never,
      );
      return { fake: fake as FakeLlmServer<unknown>, provider: new OpenAiProvider("gpt-4.1", { apiKey: "sk-test", baseUrl: fake.baseUrl, strictTools: true, maxRetries: 0 }) };
    },
  },
];

/**
 * A terminal made of streams, with a person typing: each time a prompt appears on the
 * trace (the chat prompt or an approval's "[y/N]"), the next line is typed; when the lines
 * run out, input ends (Ctrl-D). Everything printed is kept for asserts.
 */
export function scriptedTerminal(typed: string | string[] = []): { io: TerminalIo; out: () => string; trace: () => string } {
  const lines = typeof typed === "string" ? [typed] : [...typed];
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let trace = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => {
    trace += d.toString();
    if (!trace.endsWith("[y/N] ") && !trace.endsWith("you› ")) return;
    const next = lines.shift();
    if (next === undefined) stdin.end();
    else stdin.write(`${next}\n`);
  });
  return { io: { stdin, stdout, stderr, tty: false }, out: () => out, trace: () => trace };
}

export interface CopilotRun {
  app: App;
  fake: FakeLlmServer<unknown>;
  term: ReturnType<typeof scriptedTerminal>;
  session: AgentSession;
  close(): Promise<void>;
}

/**
 * A copilot session on a fresh demo app (Saturday noon: Friday's prices are fresh), its
 * provider's real SDK pointed at a scripted fake, and a terminal where `typed` is typed.
 */
export async function startCopilot(kit: ProviderKit, steps: Step[], opts: { typed?: string | string[]; agent?: Partial<ArgusConfig["agent"]> } = {}): Promise<CopilotRun> {
  const t = createTestApp({ now: WEEKEND_NOON });
  const { fake, provider } = await kit.start(steps);
  const term = scriptedTerminal(opts.typed);
  const session = await openAgentSession({
    config: { ...t.app.config.agent, ...opts.agent },
    env: {},
    provider,
    source: { app: t.app, registry: createToolRegistry() },
    io: term.io,
  });
  return {
    app: t.app,
    fake,
    term,
    session,
    async close() {
      await session.close();
      await fake.close();
      t.cleanup();
    },
  };
}
