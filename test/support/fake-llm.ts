/**
 * What fake-anthropic.ts and fake-openai.ts share: the script model and a small node:http
 * server that runs it. Each fake serves ONE endpoint of a real LLM API, so a test can point
 * the real SDK (`baseURL`) at it and drive the provider code end to end without a network.
 *
 * A script is a list of steps consumed in order, one per well-formed request:
 *   { text, toolCalls, usage, stop, model }   a reply (streamed or not, as the request asks);
 *   { httpError: { status, message, ... } }   an error in the API's real error JSON shape;
 *   (req) => either of the above              decided from the request (e.g. the tool results
 *                                             the client sent back); a throw answers 500.
 * Requests refused before the script is consulted (404 path, 401 key, 400 body) consume no
 * step. An exhausted script answers 500 "fake script exhausted" with `x-should-retry: false`,
 * so even an SDK with default retries fails at once instead of hammering the script.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedToolCall {
  /** The provider's call id; a deterministic one (toolu_fake_N / call_fake_N) when omitted. */
  id?: string;
  name: string;
  args: Record<string, unknown>;
}

/**
 * Token counts, mapped onto each API's fields literally:
 *   Anthropic: input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens
 *              (on that wire input_tokens EXCLUDES the cached tokens);
 *   OpenAI:    prompt_tokens, completion_tokens, prompt_tokens_details.cached_tokens /
 *              .cache_write_tokens (on that wire prompt_tokens INCLUDES the cached tokens).
 */
export interface ScriptedUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export type ScriptedStop = "end" | "tool_use" | "max_tokens";

export interface ScriptedReply {
  /** Assistant text; streamed as several deltas. */
  text?: string;
  toolCalls?: ScriptedToolCall[];
  /** Default: input ≈ request JSON length / 4, output ≈ answer length / 4 (at least 1 each). */
  usage?: ScriptedUsage;
  /** Default: "tool_use" when there are tool calls, else "end". */
  stop?: ScriptedStop;
  /** The model id reported back; default: the request's model (real APIs may report a more specific one). */
  model?: string;
}

export interface ScriptedHttpError {
  httpError: {
    status: number;
    /** The API's error type; default: the one that API uses for this status. */
    type?: string;
    message: string;
    /** OpenAI's `code` (null when omitted); ignored by the Anthropic fake. */
    code?: string;
    /** Extra response headers, e.g. retry-after or x-should-retry to steer SDK retries. */
    headers?: Record<string, string>;
  };
}

export interface ReceivedRequest<B = unknown> {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body. Typed as the SDK's request params, which it is for every request
   *  that reached the script; a refused request (400) may hold anything, even undefined. */
  body: B;
}

export type ScriptOutcome = ScriptedReply | ScriptedHttpError;
export type ScriptStep<B = unknown> = ScriptOutcome | ((req: ReceivedRequest<B>) => ScriptOutcome);

export interface FakeLlmServer<B> {
  /** Pass to the SDK as `baseURL`. */
  baseUrl: string;
  /** Every request received, refused ones included, in arrival order. */
  requests: ReceivedRequest<B>[];
  /** Append steps to the script. */
  push(...steps: ScriptStep<B>[]): void;
  /** Steps not yet consumed (0 once the script has played out). */
  remaining(): number;
  close(): Promise<void>;
}

/** A reply with every default filled in, ready to be rendered in an API's wire format. */
export interface ResolvedReply {
  text: string;
  toolCalls: Required<ScriptedToolCall>[];
  usage: Required<ScriptedUsage>;
  stop: ScriptedStop;
  model: string;
}

/** What one fake needs to say in its own API's dialect. */
export interface LlmApi<B> {
  /** The one route served, e.g. "/v1/messages" (POST only). */
  path: string;
  /** The path prefix the SDK's baseURL covers: "" for Anthropic, "/v1" for OpenAI. */
  baseUrlSuffix: string;
  /** Why the credentials are refused (answered 401), or undefined when acceptable. */
  checkAuth(headers: Record<string, string>): string | undefined;
  /** Why the body is invalid (answered 400), or undefined. */
  checkBody(body: unknown, headers: Record<string, string>): string | undefined;
  sendError(res: ServerResponse, status: number, message: string, opts?: { type?: string; code?: string; headers?: Record<string, string> }): void;
  /** Renders the reply, as JSON or as an SSE stream according to the request. */
  sendReply(res: ServerResponse, req: ReceivedRequest<B>, reply: ResolvedReply): void;
  /** A fresh tool-call id for a call the script left without one. */
  newToolCallId(): string;
}

export function isHttpError(outcome: ScriptOutcome): outcome is ScriptedHttpError {
  return "httpError" in outcome;
}

