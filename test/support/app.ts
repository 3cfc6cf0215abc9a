import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../../src/app.js";
import { BacktestClock } from "../../src/core/clock.js";
import { loadConfig } from "../../src/core/config.js";
import { silentLogger } from "../../src/core/logger.js";
import { fromRoot } from "../../src/core/package-root.js";

/** Monday 2026-11-23 10:00 New York: the regular session is open, the demo ends on Friday 2026-11-20. */
export const TEST_NOW = Date.parse("2026-11-23T15:00:00Z");

/** ../shared/fixtures, beside the project (from src or dist); tests that need it skip when it is absent. */
export const FIXTURES = fromRoot("..", "shared", "fixtures");

export interface TestApp {
  app: App;
  home: string;
  clock: BacktestClock;
  cleanup(): void;
}

/** An app on a fresh ARGUS_HOME with a real SQLite file and a fixed clock. */
export function createTestApp(opts: { demo?: boolean; env?: Record<string, string>; now?: number } = {}): TestApp {
  const home = mkdtempSync(join(tmpdir(), "argus-test-"));
  const config = loadConfig({ env: { ARGUS_HOME: home, ARGUS_DEMO: String(opts.demo ?? true), ...opts.env }, cwd: home });
  const clock = new BacktestClock(opts.now ?? TEST_NOW);
  const app = createApp(config, { clock, logger: silentLogger() });
  return {
    app,
    home,
    clock,
    cleanup: () => {
      app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
