/**
 * A local stand-in for OpenAI's Chat Completions API (POST /v1/chat/completions), scripted
 * per request (see ./fake-llm.ts), for tests that drive the real `openai` SDK over HTTP:
 *
 *   const fake = await startFakeOpenAI([{ text: "Hello." }]);
 *   const client = new OpenAI({ apiKey: "test", baseURL: fake.baseUrl, maxRetries: 0 });
 *
 * baseUrl ends in /v1, like the SDK's default https://api.openai.com/v1.
 * Like the real API it answers 401 without `Authorization: Bearer …`, 400 without a model or
 * messages, and errors as {"error":{"message","type","param","code"}}. With `stream: true` it
 * sends `data: <chat.completion.chunk>` frames: the role, the text in 2+ content deltas, each
 * tool call's id and name then its arguments in 2+ fragments, the finish_reason, then (only
 * when stream_options.include_usage is set) a usage chunk with no choices, then `data: [DONE]`.
 */
import type { ServerResponse } from "node:http";
import type OpenAI from "openai";
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

export type OpenAIRequest = ReceivedRequest<OpenAI.ChatCompletionCreateParams>;
export type OpenAIStep = ScriptStep<OpenAI.ChatCompletionCreateParams>;
export type FakeOpenAI = FakeLlmServer<OpenAI.ChatCompletionCreateParams>;

type Chunk = OpenAI.ChatCompletionChunk;
type ChunkDelta = OpenAI.ChatCompletionChunk.Choice.Delta;
type FinishReason = OpenAI.ChatCompletionChunk.Choice["finish_reason"];

const FINISH_REASONS = { end: "stop", tool_use: "tool_calls", max_tokens: "length" } as const;

/** OpenAI's error `type` for a status: rate limits are "requests", server faults "server_error". */
function errorType(status: number): string {
  if (status === 429) return "requests";
  return status >= 500 ? "server_error" : "invalid_request_error";
}

function checkAuth(headers: Record<string, string>): string | undefined {
  if (/^Bearer \S+/.test(headers["authorization"] ?? "")) return undefined;
  return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
}

function checkBody(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return "We could not parse the JSON body of your request.";
  if (!("model" in body)) return "you must provide a model parameter";
  if (!("messages" in body)) return "Missing required parameter: 'messages'.";
  return undefined;
}

function usageOf(reply: ResolvedReply): OpenAI.CompletionUsage {
  const u = reply.usage;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: {
      cached_tokens: u.cacheReadTokens,
      audio_tokens: 0,
      ...(u.cacheWriteTokens ? { cache_write_tokens: u.cacheWriteTokens } : {}),
    },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function completionOf(id: string, created: number, reply: ResolvedReply): OpenAI.ChatCompletion {
  const message: OpenAI.ChatCompletionMessage = { role: "assistant", content: reply.text || null, refusal: null, annotations: [] };
  if (reply.toolCalls.length > 0) {
    message.tool_calls = reply.toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } }));
  }
  return {
    id,
    object: "chat.completion",
    created,
    model: reply.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH_REASONS[reply.stop] }],
    usage: usageOf(reply),
    service_tier: "default",
    system_fingerprint: "fp_fake",
  };
}

/** The chunk sequence for a reply, in the real API's order. */
function chunksOf(id: string, created: number, reply: ResolvedReply, includeUsage: boolean): Chunk[] {
  // With include_usage every chunk carries `usage: null` until the last one, as the real API does.
  const base = { id, object: "chat.completion.chunk" as const, created, model: reply.model, service_tier: "default" as const, system_fingerprint: "fp_fake", ...(includeUsage ? { usage: null } : {}) };
  const chunk = (delta: ChunkDelta, finish_reason: FinishReason = null): Chunk => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason }],
  });
  const chunks = [chunk({ role: "assistant", content: "", refusal: null })];
  if (reply.text) for (const content of splitIntoChunks(reply.text)) chunks.push(chunk({ content }));
  reply.toolCalls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.name, arguments: "" } }] }));
    for (const fragment of splitIntoChunks(JSON.stringify(call.args))) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }));
    }
  });
  chunks.push(chunk({}, FINISH_REASONS[reply.stop]));
  if (includeUsage) chunks.push({ ...base, choices: [], usage: usageOf(reply) });
  return chunks;
}

function openaiApi(): LlmApi<OpenAI.ChatCompletionCreateParams> {
  let completions = 0;
  let toolCalls = 0;
  let requestIds = 0;
  const requestId = () => `req_fake_${++requestIds}`;
  return {
    path: "/v1/chat/completions",
    baseUrlSuffix: "/v1",
    checkAuth,
    checkBody,
    sendError: (res: ServerResponse, status, message, opts = {}) => {
      const error = { message, type: opts.type ?? errorType(status), param: null, code: opts.code ?? null };
      sendJson(res, status, { error }, { "x-request-id": requestId(), ...opts.headers });
    },
    sendReply: (res, req, reply) => {
      const id = `chatcmpl-fake-${++completions}`;
      const created = Math.floor(Date.now() / 1000);
      const headers = { "x-request-id": requestId() };
      if (req.body.stream !== true) return sendJson(res, 200, completionOf(id, created, reply), headers);
      const includeUsage = req.body.stream_options?.include_usage === true;
      const frames = chunksOf(id, created, reply, includeUsage).map((c) => `data: ${JSON.stringify(c)}\n\n`);
      sendSse(res, [...frames, "data: [DONE]\n\n"], headers);
    },
    newToolCallId: () => `call_fake_${++toolCalls}`,
  };
}

/** Starts the fake Chat Completions API on 127.0.0.1; pass `baseUrl` to `new OpenAI({ baseURL })`. */
export function startFakeOpenAI(script: OpenAIStep[] = []): Promise<FakeOpenAI> {
  return startScriptedServer(openaiApi(), script);
}

/** A tool message the client sent back, flattened for assertions. */
export interface OpenAIToolMessage {
  toolCallId: string;
  /** The message's text (text parts joined with "\n" when it sent parts). */
  content: string;
}

/** The trailing `role: "tool"` messages of the request (the answers to the previous tool calls). */
export function openaiToolMessages(req: OpenAIRequest): OpenAIToolMessage[] {
  const out: OpenAIToolMessage[] = [];
  for (const m of [...req.body.messages].reverse()) {
    if (m.role !== "tool") break;
    const content = typeof m.content === "string" ? m.content : m.content.map((p) => p.text).join("\n");
    out.unshift({ toolCallId: m.tool_call_id, content });
  }
  return out;
}
