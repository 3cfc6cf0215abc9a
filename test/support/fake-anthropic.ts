/**
 * A local stand-in for Anthropic's Messages API (POST /v1/messages), scripted per request
 * (see ./fake-llm.ts), for tests that drive the real @anthropic-ai/sdk over HTTP:
 *
 *   const fake = await startFakeAnthropic([{ toolCalls: [{ name: "quote", args: { symbol: "AAPL" } }] }, { text: "Done." }]);
 *   const client = new Anthropic({ apiKey: "test", baseURL: fake.baseUrl, maxRetries: 0 });
 *
 * The SDK appends /v1/messages to baseURL itself, so baseUrl is the bare origin.
 * Like the real API it answers 401 without credentials, either `x-api-key` or `Authorization:
 * Bearer …` (SDK 1.x sends its apiKey as the latter, not x-api-key), 400 without an anthropic-version
 * header or a model / max_tokens / messages field, and errors as
 * {"type":"error","error":{"type","message"},"request_id"}. With `stream: true` it sends
 * message_start, a ping, content_block_start / _delta (text_delta or input_json_delta, each
 * block in 2+ deltas) / _stop per block, message_delta (stop reason, output tokens), message_stop.
 * Every SSE frame carries an `event:` line: the SDK skips frames without one.
 */
import type { ServerResponse } from "node:http";
import type Anthropic from "@anthropic-ai/sdk";
import {
  sendJson,
  sendSse,
  splitIntoChunks,
  startScriptedServer,
  type FakeLlmServer,
  type LlmApi,
  type ReceivedRequest,
  type ResolvedReply,
  type ScriptStep,
} from "./fake-llm.js";

export type AnthropicRequest = ReceivedRequest<Anthropic.MessageCreateParams>;
export type AnthropicStep = ScriptStep<Anthropic.MessageCreateParams>;
export type FakeAnthropic = FakeLlmServer<Anthropic.MessageCreateParams>;

/** The error `type` Anthropic uses for each status (https://docs.anthropic.com/en/api/errors). */
const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  504: "timeout_error",
  529: "overloaded_error",
};

const STOP_REASONS = { end: "end_turn", tool_use: "tool_use", max_tokens: "max_tokens" } as const;

/** The API takes a key either way; @anthropic-ai/sdk 1.x sends `apiKey` as a bearer token. */
function checkAuth(headers: Record<string, string>): string | undefined {
  if (headers["x-api-key"] || /^Bearer \S+/.test(headers["authorization"] ?? "")) return undefined;
  return "x-api-key header is required";
}

function checkBody(body: unknown, headers: Record<string, string>): string | undefined {
  if (!headers["anthropic-version"]) return "anthropic-version: header is required";
  if (!body || typeof body !== "object") return "Request body must be a JSON object";
  for (const field of ["model", "max_tokens", "messages"]) {
    if (!(field in body)) return `${field}: Field required`;
  }
  return undefined;
}

function usageOf(reply: ResolvedReply): Anthropic.Usage {
  const u = reply.usage;
  return {
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_creation_input_tokens: u.cacheWriteTokens,
    cache_read_input_tokens: u.cacheReadTokens,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWriteTokens, ephemeral_1h_input_tokens: 0 },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: "standard",
    speed: null,
  };
}

/** The Message envelope; the stream's message_start sends it with no content yet. */
function messageOf(id: string, reply: ResolvedReply, content: Anthropic.ContentBlock[], done: boolean): Anthropic.Message {
  const usage = usageOf(reply);
  return {
    id,
    type: "message",
    role: "assistant",
    model: reply.model,
    content,
    stop_reason: done ? STOP_REASONS[reply.stop] : null,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    // message_start reports the input side and a token or so of output, as the real API does.
    usage: done ? usage : { ...usage, output_tokens: 1 },
  };
}

function textBlock(text: string): Anthropic.TextBlock {
  return { type: "text", text, citations: null };
}

function toolUseBlock(call: ResolvedReply["toolCalls"][number], input: unknown): Anthropic.ToolUseBlock {
  return { type: "tool_use", id: call.id, name: call.name, input, caller: { type: "direct" } };
}

