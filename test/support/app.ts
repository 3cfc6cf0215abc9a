import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../../src/app.js";
import { BacktestClock } from "../../src/core/clock.js";
import { loadConfig } from "../../src/core/config.js";
import { silentLogger, type Logger } from "../../src/core/logger.js";
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

/**
 * An app on a fresh ARGUS_HOME with a real SQLite file and a fixed clock. The demo data is
 * generated up to the clock's day; `demoAsOf` generates it at a later time first (then the
 * app opens at `now`), so a test can stand inside a session whose bars already exist.
 */
export function createTestApp(opts: { demo?: boolean; env?: Record<string, string>; now?: number; logger?: Logger; demoAsOf?: number } = {}): TestApp {
  const home = mkdtempSync(join(tmpdir(), "argus-test-"));
  const config = loadConfig({ env: { ARGUS_HOME: home, ARGUS_DEMO: String(opts.demo ?? true), ...opts.env }, cwd: home });
  if (opts.demoAsOf !== undefined) createApp(config, { clock: new BacktestClock(opts.demoAsOf), logger: silentLogger() }).close();
  const clock = new BacktestClock(opts.now ?? TEST_NOW);
  const app = createApp(config, { clock, logger: opts.logger ?? silentLogger() });
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
