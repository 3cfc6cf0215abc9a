import { describe, expect, it } from "vitest";
import { loadConfig } from "../../core/config.js";
import { createProvider, DEFAULT_MODELS } from "./index.js";

const agentConfig = (env: Record<string, string>) => loadConfig({ env: { ARGUS_HOME: "/tmp/argus-provider-test", ...env } }).agent;

describe("createProvider", () => {
  it("names the missing key's variable and the way around it", () => {
    expect(() => createProvider(agentConfig({}), {})).toThrow(expect.objectContaining({ code: "LLM_KEY_MISSING", message: expect.stringMatching(/set ANTHROPIC_API_KEY/) }));
    expect(() => createProvider(agentConfig({ ARGUS_AGENT_PROVIDER: "openai" }), {})).toThrow(
      expect.objectContaining({ code: "LLM_KEY_MISSING", message: expect.stringMatching(/set OPENAI_API_KEY, or point OPENAI_BASE_URL at a local/) }),
    );
  });

  it("needs no key for a local OpenAI-compatible server, and takes the model and provider from configuration", () => {
    const local = createProvider(agentConfig({ ARGUS_AGENT_PROVIDER: "openai", OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", ARGUS_AGENT_MODEL: "qwen3:8b" }), {});
    expect([local.name, local.model]).toEqual(["openai", "qwen3:8b"]);
    const claude = createProvider(agentConfig({}), { ANTHROPIC_API_KEY: "k" });
    expect([claude.name, claude.model]).toEqual(["anthropic", DEFAULT_MODELS.anthropic]);
  });

  it("rejects an unknown provider in configuration", () => {
    expect(() => agentConfig({ ARGUS_AGENT_PROVIDER: "gemini" })).toThrow(/provider/);
  });
});
