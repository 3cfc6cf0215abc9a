import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { anthropicToolResults, startFakeAnthropic, type FakeAnthropic } from "./fake-anthropic.js";
import { splitIntoChunks } from "./fake-llm.js";
import { openaiToolMessages, startFakeOpenAI, type FakeOpenAI } from "./fake-openai.js";

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});

async function anthropicFake(...args: Parameters<typeof startFakeAnthropic>): Promise<{ fake: FakeAnthropic; client: Anthropic }> {
  const fake = await startFakeAnthropic(...args);
  open.push(fake);
  return { fake, client: new Anthropic({ apiKey: "test", baseURL: fake.baseUrl, maxRetries: 0 }) };
}

async function openaiFake(...args: Parameters<typeof startFakeOpenAI>): Promise<{ fake: FakeOpenAI; client: OpenAI }> {
  const fake = await startFakeOpenAI(...args);
  open.push(fake);
  return { fake, client: new OpenAI({ apiKey: "test", baseURL: fake.baseUrl, maxRetries: 0 }) };
}

const QUOTE_TOOL = { name: "get_quote", description: "Latest quote", input_schema: { type: "object" as const, properties: { symbol: { type: "string" } } } };
const ARGS = { symbol: "AAPL", fields: ["bid", "ask"], opts: { delayed: false, depth: 2 } };
const user = (content: string) => ({ role: "user" as const, content });

describe("splitIntoChunks", () => {
  it("splits into several non-empty pieces on code points, and leaves short strings whole", () => {
    expect(splitIntoChunks("Hello world")).toEqual(["Hell", "o wo", "rld"]);
    expect(splitIntoChunks("a😀b😀")).toEqual(["a😀", "b😀"]);
    expect(splitIntoChunks("x")).toEqual(["x"]);
    expect(splitIntoChunks("")).toEqual([""]);
  });
});

