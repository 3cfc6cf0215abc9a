import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { ArgusError } from "./errors.js";

/**
 * Configuration: an optional JSON file, overridden by environment variables, validated
 * with zod. Every setting and its default is documented in the README's Configuration
 * table; keep the two in step.
 */
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const configSchema = z.object({
  home: z.string().min(1),
  logLevel: z.enum(LOG_LEVELS).default("info"),
  database: z.object({
    /** File path, or ":memory:" for throwaway runs. Default: <home>/argus.db */
    path: z.string().min(1).optional(),
    /** SQLite `synchronous` pragma. NORMAL is durable under WAL except on power loss. */
    synchronous: z.enum(["OFF", "NORMAL", "FULL", "EXTRA"]).default("NORMAL"),
  }).prefault({}),
  http: z.object({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(7420),
    /** One transport per client session (default), or a fresh one per request. */
    stateless: z.boolean().default(false),
    /** Extra Host header values to accept besides localhost/127.0.0.1/[::1] on the bound port. */
    allowedHosts: z.array(z.string().min(1)).default([]),
    /** Browser origins allowed to call the server; requests with any other Origin are refused. */
    allowedOrigins: z.array(z.string().min(1)).default([]),
    /** Bearer token clients must send; default: generated on first run and kept in <home>/token (0600). */
    token: z.string().min(16).optional(),
    /** Largest JSON request body accepted. */
    maxBodyBytes: z.number().int().positive().default(1_000_000),
    /** Requests per minute allowed to one token (MCP and REST together); over it: 429 with Retry-After. */
    rateLimitPerMinute: z.number().int().positive().default(600),
    /** Console sign-ins end after this many minutes without a request (and after 12 hours regardless). */
    consoleIdleMinutes: z.number().int().positive().max(720).default(30),
  }).prefault({}),
  mcp: z.object({
    /** Also put the JSON result in the text content, for clients that ignore structuredContent. */
    textJson: z.boolean().default(false),
  }).prefault({}),
  data: z.object({
    /** Directories import_bars_csv may read from (tools only; the CLI reads any path you give it). */
    importDirs: z.array(z.string().min(1)).default([]),
    /** Generate and load the synthetic demo dataset when the database has no demo data. */
    demo: z.boolean().default(true),
    demoSeed: z.number().int().nonnegative().default(42),
    /** Upper bound for `limit` on bar queries. */
    maxBarsPerRequest: z.number().int().positive().max(1_000_000).default(20_000),
    /** Bars kept in memory across all cached series (whole series, least recently used out). */
    cacheBars: z.number().int().nonnegative().default(2_000_000),
    /** A symbol's last bar is stale when this many trading sessions have closed since it. */
    staleAfterSessions: z.number().int().positive().default(2),
    /** A daily return is an outlier when its robust z-score (median/MAD) is above this. */
    outlierZ: z.number().positive().default(12),
  }).prefault({}),
  analysis: z.object({
    /** Forward horizon, in trading sessions, of the probability model and of outcome scoring. */
    horizonDays: z.number().int().positive().max(60).default(5),
    /** Default ensemble weights; optimize_weights records per-regime sets that replace them. */
    weights: z.object({
      vwap: z.number().nonnegative().default(0.35),
      rsi: z.number().nonnegative().default(0.3),
      momentum: z.number().nonnegative().default(0.35),
    }).prefault({}),
    /** |ensemble score| at or above which the ensemble leaves HOLD. */
    actionThreshold: z.number().positive().max(1).default(0.15),
    rsi: z.object({
      period: z.number().int().positive().default(14),
      oversold: z.number().min(0).max(100).default(30),
      overbought: z.number().min(0).max(100).default(70),
    }).prefault({}),
    regime: z.object({
      /** ADX at or above which a symbol is TRENDING. */
      adxTrending: z.number().positive().default(25),
      /** ADX below which a non-trending symbol may be MEAN_REVERTING (else CHOPPY). */
      adxRanging: z.number().positive().default(20),
      /** Kaufman efficiency ratio (20 sessions) below which price is going nowhere: MEAN_REVERTING when ADX is low. */
      efficiencyRanging: z.number().min(0).max(1).default(0.3),
      /** Annualised 20-session volatility at or above which the regime is PANIC. */
      panicVolatility: z.number().positive().default(0.6),
      /** Drawdown from the 252-session high that, with volatility at least `panicVolRatio` × its one-year median, is PANIC. */
      panicDrawdown: z.number().positive().max(1).default(0.2),
      panicVolRatio: z.number().positive().default(1.5),
    }).prefault({}),
    /** Stop distance in ATRs; targets are 1 and 2 times the stop distance. */
    atrStopMultiple: z.number().positive().default(2),
    /** Scored analyses per regime before optimize_weights moves away from the defaults. */
    minSampleForWeights: z.number().int().positive().default(30),
    /** Probability model (ONNX) path; relative paths are from the project root. */
    modelPath: z.string().default("models/probability-v1.onnx"),
  }).prefault({}),
  execution: z.object({
    /** "live" takes effect only together with liveAck; anything else is paper. */
    mode: z.string().default("paper"),
    /** Must equal LIVE_ACK_PHRASE (ARGUS_LIVE_ACK) for live trading; a separate setting on purpose. */
    liveAck: z.string().optional(),
    /** Where approved orders go: the built-in paper simulator, or Alpaca (paper endpoint unless live). */
    broker: z.enum(["paper", "alpaca"]).default("paper"),
    alpaca: z.object({
      keyId: z.string().optional(),
      secretKey: z.string().optional(),
      baseUrl: z.string().url().optional(),
      timeoutMs: z.number().int().positive().default(10_000),
    }).prefault({}),
    paper: z.object({
      startingCash: z.number().positive().default(100_000),
      slippageBps: z.number().nonnegative().max(1000).default(5),
      /** Largest fraction of a bar's volume one order may fill per bar. */
      participation: z.number().positive().max(1).default(0.1),
    }).prefault({}),
    /**
     * Accept approvals given through MCP elicitation. Elicitation is only as trustworthy as
     * the client: turn this off when the MCP client is itself automated (an agent that
     * could answer its own prompts), so that only out-of-band approval counts.
     */
    elicitationApproval: z.boolean().default(true),
    /** Secret for out-of-band approvals (REST); default: generated into <home>/approver-token (0600). */
    approverToken: z.string().min(16).optional(),
    /**
     * How often the HTTP server asks the broker for new fills (audited as order.filled) and
     * expires proposals nobody decided, so the console and the audit log follow the book.
     */
    watchIntervalMs: z.number().int().min(50).default(2_000),
  }).prefault({}),
  edgar: z.object({
    /** SEC fair access: "Name contact@example.com". Required for any SEC request. */
    userAgent: z.string().optional(),
    dataBaseUrl: z.string().url().default("https://data.sec.gov"),
    wwwBaseUrl: z.string().url().default("https://www.sec.gov"),
    /** Serve SEC paths from this directory instead of the network (laid out like the SEC paths). */
    offlineDir: z.string().optional(),
    /** Shared token bucket for every SEC request (the SEC allows 10 per second). */
    requestsPerSecond: z.number().positive().max(10).default(9),
    timeoutMs: z.number().int().positive().default(20_000),
    /** Parse companyfacts in a worker thread, so a 4 MB payload never stalls other requests. */
    worker: z.boolean().default(true),
    /** Companies whose parsed companyfacts stay in memory (~2× the JSON size each: Apple 4.2 MB → 8.2 MB of heap). */
    cachedCompanies: z.number().int().min(1).max(64).default(4),
  }).prefault({}),
  agent: z.object({
    /** Which model API the copilot (`argus ask`, `argus chat`) talks to. Keys come from the environment only. */
    provider: z.enum(["anthropic", "openai"]).default("anthropic"),
    /** Model id; default per provider (see src/agent/providers/index.ts). */
    model: z.string().min(1).optional(),
    /** Anthropic API base URL (a proxy or a test server). */
    anthropicBaseUrl: z.string().url().optional(),
    /** OpenAI-compatible base URL: a local Ollama, vLLM or LM Studio server, or a proxy. */
    openaiBaseUrl: z.string().url().optional(),
    /** Send tool schemas to OpenAI in strict mode (converted; tools whose schema cannot be strict go non-strict). */
    openaiStrictTools: z.boolean().default(true),
    /** Model calls allowed for one question before the agent stops and says so. */
    maxSteps: z.number().int().min(1).max(100).default(12),
    /** Input plus output tokens allowed for one question (all its model calls together). */
    tokenBudget: z.number().int().positive().default(300_000),
    /** Largest answer one model call may write. */
    maxOutputTokens: z.number().int().positive().max(64_000).default(4096),
    /** Estimated context size at which older tool results are compacted to their summaries. */
    compactAtTokens: z.number().int().positive().default(60_000),
    /** Longest tool result text (characters) put into the model's context; longer results are cut with a note. */
    maxToolResultChars: z.number().int().positive().default(24_000),
    /** research: no tool that changes the account or the data (orders, cancels, imports); trade: every tool, each order still approved by you in the terminal. */
    mode: z.enum(["research", "trade"]).default("trade"),
    /** A remote Argus (its /mcp URL) instead of the in-process server; the MCP token comes from ARGUS_TOKEN. */
    serverUrl: z.string().url().optional(),
    /** USD per million tokens, per model id, overriding or adding to data/llm-prices.json. */
    prices: z.record(z.string(), z.object({ input: z.number().nonnegative(), output: z.number().nonnegative(), cacheRead: z.number().nonnegative().optional(), cacheWrite: z.number().nonnegative().optional() })).default({}),
  }).prefault({}),
  clock: z.object({
    /** ISO instant: freeze time there (a backtest clock) instead of reading the system clock. */
    at: z.iso.datetime({ offset: true }).optional(),
  }).prefault({}),
});

