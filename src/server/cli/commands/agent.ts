import { Writable } from "node:stream";
import { totalsOf } from "../../../agent/accounting.js";
import { answerFooter, askWithInterrupt, runChat } from "../../../agent/chat.js";
import { createProvider } from "../../../agent/providers/index.js";
import { openAgentSession, type AgentSession, type ToolSource } from "../../../agent/session.js";
import { loadConfig, type ArgusConfig } from "../../../core/config.js";
import { ensureToken } from "../../auth/token.js";
import { cliApp } from "../context.js";

export interface AgentFlags {
  provider?: string;
  model?: string;
  server?: string;
  maxSteps?: number;
  mode?: string;
  json?: boolean;
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

/** Flags laid over the configuration's agent section, then validated with it. */
function agentOverrides(flags: AgentFlags): Record<string, unknown> {
  const agent: Record<string, unknown> = {};
  if (flags.provider !== undefined) agent.provider = flags.provider;
  if (flags.model !== undefined) agent.model = flags.model;
  if (flags.server !== undefined) agent.serverUrl = flags.server;
  if (flags.maxSteps !== undefined) agent.maxSteps = flags.maxSteps;
  if (flags.mode !== undefined) agent.mode = flags.mode;
  return Object.keys(agent).length > 0 ? { agent } : {};
}

/**
 * Opens a copilot session on the terminal. The provider is built first, so a missing key
 * is reported before any database is opened; the tools are this process's Argus unless
 * a server URL is configured.
 */
async function openTerminalSession(flags: AgentFlags): Promise<{ session: AgentSession; close: () => Promise<void> }> {
  const overrides = agentOverrides(flags);
  const config: ArgusConfig = loadConfig({ overrides });
  const provider = createProvider(config.agent, process.env);
  let source: ToolSource;
  let closeApp = () => undefined as void;
  if (config.agent.serverUrl) {
    source = { url: config.agent.serverUrl, token: ensureToken(config.home, config.http.token).token };
  } else {
    const { app, registry } = cliApp({ quiet: true, overrides });
    source = { app, registry };
    closeApp = () => app.close();
  }
  try {
    const session = await openAgentSession({
      config: config.agent,
      env: process.env,
      source,
      provider,
      // With --json nothing streams: stdout carries one JSON document for scripts and evals.
      io: { stdin: process.stdin, stdout: flags.json ? discard() : process.stdout, stderr: process.stderr, tty: process.stdin.isTTY === true && process.stderr.isTTY === true },
    });
    return {
      session,
      async close() {
        await session.close();
        closeApp();
      },
    };
  } catch (err) {
    closeApp();
    throw err;
  }
}

/** Exit codes: 0 answered; 3 stopped by a limit (steps, tokens, length); 130 stopped with Ctrl-C. */
const EXIT = { answered: 0, step_limit: 3, token_budget: 3, max_tokens: 3, aborted: 130 } as const;

/** `argus ask "question"`: one answer, streamed to stdout (or as JSON with --json), then exit. */
export async function askCommand(question: string, flags: AgentFlags): Promise<number> {
  const { session, close } = await openTerminalSession(flags);
  try {
    const answer = await askWithInterrupt(session, question);
    if (flags.json) {
      const t = totalsOf(answer.turns);
      process.stdout.write(
        `${JSON.stringify(
          {
            answer: answer.text,
            stop: answer.stop,
            message: answer.message ?? null,
            provider: session.agent.provider.name,
            model: answer.turns.at(-1)?.model ?? session.agent.provider.model,
            usage: t,
            analysisIds: answer.analysisIds,
            toolCalls: answer.toolRuns.map((r) => ({ name: r.call.name, args: r.call.args, isError: r.outcome.isError, ms: Math.round(r.ms) })),
          },
          null,
          2,
        )}\n`,
      );
    } else {
      if (answer.message) session.ui.notice(answer.message);
      process.stderr.write(`${answerFooter(answer)}\n`);
    }
    return EXIT[answer.stop];
  } finally {
    await close();
  }
}

/** `argus chat`: a conversation with history and slash commands. */
export async function chatCommand(flags: AgentFlags): Promise<number> {
  const { session, close } = await openTerminalSession(flags);
  try {
    await runChat(session, process.stderr);
    return 0;
  } finally {
    await close();
  }
}