describe("fake Anthropic Messages API", () => {
  it("streams text in several deltas and finalMessage() matches; records the request", async () => {
    const { fake, client } = await anthropicFake([{ text: "The quick brown fox.", usage: { inputTokens: 120, outputTokens: 7, cacheReadTokens: 80, cacheWriteTokens: 30 } }]);
    const stream = client.messages.stream({ model: "claude-test", max_tokens: 256, messages: [user("hi")] });
    const deltas: string[] = [];
    stream.on("text", (d) => deltas.push(d));
    const msg = await stream.finalMessage();

    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.join("")).toBe("The quick brown fox.");
    expect(msg).toMatchObject({ type: "message", role: "assistant", model: "claude-test", stop_reason: "end_turn", stop_sequence: null });
    expect(msg.content).toEqual([{ type: "text", text: "The quick brown fox.", citations: null }]);
    expect(msg.usage).toMatchObject({ input_tokens: 120, output_tokens: 7, cache_read_input_tokens: 80, cache_creation_input_tokens: 30 });

    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req).toMatchObject({ method: "POST", path: "/v1/messages", body: { model: "claude-test", stream: true, max_tokens: 256 } });
    // SDK 1.x sends the apiKey as a bearer token, not as x-api-key.
    expect(req?.headers.authorization).toBe("Bearer test");
    expect(req?.headers["anthropic-version"]).toBeTruthy();
    expect(fake.remaining()).toBe(0);
  });

  it("reassembles a streamed tool call; a function step sees the tool_result sent back", async () => {
    const { fake, client } = await anthropicFake([
      { text: "Let me look.", toolCalls: [{ id: "toolu_1", name: "get_quote", args: ARGS }] },
      (req) => {
        const [result] = anthropicToolResults(req);
        return { text: `Got ${result?.toolUseId}: ${result?.content} (error=${result?.isError})` };
      },
    ]);
    const messages: Anthropic.MessageParam[] = [user("quote AAPL")];
    const stream = client.messages.stream({ model: "claude-test", max_tokens: 256, tools: [QUOTE_TOOL], messages });
    const fragments: string[] = [];
    stream.on("inputJson", (partial) => fragments.push(partial));
    const first = await stream.finalMessage();
    expect(fragments.length).toBeGreaterThanOrEqual(2);
    expect(fragments.join("")).toBe(JSON.stringify(ARGS));

    expect(first.stop_reason).toBe("tool_use");
    expect(first.content).toHaveLength(2);
    expect(first.content[1]).toMatchObject({ type: "tool_use", id: "toolu_1", name: "get_quote", input: ARGS });

    messages.push({ role: "assistant", content: first.content });
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "189.50" }] }] });
    const second = await client.messages.create({ model: "claude-test", max_tokens: 256, tools: [QUOTE_TOOL], messages });
    expect(second.content).toEqual([{ type: "text", text: "Got toolu_1: 189.50 (error=false)", citations: null }]);
    expect(second.stop_reason).toBe("end_turn");
    expect(fake.requests[1]?.body.stream).toBeUndefined();
  });

  it("answers non-streaming requests with a full Message and deterministic default usage and ids", async () => {
    const { client } = await anthropicFake([{ toolCalls: [{ name: "get_quote", args: { symbol: "MSFT" } }], model: "claude-test-20990101" }, { text: "cut", stop: "max_tokens" }]);
    const params = { model: "claude-test", max_tokens: 64, messages: [user("go")] };
    const msg = await client.messages.create(params);
    expect(msg).toMatchObject({
      id: "msg_fake_000001",
      model: "claude-test-20990101",
      stop_reason: "tool_use",
      content: [{ type: "tool_use", id: "toolu_fake_000001", name: "get_quote", input: { symbol: "MSFT" } }],
    });
    expect(msg.usage.input_tokens).toBe(Math.ceil(JSON.stringify(params).length / 4));
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    expect((await client.messages.create(params)).stop_reason).toBe("max_tokens");
  });

  it("surfaces a scripted httpError and an exhausted script as the SDK's typed errors", async () => {
    const { fake, client } = await anthropicFake([{ httpError: { status: 429, message: "slow down" } }]);
    const params = { model: "claude-test", max_tokens: 64, messages: [user("go")] };
    const err = await client.messages.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err).toMatchObject({ status: 429, type: "rate_limit_error", apiMessage: "slow down", requestID: expect.stringMatching(/^req_fake_/) });

    // Default retries would retry a 500, but the fake says x-should-retry: false.
    const retrying = new Anthropic({ apiKey: "test", baseURL: fake.baseUrl });
    const exhausted = await retrying.messages.create(params).catch((e: unknown) => e);
    expect(exhausted).toBeInstanceOf(Anthropic.InternalServerError);
    expect(exhausted).toMatchObject({ status: 500, type: "api_error", apiMessage: expect.stringMatching(/^fake script exhausted/) });
    expect(fake.requests).toHaveLength(2);
  });

  it("streams fail with the typed error too", async () => {
    const { client } = await anthropicFake([{ httpError: { status: 400, message: "bad tools" } }]);
    const stream = client.messages.stream({ model: "claude-test", max_tokens: 64, messages: [user("go")] });
    await expect(stream.finalMessage()).rejects.toMatchObject({ status: 400, type: "invalid_request_error", apiMessage: "bad tools" });
  });

  it("answers 401 without a key, accepts x-api-key, 400 on a bad body, without consuming a step", async () => {
    const { fake } = await anthropicFake([{ text: "kept" }]);
    const noKey = new Anthropic({ apiKey: "test", baseURL: fake.baseUrl, maxRetries: 0, defaultHeaders: { "x-api-key": null, authorization: null } });
    const err = await noKey.messages.create({ model: "claude-test", max_tokens: 64, messages: [user("go")] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(err).toMatchObject({ status: 401, error: { type: "error", error: { type: "authentication_error" } } });
    expect(fake.requests[0]?.headers["x-api-key"]).toBeUndefined();
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();

    // x-api-key alone is accepted: this one gets past auth and fails on the missing max_tokens.
    const res = await fetch(`${fake.baseUrl}/v1/messages`, { method: "POST", headers: { "x-api-key": "k", "anthropic-version": "2023-06-01" }, body: JSON.stringify({ model: "m", messages: [] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: "max_tokens: Field required" } });
    expect(fake.remaining()).toBe(1);
  });
});

describe("fake OpenAI Chat Completions API", () => {
  it("streams text in several content deltas, then usage only when asked", async () => {
    const { fake, client } = await openaiFake([
      { text: "The quick brown fox.", usage: { inputTokens: 120, outputTokens: 7, cacheReadTokens: 80 } },
      { text: "No usage please." },
    ]);
    const stream = await client.chat.completions.create({ model: "gpt-test", messages: [user("hi")], stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);

    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: "assistant", content: "" });
    const contents = chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? "")).filter(Boolean);
    expect(contents.length).toBeGreaterThanOrEqual(2);
    expect(contents.join("")).toBe("The quick brown fox.");
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 120, completion_tokens: 7, total_tokens: 127, prompt_tokens_details: { cached_tokens: 80 } });
    expect(fake.requests[0]).toMatchObject({ path: "/v1/chat/completions", headers: { authorization: "Bearer test" }, body: { stream: true } });

    const plain = await client.chat.completions.create({ model: "gpt-test", messages: [user("hi")], stream: true });
    const plainChunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of plain) plainChunks.push(c);
    expect(plainChunks.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  it("reassembles streamed tool calls (finalChatCompletion); a function step sees the tool messages", async () => {
    const { fake, client } = await openaiFake([
      { toolCalls: [{ id: "call_a", name: "get_quote", args: ARGS }, { name: "get_news", args: {} }] },
      (req) => ({ text: openaiToolMessages(req).map((m) => `${m.toolCallId}=${m.content}`).join(",") }),
    ]);
    const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "get_quote", parameters: QUOTE_TOOL.input_schema } }];
    const messages: OpenAI.ChatCompletionMessageParam[] = [user("quote AAPL")];
    const stream = client.chat.completions.stream({ model: "gpt-test", messages, tools, stream_options: { include_usage: true } });
    const argFragments: string[] = [];
    stream.on("chunk", (c) => argFragments.push(...(c.choices[0]?.delta.tool_calls ?? []).filter((t) => t.index === 0 && t.function?.arguments).map((t) => t.function?.arguments ?? "")));
    const first = await stream.finalChatCompletion();
    expect(argFragments.length).toBeGreaterThanOrEqual(2);
    expect(argFragments.join("")).toBe(JSON.stringify(ARGS));

    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    const calls = (choice?.message.tool_calls ?? []) as OpenAI.ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((c) => [c.id, c.function.name, JSON.parse(c.function.arguments) as unknown])).toEqual([
      ["call_a", "get_quote", ARGS],
      ["call_fake_1", "get_news", {}],
    ]);
    expect(first.usage?.prompt_tokens).toBeGreaterThan(0);

    messages.push(choice!.message as OpenAI.ChatCompletionAssistantMessageParam);
    messages.push({ role: "tool", tool_call_id: "call_a", content: "189.50" }, { role: "tool", tool_call_id: "call_fake_1", content: [{ type: "text", text: "none" }] });
    const second = await client.chat.completions.create({ model: "gpt-test", messages, tools });
    expect(second.choices[0]?.message.content).toBe("call_a=189.50,call_fake_1=none");
    expect(fake.requests).toHaveLength(2);
  });

  it("answers non-streaming requests with a full ChatCompletion", async () => {
    const { client } = await openaiFake([{ text: "Hi", toolCalls: [{ name: "get_quote", args: { symbol: "MSFT" } }], usage: { inputTokens: 50, outputTokens: 5, cacheReadTokens: 10 }, stop: "end" }, { text: "cut", stop: "max_tokens" }]);
    const done = await client.chat.completions.create({ model: "gpt-test", messages: [user("go")] });
    expect(done).toMatchObject({
      id: "chatcmpl-fake-1",
      object: "chat.completion",
      model: "gpt-test",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          message: { role: "assistant", content: "Hi", tool_calls: [{ id: "call_fake_1", type: "function", function: { name: "get_quote", arguments: '{"symbol":"MSFT"}' } }] },
        },
      ],
      usage: { prompt_tokens: 50, completion_tokens: 5, total_tokens: 55, prompt_tokens_details: { cached_tokens: 10 } },
    });
    expect(typeof done.created).toBe("number");
    expect((await client.chat.completions.create({ model: "gpt-test", messages: [user("go")] })).choices[0]?.finish_reason).toBe("length");
  });

  it("surfaces a scripted httpError and an exhausted script as the SDK's typed errors", async () => {
    const { fake, client } = await openaiFake([{ httpError: { status: 400, message: "bad tools", code: "invalid_value" } }]);
    const params = { model: "gpt-test", messages: [user("go")] };
    const err = await client.chat.completions.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err).toMatchObject({ status: 400, type: "invalid_request_error", code: "invalid_value", param: null, error: { message: "bad tools" } });
    expect(err).toMatchObject({ requestID: expect.stringMatching(/^req_fake_/) });

    const retrying = new OpenAI({ apiKey: "test", baseURL: fake.baseUrl });
    const exhausted = await retrying.chat.completions.create({ ...params, stream: true }).catch((e: unknown) => e);
    expect(exhausted).toBeInstanceOf(OpenAI.InternalServerError);
    expect(exhausted).toMatchObject({ status: 500, type: "server_error", message: expect.stringMatching(/^500 fake script exhausted/) });
    expect(fake.requests).toHaveLength(2);
  });

  it("answers 500 when a function step throws, so a failed expectation inside it fails the call", async () => {
    const { client } = await openaiFake([
      () => {
        throw new Error("expected a tool message");
      },
    ]);
    const err = await client.chat.completions.create({ model: "gpt-test", messages: [user("go")] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err).toMatchObject({ message: "500 fake script step threw: expected a tool message" });
  });

  it("answers 401 without a bearer token, without consuming a step", async () => {
    const { fake } = await openaiFake([{ text: "kept" }]);
    const noKey = new OpenAI({ apiKey: "test", baseURL: fake.baseUrl, maxRetries: 0, defaultHeaders: { authorization: null } });
    const err = await noKey.chat.completions.create({ model: "gpt-test", messages: [user("go")] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err).toMatchObject({ status: 401, type: "invalid_request_error" });
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
    expect(fake.remaining()).toBe(1);
  });
});
