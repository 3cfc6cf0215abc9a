/**
 * The provider-neutral conversation the agent keeps. Each provider module converts it to
 * its own wire format (Anthropic content blocks, OpenAI chat messages) and back, so the
 * loop, compaction and accounting never see a vendor type.
 */

/** A tool as the model sees it: the MCP descriptor's name, description and input JSON Schema. */
export interface AgentTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** From the tool's MCP annotations: read-only calls may run in parallel. */
  readOnly: boolean;
  /** From the annotations: changes the account or the data (orders, cancels, imports); left out in research mode. */
  destructive: boolean;
}

export interface ToolCall {
  /** The provider's id for the call; tool results answer it. */
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** Set when the model wrote arguments that are not a JSON object: the call is answered with an error, not run. */
  argsError?: string;
}

export interface ToolOutcome {
  callId: string;
  name: string;
  /** What the model reads: the tool's summary and its JSON, or the error's code and sentence. */
  content: string;
  isError: boolean;
}

export type AgentMessage =
  | { role: "user"; text: string }
  | { role: "assistant"; text: string; toolCalls: ToolCall[] }
  /** The outcomes of the previous assistant message's tool calls, in its order. */
  | { role: "tool"; outcomes: ToolOutcome[] };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the provider's cache (billed at the cache-read price). */
  cacheReadTokens: number;
  /** Prompt tokens written to the provider's cache (Anthropic bills these above the input price). */
  cacheWriteTokens: number;
}

export type StopReason = "end" | "tool_use" | "max_tokens" | "other";

/** One model call's answer: streamed text, any tool calls, and what it cost in tokens. */
export interface ModelTurn {
  text: string;
  toolCalls: ToolCall[];
  stop: StopReason;
  usage: Usage;
  /** The model id the provider reports (may be more specific than the one asked for). */
  model: string;
}

export interface ModelRequest {
  system: string;
  messages: readonly AgentMessage[];
  tools: readonly AgentTool[];
  maxOutputTokens: number;
  signal?: AbortSignal;
  /** Called with each piece of answer text as it streams in. */
  onText?: (delta: string) => void;
}

export interface ChatProvider {
  readonly name: "anthropic" | "openai";
  readonly model: string;
  complete(request: ModelRequest): Promise<ModelTurn>;
}

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
