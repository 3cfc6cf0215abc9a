import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { createApp, type App } from "../../src/app.js";
import { BacktestClock } from "../../src/core/clock.js";
import { loadConfig } from "../../src/core/config.js";
import { silentLogger } from "../../src/core/logger.js";
import { fromRoot } from "../../src/core/package-root.js";
import { createToolRegistry } from "../../tools/index.js";
import type { ToolRegistry } from "../../tools/registry.js";
import type { EvalCase } from "./case.js";
import { EVAL_USER_AGENT, startFixtureSec, type FixtureSec } from "./sec-server.js";

/** ../shared/fixtures beside the project: real daily bars (56 large caps + SPY, 2000–2020) and the SEC files. */
export const FIXTURES = fromRoot("..", "shared", "fixtures");
export const DAILY_BARS = join(FIXTURES, "bars", "daily");

/** Who sets a case's trading state: a person at the terminal, exactly like `argus halt` / `argus resume`. */
export const EVAL_HUMAN = { actor: "human:eval-setup", channel: "cli" } as const;

/** The template is built with its clock here: after every fixture bar, so none is refused as from the future. */
const TEMPLATE_NOW = Date.parse("2026-11-23T15:00:00Z");

export interface CaseEnvironment {
  app: App;
  registry: ToolRegistry;
  home: string;
  clock: BacktestClock;
  /** Milliseconds spent building this environment (copy + open + setup). */
  setupMs: number;
  close(): void;
}

function sectors(): Map<string, string> {
  const file = join(FIXTURES, "reference", "sp500_constituents.csv");
  if (!existsSync(file)) return new Map();
  const rows = parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return new Map(rows.map((r) => [r.Symbol!, r["GICS Sector"]!]));
}

/** Every daily fixture file's symbol (SPY included, as "ETF"). */
export function fixtureSymbols(): string[] {
  if (!existsSync(DAILY_BARS)) return [];
  return readdirSync(DAILY_BARS)
    .filter((f) => f.endsWith(".csv"))
    .map((f) => f.slice(0, -4))
    .sort();
}

function envFor(home: string, sec: FixtureSec): Record<string, string> {
  return { ARGUS_HOME: home, ARGUS_DEMO: "false", ARGUS_SEC_USER_AGENT: EVAL_USER_AGENT, ARGUS_SEC_DATA_URL: sec.url, ARGUS_SEC_WWW_URL: sec.url, ARGUS_SEC_WORKER: "false" };
}

/**
 * What one eval run shares between its cases: the local SEC stand-in and a template
 * ARGUS_HOME with every fixture bar imported once. Each case gets a copy of the template
 * (a file copy is far cheaper than re-importing ~60 symbols × 5,000 bars), its own clock
 * pinned at the case's asOf, and its trading state set through the human-only path.
 */
export class EvalWorld {
  private constructor(
    readonly sec: FixtureSec,
    private readonly template: string,
    /** Milliseconds the template import took. */
    readonly templateMs: number,
    readonly symbols: readonly string[],
    /** Built once: compiling ~45 tools' schemas takes ~0.6 s, and the registry holds no app state. */
    readonly registry: ToolRegistry,
  ) {}

  static async start(opts: { symbols?: readonly string[] } = {}): Promise<EvalWorld> {
    const sec = await startFixtureSec();
    const started = performance.now();
    const template = mkdtempSync(join(tmpdir(), "argus-eval-template-"));
    const app = createApp(loadConfig({ env: envFor(template, sec), cwd: template }), { clock: new BacktestClock(TEMPLATE_NOW), logger: silentLogger(), loadDemo: false });
    const symbols = opts.symbols ?? fixtureSymbols();
    try {
      const sectorOf = sectors();
      for (const s of symbols) {
        const sector = s === "SPY" ? "ETF" : sectorOf.get(s);
        app.data.importCsv({ path: join(DAILY_BARS, `${s}.csv`), symbol: s, ...(sector ? { sector } : {}) }, { trusted: true });
      }
    } finally {
      app.close();
    }
    return new EvalWorld(sec, template, performance.now() - started, symbols, createToolRegistry());
  }

  /** A fresh, isolated Argus for one case. */
  environment(c: Pick<EvalCase, "asOf" | "setup">): CaseEnvironment {
    const started = performance.now();
    const home = mkdtempSync(join(tmpdir(), "argus-eval-case-"));
    cpSync(this.template, home, { recursive: true });
    const clock = new BacktestClock(Date.parse(c.asOf));
    const app = createApp(loadConfig({ env: envFor(home, this.sec), cwd: home }), { clock, logger: silentLogger(), loadDemo: false });
    const state = c.setup?.tradingState ?? "ACTIVE";
    if (app.execution.tradingState().state !== state) app.execution.setState(state, EVAL_HUMAN, "eval case setup");
    return {
      app,
      registry: this.registry,
      home,
      clock,
      setupMs: performance.now() - started,
      close() {
        app.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  }

  async close(): Promise<void> {
    await this.sec.close();
    rmSync(this.template, { recursive: true, force: true });
  }
}
