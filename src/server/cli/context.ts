import { createApp, type App } from "../../app.js";
import { loadConfig, type ArgusConfig } from "../../core/config.js";
import { createLogger } from "../../core/logger.js";
import { createToolRegistry } from "../../../tools/index.js";
import type { ToolRegistry } from "../../../tools/registry.js";

/**
 * Builds the app for a CLI command. Commands other than `serve` log only warnings
 * unless ARGUS_LOG_LEVEL says otherwise, so their own output stays readable.
 */
export function cliApp(opts: { quiet: boolean; overrides?: Record<string, unknown> }): { app: App; registry: ToolRegistry; config: ArgusConfig } {
  const config = loadConfig({ overrides: opts.overrides ?? {} });
  const level = opts.quiet && !process.env.ARGUS_LOG_LEVEL ? "warn" : config.logLevel;
  const app = createApp(config, { logger: createLogger(level) });
  return { app, registry: createToolRegistry(), config };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
