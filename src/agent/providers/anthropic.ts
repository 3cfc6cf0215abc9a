import Anthropic from "@anthropic-ai/sdk";
import type { ContentBlockParam, MessageParam, Tool, Usage as AnthropicUsage } from "@anthropic-ai/sdk/resources/messages/messages.js";
import { providerError } from "./errors.js";
import type { AgentMessage, AgentTool, ChatProvider, ModelRequest, ModelTurn, StopReason, ToolCall, Usage } from "./types.js";

const EPHEMERAL = { type: "ephemeral" } as const;

/** Anthropic's tool list: the last tool carries a cache breakpoint, so system + tools are cached together. */
export function anthropicTools(tools: readonly AgentTool[]): Tool[] {
  return tools.map((t, i) => ({
    name: t.name,
    description: t.description,
    input_schema: { ...t.inputSchema, type: "object" } as Tool["input_schema"],
    ...(i === tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
}

/**
 * The conversation as Anthropic messages. Tool outcomes travel as `tool_result` blocks in
 * a user message; consecutive same-role messages are merged because the API wants turns
 * to alternate. The last block gets a cache breakpoint: every step of a tool loop
 * re-sends the whole history, and the cached prefix makes those steps cheap.
 */
export function anthropicMessages(messages: readonly AgentMessage[]): MessageParam[] {
  const out: { role: "user" | "assistant"; content: ContentBlockParam[] }[] = [];
  const push = (role: "user" | "assistant", blocks: ContentBlockParam[]) => {
    const last = out.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const m of messages) {
    if (m.role === "user") push("user", [{ type: "text", text: m.text }]);
    else if (m.role === "assistant") {
      const blocks: ContentBlockParam[] = [];
      if (m.text) blocks.push({ type: "text", text: m.text });
      for (const c of m.toolCalls) blocks.push({ type: "tool_use", id: c.id, name: c.name, input: c.args });
      push("assistant", blocks.length > 0 ? blocks : [{ type: "text", text: "(no answer)" }]);
    } else {
      push(
        "user",
        m.outcomes.map((o) => ({ type: "tool_result", tool_use_id: o.callId, content: o.content, ...(o.isError ? { is_error: true } : {}) })),
      );
    }
  }
  const lastBlock = out.at(-1)?.content.at(-1);
  if (lastBlock && (lastBlock.type === "text" || lastBlock.type === "tool_result")) lastBlock.cache_control = EPHEMERAL;
  return out;
}

function stopOf(reason: string | null): StopReason {
  return reason === "end_turn" || reason === "stop_sequence" ? "end" : reason === "tool_use" ? "tool_use" : reason === "max_tokens" ? "max_tokens" : "other";
}

function usageOf(u: AnthropicUsage): Usage {
  return {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    cacheReadTokens: u.cache_read_input_tokens ?? 0,
    cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
  };
}

export class AnthropicProvider implements ChatProvider {
  readonly name = "anthropic" as const;
  private readonly client: Anthropic;

  constructor(
    readonly model: string,
    opts: { apiKey: string; baseUrl?: string; maxRetries?: number },
  ) {
    this.client = new Anthropic({ apiKey: opts.apiKey, ...(opts.baseUrl ? { baseURL: opts.baseUrl } : {}), maxRetries: opts.maxRetries ?? 2 });
  }

  async complete(req: ModelRequest): Promise<ModelTurn> {
    try {
      const stream = this.client.messages.stream(
        {
          model: this.model,
          max_tokens: req.maxOutputTokens,
          system: [{ type: "text", text: req.system, cache_control: EPHEMERAL }],
          ...(req.tools.length > 0 ? { tools: anthropicTools(req.tools) } : {}),
          messages: anthropicMessages(req.messages),
        },
        { ...(req.signal ? { signal: req.signal } : {}) },
      );
      if (req.onText) stream.on("text", req.onText);
      const message = await stream.finalMessage();
      const toolCalls: ToolCall[] = [];
      const text: string[] = [];
      for (const block of message.content) {
        if (block.type === "text") text.push(block.text);
        else if (block.type === "tool_use") toolCalls.push({ id: block.id, name: block.name, args: (block.input ?? {}) as Record<string, unknown> });
      }
      return { text: text.join(""), toolCalls, stop: stopOf(message.stop_reason), usage: usageOf(message.usage), model: message.model };
    } catch (err) {
      throw providerError("anthropic", err, req.signal);
    }
  }
}