function contentOf(reply: ResolvedReply): Anthropic.ContentBlock[] {
  const blocks: Anthropic.ContentBlock[] = reply.text ? [textBlock(reply.text)] : [];
  for (const call of reply.toolCalls) blocks.push(toolUseBlock(call, call.args));
  return blocks;
}

function frame(event: Anthropic.RawMessageStreamEvent | { type: "ping" }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The SSE events for a reply, in the real API's order. */
function streamEvents(id: string, reply: ResolvedReply): string[] {
  const frames = [frame({ type: "message_start", message: messageOf(id, reply, [], false) }), frame({ type: "ping" })];
  let index = 0;
  if (reply.text) {
    frames.push(frame({ type: "content_block_start", index, content_block: textBlock("") }));
    for (const text of splitIntoChunks(reply.text)) {
      frames.push(frame({ type: "content_block_delta", index, delta: { type: "text_delta", text } }));
    }
    frames.push(frame({ type: "content_block_stop", index }));
    index += 1;
  }
  for (const call of reply.toolCalls) {
    // The block starts with an empty input; the arguments follow as JSON fragments.
    frames.push(frame({ type: "content_block_start", index, content_block: toolUseBlock(call, {}) }));
    for (const partial_json of splitIntoChunks(JSON.stringify(call.args))) {
      frames.push(frame({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } }));
    }
    frames.push(frame({ type: "content_block_stop", index }));
    index += 1;
  }
  const u = reply.usage;
  frames.push(
    frame({
      type: "message_delta",
      delta: { stop_reason: STOP_REASONS[reply.stop], stop_sequence: null, stop_details: null, container: null },
      // Cumulative totals: the SDK overwrites its snapshot's counters with them.
      usage: {
        output_tokens: u.outputTokens,
        input_tokens: u.inputTokens,
        cache_creation_input_tokens: u.cacheWriteTokens,
        cache_read_input_tokens: u.cacheReadTokens,
        output_tokens_details: null,
        server_tool_use: null,
      },
    }),
    frame({ type: "message_stop" }),
  );
  return frames;
}

function anthropicApi(): LlmApi<Anthropic.MessageCreateParams> {
  let messages = 0;
  let toolCalls = 0;
  let requestIds = 0;
  const pad = (n: number) => String(n).padStart(6, "0");
  const requestId = () => `req_fake_${pad(++requestIds)}`;
  return {
    path: "/v1/messages",
    baseUrlSuffix: "",
    checkAuth,
    checkBody,
    sendError: (res: ServerResponse, status, message, opts = {}) => {
      const id = requestId();
      const type = opts.type ?? ERROR_TYPES[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
      sendJson(res, status, { type: "error", error: { type, message }, request_id: id }, { "request-id": id, ...opts.headers });
    },
    sendReply: (res, req, reply) => {
      const id = `msg_fake_${pad(++messages)}`;
      const headers = { "request-id": requestId() };
      if (req.body.stream === true) sendSse(res, streamEvents(id, reply), headers);
      else sendJson(res, 200, messageOf(id, reply, contentOf(reply), true), headers);
    },
    newToolCallId: () => `toolu_fake_${pad(++toolCalls)}`,
  };
}

/** Starts the fake Messages API on 127.0.0.1; pass `baseUrl` to `new Anthropic({ baseURL })`. */
export function startFakeAnthropic(script: AnthropicStep[] = []): Promise<FakeAnthropic> {
  return startScriptedServer(anthropicApi(), script);
}

/** A tool result the client sent back, flattened for assertions. */
export interface AnthropicToolResult {
  toolUseId: string;
  /** The result's text (text blocks joined with "\n" when it sent blocks). */
  content: string;
  isError: boolean;
}

/** The tool_result blocks of the request's last message (the answer to the previous tool calls). */
export function anthropicToolResults(req: AnthropicRequest): AnthropicToolResult[] {
  const last = req.body.messages.at(-1);
  if (!last || typeof last.content === "string") return [];
  const out: AnthropicToolResult[] = [];
  for (const block of last.content) {
    if (block.type !== "tool_result") continue;
    const content =
      typeof block.content === "string"
        ? block.content
        : (block.content ?? []).map((b) => (b.type === "text" ? b.text : "")).join("\n");
    out.push({ toolUseId: block.tool_use_id, content, isError: block.is_error === true });
  }
  return out;
}
