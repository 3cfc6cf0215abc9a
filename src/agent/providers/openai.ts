import OpenAI from "openai";
import type { ChatCompletionFunctionTool, ChatCompletionMessageParam } from "openai/resources/chat/completions/completions.js";
import { providerError } from "./errors.js";
import { dropNullOptionals, openAiToolSchema } from "./openai-schema.js";
import { NO_USAGE, type AgentMessage, type AgentTool, type ChatProvider, type ModelRequest, type ModelTurn, type StopReason, type ToolCall, type Usage } from "./types.js";

export function openAiTools(tools: readonly AgentTool[], strict: boolean): ChatCompletionFunctionTool[] {
  return tools.map((t) => {
    const schema = openAiToolSchema(t.inputSchema, strict);
    return { type: "function", function: { name: t.name, description: t.description, parameters: schema.parameters, strict: schema.strict } };
  });
}

/** The conversation as chat messages: one `tool` message per outcome, errors marked in the text (the API has no error flag). */
export function openAiMessages(system: string, messages: readonly AgentMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: "system", content: system }];
  for (const m of messages) {
    if (m.role === "user") out.push({ role: "user", content: m.text });
    else if (m.role === "assistant") {
      out.push({
        role: "assistant",
        content: m.text || null,
        ...(m.toolCalls.length > 0
          ? { tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: JSON.stringify(c.args) } })) }
          : {}),
      });
    } else {
      for (const o of m.outcomes) out.push({ role: "tool", tool_call_id: o.callId, content: o.isError ? `Tool error. ${o.content}` : o.content });
    }
  }
  return out;
}

function stopOf(reason: string | null | undefined): StopReason {
  return reason === "stop" ? "end" : reason === "tool_calls" || reason === "function_call" ? "tool_use" : reason === "length" ? "max_tokens" : "other";
}

/** Arguments arrive as a JSON string; a model that writes broken JSON gets that said back as a tool error. */
function parseArgs(raw: string): Record<string, unknown> | undefined {
  if (raw.trim() === "") return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * OpenAI Chat Completions, and any server that speaks it (Ollama, vLLM, LM Studio) through
 * `baseUrl`. Streams, reassembles tool calls from their argument fragments, and asks for
 * usage in the final chunk. Parallel tool calls stay on even with strict schemas: a call
 * that misses the schema is refused by Argus's own validation and the model is told why.
 */
export class OpenAiProvider implements ChatProvider {
  readonly name = "openai" as const;
  private readonly client: OpenAI;
  private readonly strict: boolean;
  /** api.openai.com wants max_completion_tokens; compatible servers mostly know only max_tokens. */
  private readonly officialApi: boolean;
  private readonly schemas = new Map<string, Record<string, unknown>>();

  constructor(
    readonly model: string,
    opts: { apiKey: string; baseUrl?: string; strictTools: boolean; maxRetries?: number },
  ) {
    this.client = new OpenAI({ apiKey: opts.apiKey, ...(opts.baseUrl ? { baseURL: opts.baseUrl } : {}), maxRetries: opts.maxRetries ?? 2 });
    this.strict = opts.strictTools;
    this.officialApi = !opts.baseUrl || /^https:\/\/api\.openai\.com\//.test(opts.baseUrl);
  }

  async complete(req: ModelRequest): Promise<ModelTurn> {
    for (const t of req.tools) this.schemas.set(t.name, t.inputSchema);
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: openAiMessages(req.system, req.messages),
          ...(req.tools.length > 0 ? { tools: openAiTools(req.tools, this.strict) } : {}),
          ...(this.officialApi ? { max_completion_tokens: req.maxOutputTokens } : { max_tokens: req.maxOutputTokens }),
          stream: true,
          stream_options: { include_usage: true },
        },
        { ...(req.signal ? { signal: req.signal } : {}) },
      );
      let text = "";
      let model = this.model;
      let finish: string | null | undefined;
      // A server that sends no usage chunk leaves it at zero.
      let usage: Usage = NO_USAGE;
      const calls: { id: string; name: string; args: string }[] = [];
      for await (const chunk of stream) {
        model = chunk.model || model;
        if (chunk.usage) {
          const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
          usage = { inputTokens: chunk.usage.prompt_tokens - cached, outputTokens: chunk.usage.completion_tokens, cacheReadTokens: cached, cacheWriteTokens: 0 };
        }
        const choice = chunk.choices[0];
        if (!choice) continue;
        if (choice.delta.content) {
          text += choice.delta.content;
          req.onText?.(choice.delta.content);
        }
        for (const d of choice.delta.tool_calls ?? []) {
          const call = (calls[d.index] ??= { id: "", name: "", args: "" });
          if (d.id) call.id = d.id;
          if (d.function?.name) call.name += d.function.name;
          if (d.function?.arguments) call.args += d.function.arguments;
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      const toolCalls: ToolCall[] = calls.filter(Boolean).map((c, i) => {
        const id = c.id || `call_${i}`;
        const args = parseArgs(c.args);
        if (!args) return { id, name: c.name, args: {}, argsError: `the arguments are not a JSON object: ${c.args.slice(0, 200)}` };
        const schema = this.schemas.get(c.name);
        return { id, name: c.name, args: this.strict && schema ? (dropNullOptionals(args, schema) as Record<string, unknown>) : args };
      });
      return { text, toolCalls, stop: stopOf(finish), usage, model };
    } catch (err) {
      throw providerError("openai", err, req.signal);
    }
  }
}