export type ArgusConfig = z.infer<typeof configSchema>;

type Env = Record<string, string | undefined>;

function bool(name: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ArgusError("CONFIG_INVALID", `${name} must be true or false, got "${raw}".`);
}

function int(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new ArgusError("CONFIG_INVALID", `${name} must be a whole number, got "${raw}".`);
  return n;
}

function list(raw: string): string[] {
  return raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Environment variables mapped onto the config shape; only the ones that are set. */
function fromEnv(env: Env): Record<string, unknown> {
  const out: { [k: string]: Record<string, unknown> | unknown } = {};
  const section = (k: string) => (out[k] ??= {}) as Record<string, unknown>;
  const v = (k: string) => {
    const raw = env[k];
    return raw === undefined || raw === "" ? undefined : raw;
  };
  let x: string | undefined;
  if ((x = v("ARGUS_LOG_LEVEL"))) out.logLevel = x;
  if ((x = v("ARGUS_DB_PATH"))) section("database").path = x;
  if ((x = v("ARGUS_DB_SYNCHRONOUS"))) section("database").synchronous = x.toUpperCase();
  if ((x = v("ARGUS_HTTP_HOST"))) section("http").host = x;
  if ((x = v("ARGUS_HTTP_PORT"))) section("http").port = int("ARGUS_HTTP_PORT", x);
  if ((x = v("ARGUS_TOKEN"))) section("http").token = x;
  if ((x = v("ARGUS_HTTP_STATELESS"))) section("http").stateless = bool("ARGUS_HTTP_STATELESS", x);
  if ((x = v("ARGUS_HTTP_ALLOWED_HOSTS"))) section("http").allowedHosts = list(x);
  if ((x = v("ARGUS_HTTP_ALLOWED_ORIGINS"))) section("http").allowedOrigins = list(x);
  if ((x = v("ARGUS_HTTP_RATE_LIMIT"))) section("http").rateLimitPerMinute = int("ARGUS_HTTP_RATE_LIMIT", x);
  if ((x = v("ARGUS_CONSOLE_IDLE_MINUTES"))) section("http").consoleIdleMinutes = int("ARGUS_CONSOLE_IDLE_MINUTES", x);
  if ((x = v("ARGUS_MCP_TEXT_JSON"))) section("mcp").textJson = bool("ARGUS_MCP_TEXT_JSON", x);
  if ((x = v("ARGUS_IMPORT_DIRS"))) section("data").importDirs = list(x);
  if ((x = v("ARGUS_DEMO"))) section("data").demo = bool("ARGUS_DEMO", x);
  if ((x = v("ARGUS_DEMO_SEED"))) section("data").demoSeed = int("ARGUS_DEMO_SEED", x);
  if ((x = v("ARGUS_MAX_BARS"))) section("data").maxBarsPerRequest = int("ARGUS_MAX_BARS", x);
  if ((x = v("ARGUS_CACHE_BARS"))) section("data").cacheBars = int("ARGUS_CACHE_BARS", x);
  if ((x = v("ARGUS_MODE"))) section("execution").mode = x;
  if ((x = v("ARGUS_LIVE_ACK"))) section("execution").liveAck = x;
  if ((x = v("ARGUS_BROKER"))) section("execution").broker = x;
  if ((x = v("ARGUS_ELICITATION_APPROVAL"))) section("execution").elicitationApproval = bool("ARGUS_ELICITATION_APPROVAL", x);
  if ((x = v("ARGUS_APPROVER_TOKEN"))) section("execution").approverToken = x;
  if ((x = v("ARGUS_WATCH_INTERVAL_MS"))) section("execution").watchIntervalMs = int("ARGUS_WATCH_INTERVAL_MS", x);
  {
    const alpaca: Record<string, unknown> = {};
    if ((x = v("APCA_API_KEY_ID"))) alpaca.keyId = x;
    if ((x = v("APCA_API_SECRET_KEY"))) alpaca.secretKey = x;
    if ((x = v("ARGUS_ALPACA_BASE_URL"))) alpaca.baseUrl = x;
    if (Object.keys(alpaca).length > 0) section("execution").alpaca = alpaca;
  }
  if ((x = v("ARGUS_SEC_USER_AGENT"))) section("edgar").userAgent = x;
  if ((x = v("ARGUS_SEC_DATA_URL"))) section("edgar").dataBaseUrl = x;
  if ((x = v("ARGUS_SEC_WWW_URL"))) section("edgar").wwwBaseUrl = x;
  if ((x = v("ARGUS_SEC_OFFLINE_DIR"))) section("edgar").offlineDir = x;
  if ((x = v("ARGUS_SEC_WORKER"))) section("edgar").worker = bool("ARGUS_SEC_WORKER", x);
  if ((x = v("ARGUS_SEC_CACHED_COMPANIES"))) section("edgar").cachedCompanies = int("ARGUS_SEC_CACHED_COMPANIES", x);
  if ((x = v("ARGUS_AGENT_PROVIDER"))) section("agent").provider = x;
  if ((x = v("ARGUS_AGENT_MODEL"))) section("agent").model = x;
  if ((x = v("ANTHROPIC_BASE_URL"))) section("agent").anthropicBaseUrl = x;
  if ((x = v("OPENAI_BASE_URL"))) section("agent").openaiBaseUrl = x;
  if ((x = v("ARGUS_AGENT_STRICT_TOOLS"))) section("agent").openaiStrictTools = bool("ARGUS_AGENT_STRICT_TOOLS", x);
  if ((x = v("ARGUS_AGENT_MAX_STEPS"))) section("agent").maxSteps = int("ARGUS_AGENT_MAX_STEPS", x);
  if ((x = v("ARGUS_AGENT_TOKEN_BUDGET"))) section("agent").tokenBudget = int("ARGUS_AGENT_TOKEN_BUDGET", x);
  if ((x = v("ARGUS_AGENT_MODE"))) section("agent").mode = x;
  if ((x = v("ARGUS_AGENT_SERVER_URL"))) section("agent").serverUrl = x;
  if ((x = v("ARGUS_CLOCK_AT"))) section("clock").at = x;
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, val] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(val) ? deepMerge(prev, val) : val;
  }
  return out;
}

