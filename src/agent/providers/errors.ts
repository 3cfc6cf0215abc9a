import { ArgusError } from "../../core/errors.js";

export const KEY_VARIABLE = { anthropic: "ANTHROPIC_API_KEY", openai: "OPENAI_API_KEY" } as const;

/** Thrown when the person pressed Ctrl-C (or a caller aborted): not an error to report. */
export class AgentAborted extends Error {
  constructor() {
    super("Stopped.");
    this.name = "AgentAborted";
  }
}

/**
 * An SDK failure as one of Argus's stable codes, with a sentence that says what to do.
 * Both SDKs put the HTTP status on `status`; the messages they carry never hold the key.
 */
export function providerError(provider: "anthropic" | "openai", err: unknown, signal: AbortSignal | undefined): Error {
  if (signal?.aborted) return new AgentAborted();
  if (err instanceof ArgusError) return err;
  const status = (err as { status?: unknown }).status;
  const message = (err as Error).message ?? String(err);
  if (status === 401 || status === 403) {
    return new ArgusError("LLM_UNAVAILABLE", `The ${provider} API refused the key (${status}); check ${KEY_VARIABLE[provider]}.`, { provider, status });
  }
  if (typeof status === "number") {
    return new ArgusError("LLM_UNAVAILABLE", `The ${provider} API answered ${status}: ${message}`, { provider, status });
  }
  return new ArgusError("LLM_UNAVAILABLE", `Could not reach the ${provider} API (${message}); check the network or the base URL.`, { provider });
}