/** A request's headers as plain lowercase strings (node already lowercases the names). */
function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** JSON.parse that answers undefined for an empty or malformed body (the API then sends a 400). */
function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Splits `s` into up to `parts` non-empty pieces, on code-point boundaries so no piece holds
 * half a surrogate pair. Streams use it to deliver text and tool JSON in several deltas,
 * which is what makes the client's accumulation code run.
 */
export function splitIntoChunks(s: string, parts = 3): string[] {
  const points = Array.from(s);
  const n = Math.min(parts, points.length);
  if (n <= 1) return [s];
  const size = Math.ceil(points.length / n);
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(""));
  return out;
}

/** Fills in a reply's defaults: ids, a deterministic usage derived from sizes, the stop reason, the model. */
export function resolveReply(reply: ScriptedReply, body: unknown, newToolCallId: () => string): ResolvedReply {
  const text = reply.text ?? "";
  const toolCalls = (reply.toolCalls ?? []).map((c) => ({ id: c.id ?? newToolCallId(), name: c.name, args: c.args }));
  const answerSize = text.length + toolCalls.reduce((n, c) => n + c.name.length + JSON.stringify(c.args).length, 0);
  const usage = {
    inputTokens: reply.usage?.inputTokens ?? Math.max(1, Math.ceil(JSON.stringify(body ?? null).length / 4)),
    outputTokens: reply.usage?.outputTokens ?? Math.max(1, Math.ceil(answerSize / 4)),
    cacheReadTokens: reply.usage?.cacheReadTokens ?? 0,
    cacheWriteTokens: reply.usage?.cacheWriteTokens ?? 0,
  };
  const requested = (body as { model?: unknown } | undefined)?.model;
  return {
    text,
    toolCalls,
    usage,
    stop: reply.stop ?? (toolCalls.length > 0 ? "tool_use" : "end"),
    model: reply.model ?? (typeof requested === "string" ? requested : "unknown-model"),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const buf = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, "content-type": "application/json", "content-length": String(buf.length) });
  res.end(buf);
}

/** Writes a complete SSE response; `frames` are already formatted ("event: …\ndata: …\n\n"). */
export function sendSse(res: ServerResponse, frames: string[], headers: Record<string, string> = {}): void {
  res.writeHead(200, { ...headers, "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  // One write per frame, as a real server flushes them; the SDK must cope with any framing.
  for (const frame of frames) res.write(frame);
  res.end();
}

/** Keeps "fake script exhausted" and a throwing step from being retried by a default-configured SDK. */
const NO_RETRY = { "x-should-retry": "false" };

/** Starts a server on 127.0.0.1 (ephemeral port) that answers `api.path` from `script`. */
export async function startScriptedServer<B>(api: LlmApi<B>, script: ScriptStep<B>[]): Promise<FakeLlmServer<B>> {
  const steps = [...script];
  const requests: ReceivedRequest<B>[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = flatHeaders(req);
    const body = parseJson(await readBody(req));
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const method = req.method ?? "GET";
    const received: ReceivedRequest<B> = { method, path, headers, body: body as B };
    requests.push(received);

    if (method !== "POST" || path !== api.path) return api.sendError(res, 404, `Not found: ${method} ${path}`);
    const authProblem = api.checkAuth(headers);
    if (authProblem) return api.sendError(res, 401, authProblem);
    const bodyProblem = api.checkBody(body, headers);
    if (bodyProblem) return api.sendError(res, 400, bodyProblem);

    const step = steps.shift();
    if (!step) return api.sendError(res, 500, `fake script exhausted (request #${requests.length} to ${path})`, { headers: NO_RETRY });
    let outcome: ScriptOutcome;
    try {
      outcome = typeof step === "function" ? step(received) : step;
    } catch (err) {
      return api.sendError(res, 500, `fake script step threw: ${err instanceof Error ? err.message : String(err)}`, { headers: NO_RETRY });
    }
    if (isHttpError(outcome)) {
      const { status, message, type, code, headers: extra } = outcome.httpError;
      return api.sendError(res, status, message, { type, code, headers: extra });
    }
    api.sendReply(res, received, resolveReply(outcome, body, () => api.newToolCallId()));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the fake itself: fail the request rather than leave the client hanging.
      if (!res.headersSent) api.sendError(res, 500, `fake server error: ${String(err)}`, { headers: NO_RETRY });
      else res.destroy();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}${api.baseUrlSuffix}`,
    requests,
    push: (...more) => {
      steps.push(...more);
    },
    remaining: () => steps.length,
    close: () =>
      new Promise<void>((resolveClose) => {
        // The SDKs keep connections alive; drop them so close() does not wait on idle sockets.
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