function expandHome(p: string): string {
  return p === "~" ? homedir() : p.startsWith("~/") ? join(homedir(), p.slice(2)) : p;
}

/** Where the config file is: ARGUS_CONFIG, else ./argus.config.json, else <home>/argus.config.json. */
export function configFilePath(env: Env, home: string, cwd: string): string | undefined {
  const explicit = env.ARGUS_CONFIG;
  if (explicit) return resolve(cwd, expandHome(explicit));
  for (const candidate of [join(cwd, "argus.config.json"), join(home, "argus.config.json")]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ArgusError("CONFIG_INVALID", `Cannot read the config file ${path}; create it or unset ARGUS_CONFIG.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ArgusError("CONFIG_INVALID", `${path} is not valid JSON (${(e as Error).message}).`);
  }
  if (!isPlainObject(parsed)) throw new ArgusError("CONFIG_INVALID", `${path} must hold a JSON object.`);
  return parsed;
}

export interface LoadConfigOptions {
  env?: Env;
  cwd?: string;
  /** Settings that win over both file and environment (tests, CLI flags). */
  overrides?: Record<string, unknown>;
}

export function loadConfig(opts: LoadConfigOptions = {}): ArgusConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const home = resolve(cwd, expandHome(env.ARGUS_HOME || "~/.argus"));
  const file = configFilePath(env, home, cwd);
  const fileValues = file ? readConfigFile(file) : {};
  const merged = deepMerge(deepMerge(deepMerge({ home }, fileValues), fromEnv(env)), opts.overrides ?? {});
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new ArgusError("CONFIG_INVALID", `Invalid configuration${file ? ` (file ${file})` : ""}: ${problems}.`);
  }
  const config = result.data;
  config.data.importDirs = config.data.importDirs.map((d) => resolve(cwd, expandHome(d)));
  if (config.database.path && config.database.path !== ":memory:" && !isAbsolute(config.database.path)) {
    config.database.path = resolve(cwd, expandHome(config.database.path));
  }
  return config;
}

export function databasePath(config: ArgusConfig): string {
  return config.database.path ?? join(config.home, "argus.db");
}
