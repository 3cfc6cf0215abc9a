import type { ArgusConfig } from "../../core/config.js";
import { ArgusError } from "../../core/errors.js";
import { AnthropicProvider } from "./anthropic.js";
import { KEY_VARIABLE } from "./errors.js";
import { OpenAiProvider } from "./openai.js";
import type { ChatProvider } from "./types.js";

/** Defaults with a known list price and no deprecation notice in the installed SDKs; set agent.model for others. */
export const DEFAULT_MODELS = { anthropic: "claude-sonnet-4-6", openai: "gpt-4.1" } as const;

/**
 * The configured model provider. Keys are read from the environment only, never from the
 * config file, so they cannot end up in a committed file or a printed config.
 */
export function createProvider(cfg: ArgusConfig["agent"], env: Record<string, string | undefined>, opts: { maxRetries?: number } = {}): ChatProvider {
  const model = cfg.model ?? DEFAULT_MODELS[cfg.provider];
  const key = env[KEY_VARIABLE[cfg.provider]];
  if (cfg.provider === "anthropic") {
    if (!key) {
      throw new ArgusError(
        "LLM_KEY_MISSING",
        `The copilot is set to use Anthropic and needs an API key: set ${KEY_VARIABLE.anthropic}, or use an OpenAI-compatible model with ARGUS_AGENT_PROVIDER=openai.`,
        { variable: KEY_VARIABLE.anthropic },
      );
    }
    return new AnthropicProvider(model, { apiKey: key, ...(cfg.anthropicBaseUrl ? { baseUrl: cfg.anthropicBaseUrl } : {}), ...opts });
  }
  // A local OpenAI-compatible server (Ollama, vLLM, LM Studio) ignores the key; OpenAI itself needs one.
  if (!key && !cfg.openaiBaseUrl) {
    throw new ArgusError(
      "LLM_KEY_MISSING",
      `The copilot is set to use OpenAI and needs an API key: set ${KEY_VARIABLE.openai}, or point OPENAI_BASE_URL at a local OpenAI-compatible server (Ollama: http://localhost:11434/v1).`,
      { variable: KEY_VARIABLE.openai },
    );
  }
  return new OpenAiProvider(model, { apiKey: key ?? "not-needed", ...(cfg.openaiBaseUrl ? { baseUrl: cfg.openaiBaseUrl } : {}), strictTools: cfg.openaiStrictTools, ...opts });
}
