/**
 * MCP prompts (prompts/list, prompts/get) and argument completion (completion/complete).
 *
 * Each prompt is a prompts/<name>.md file: YAML front matter, then a Mustache template
 * (rendered without HTML escaping: the output is a chat message, not a page).
 *
 *   ---
 *   name: research_ticker                 (must equal the file name)
 *   title: Research a ticker
 *   description: One line for the client's prompt picker.
 *   require_one_of: ticker, analysisId    (optional: at least one of these optional arguments)
 *   arguments:
 *     - name: ticker
 *       type: ticker                      (ticker | ticker-list | side | quantity | id | text)
 *       required: true                    (true | false, default false)
 *       description: Shown to the user.
 *   ---
 *   Template with {{ticker}}, {{#horizon}}shown when horizon is given{{/horizon}}
 *   and {{^horizon}}shown when it is not{{/horizon}}.
 *
 * The argument type decides validation (zod) and completion: `ticker` and `ticker-list`
 * complete from the loaded symbols (and the SEC ticker list when it is available without
 * a network request); other types complete to nothing. Templates are checked when they
 * load: every tag names a declared argument and every allowed combination of arguments
 * renders without a leftover tag or a placeholder for an absent argument.
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  McpError,
  type CompleteResult,
  type GetPromptResult,
  type Prompt,
} from "@modelcontextprotocol/sdk/types.js";
import Mustache from "mustache";
import { z } from "zod";
import type { App } from "../../app.js";
import { COMPANY_TICKERS_PATH } from "../../edgar/identity/tickers.js";
import { readPromptFile, type PromptFile } from "./instructions.js";

/** The prompts Argus serves, in the order prompts/list returns them. */
export const PROMPT_NAMES = ["research_ticker", "explain_signal", "compare_companies", "pre_trade_checklist", "portfolio_review"] as const;

export const ARGUMENT_TYPES = ["ticker", "ticker-list", "side", "quantity", "id", "text"] as const;
export type ArgumentType = (typeof ARGUMENT_TYPES)[number];

/** completion/complete returns at most this many values (the MCP limit). */
export const MAX_COMPLETIONS = 100;
/** How long the loaded-symbol list is reused between completion requests (one per keystroke). */
const SYMBOLS_TTL_MS = 5_000;

export interface PromptArgumentDef {
  name: string;
  description: string;
  type: ArgumentType;
  required: boolean;
}

export interface PromptDef {
  name: string;
  title: string;
  description: string;
  arguments: PromptArgumentDef[];
  /** At least one of these (optional) arguments must be given. */
  requireOneOf: string[];
  template: string;
}

// ---- definitions ----------------------------------------------------------------

const argumentSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "an argument name is a letter then letters, digits or _"),
  description: z.string().min(1).max(300),
  type: z.enum(ARGUMENT_TYPES),
  required: z.boolean().default(false),
});

const frontMatterSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  title: z.string().min(1).max(100),
  description: z.string().min(1).max(500),
  require_one_of: z.string().optional(),
  arguments: z.array(argumentSchema).max(10).default([]),
});

type TemplateToken = [type: string, value: string, start: number, end: number, children?: TemplateToken[]];

/** What is known inside a section: the arguments certainly given and certainly absent. */
interface Known {
  present: ReadonlySet<string>;
  absent: ReadonlySet<string>;
}

/**
 * Checks a template's tags statically: every tag names a declared argument, and an
 * optional argument is printed only where it is certainly given (inside its own {{#x}}
 * section, or where require_one_of leaves it the only one not known to be absent), so no
 * combination of given and absent arguments leaves a hole in the text.
 */
function checkTemplate(tokens: TemplateToken[], def: Pick<PromptDef, "arguments" | "requireOneOf">, where: string, known: Known = { present: new Set(), absent: new Set() }): void {
  const given = (name: string) =>
    known.present.has(name) || (def.requireOneOf.includes(name) && def.requireOneOf.every((n) => n === name || known.absent.has(n)));
  for (const [type, name, , , children] of tokens) {
    if (type === "text") continue;
    const arg = def.arguments.find((a) => a.name === name);
    if (!arg) throw new Error(`${where}: the template tag {{${type === "name" ? "" : type}${name}}} names no declared argument.`);
    if ((type === "name" || type === "&") && !arg.required && !given(name)) {
      throw new Error(`${where}: the template uses {{${name}}} outside a {{#${name}}} section.`);
    }
    if (!children) continue;
    const inner = type === "#" ? { ...known, present: new Set([...known.present, name]) } : type === "^" ? { ...known, absent: new Set([...known.absent, name]) } : known;
    checkTemplate(children, def, where, inner);
  }
}

/** Validates one prompt file; `file` is its name without `.md` (the prompt's name). */
export function definePrompt(file: string, parsed: PromptFile): PromptDef {
  const where = `prompts/${file}.md`;
  const fm = frontMatterSchema.safeParse(parsed.meta);
  if (!fm.success) throw new Error(`${where}: invalid front matter: ${z.prettifyError(fm.error)}`);
  const meta = fm.data;
  if (meta.name !== file) throw new Error(`${where}: front matter name "${meta.name}" must match the file name.`);
  const args: PromptArgumentDef[] = meta.arguments;
  const names = new Set<string>();
  for (const a of args) {
    if (names.has(a.name)) throw new Error(`${where}: argument "${a.name}" is declared twice.`);
    names.add(a.name);
  }
  const requireOneOf = meta.require_one_of?.split(/[,\s]+/).filter(Boolean) ?? [];
  for (const n of requireOneOf) {
    const a = args.find((x) => x.name === n);
    if (!a || a.required) throw new Error(`${where}: require_one_of names "${n}", which is not an optional argument.`);
  }
  if (!parsed.body) throw new Error(`${where}: the template is empty.`);
  let tokens: TemplateToken[];
  try {
    tokens = Mustache.parse(parsed.body) as TemplateToken[];
  } catch (e) {
    throw new Error(`${where}: the template does not parse (${(e as Error).message}).`);
  }
  checkTemplate(tokens, { arguments: args, requireOneOf }, where);
  return { name: meta.name, title: meta.title, description: meta.description, arguments: args, requireOneOf, template: parsed.body };
}

/** {{x}} and {{#x}}…{{/x}} / {{^x}}…{{/x}} sections over the validated values; values are never read as templates. */
export function renderTemplate(template: string, values: ReadonlyMap<string, string>): string {
  return Mustache.render(template, Object.fromEntries(values), {}, { escape: (v: string) => v })
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

let cached: PromptDef[] | undefined;

/** The prompt definitions, read from prompts/*.md once per process. */
export function promptDefinitions(): PromptDef[] {
  cached ??= PROMPT_NAMES.map((name) => definePrompt(name, readPromptFile(name)));
  return cached;
}

// ---- argument values --------------------------------------------------------------

/** A ticker as a user types it: a letter, then up to 14 letters, digits, dots or hyphens. */
export const TICKER_PATTERN = /^[A-Za-z][A-Za-z0-9.-]{0,14}$/;
const TICKER_HINT = "a ticker such as AAPL, BRK.B or NOVA.DEMO (a letter, then up to 14 letters, digits, dots or hyphens)";

const tickerValue = z
  .string()
  .trim()
  .regex(TICKER_PATTERN, `must be ${TICKER_HINT}`)
  .transform((s) => s.toUpperCase());

/** Separators between tickers in a list: commas and/or whitespace. */
const LIST_SEPARATOR = /[\s,]+/;

const VALUE_SCHEMAS: Record<ArgumentType, z.ZodType<string, string>> = {
  ticker: tickerValue,
  "ticker-list": z
    .string()
    .transform((s) => s.split(LIST_SEPARATOR).filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(TICKER_PATTERN, `each entry must be ${TICKER_HINT}`).transform((s) => s.toUpperCase()))
        .min(2, "must list at least 2 tickers separated by commas, e.g. AAPL, MSFT")
        .max(5, "must list at most 5 tickers")
        .refine((a) => new Set(a).size === a.length, "must name each ticker only once"),
    )
    .transform((a) => a.join(", ")),
  side: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["buy", "sell"], "must be buy or sell")),
  quantity: z
    .string()
    .trim()
    .regex(/^\d{1,9}(\.\d{1,6})?$/, "must be a positive number of shares, e.g. 10 or 2.5")
    .transform(Number)
    .refine((n) => n > 0, "must be more than 0 shares")
    .transform(String),
  id: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, "must be an id as returned by analyze_ticker or list_analyses (letters, digits, _ . : -)"),
  text: z
    .string()
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(
      z
        .string()
        .max(200, "must be at most 200 characters")
        .refine((s) => !/\{\{|\}\}/.test(s), "must not contain {{ or }}"),
    ),
};

function invalidParams(message: string): McpError {
  return new McpError(ErrorCode.InvalidParams, message);
}

function findPrompt(name: string): PromptDef {
  const def = promptDefinitions().find((p) => p.name === name);
  if (!def) throw invalidParams(`Unknown prompt "${name}". Available prompts: ${PROMPT_NAMES.join(", ")}.`);
  return def;
}

function argumentList(def: PromptDef): string {
  return def.arguments.length ? `its arguments are ${def.arguments.map((a) => a.name).join(", ")}` : "it takes no arguments";
}

/** Validated, normalised argument values; absent and blank values are left out. */
export function validateArguments(def: PromptDef, input: Record<string, string> = {}): Map<string, string> {
  for (const key of Object.keys(input)) {
    if (!def.arguments.some((a) => a.name === key)) throw invalidParams(`Prompt "${def.name}" has no argument "${key}"; ${argumentList(def)}.`);
  }
  const values = new Map<string, string>();
  for (const a of def.arguments) {
    const raw = input[a.name];
    if (raw === undefined || raw.trim() === "") {
      if (a.required) throw invalidParams(`Prompt "${def.name}" needs the argument "${a.name}": ${sentence(lowerFirst(a.description))}`);
      continue;
    }
    const parsed = VALUE_SCHEMAS[a.type].safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? "is not valid";
      throw invalidParams(`Argument "${a.name}" of prompt "${def.name}" ${why}; got ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)}.`);
    }
    values.set(a.name, parsed.data);
  }
  if (def.requireOneOf.length > 0 && !def.requireOneOf.some((n) => values.has(n))) {
    const names = def.requireOneOf.map((n) => `"${n}"`).join(" or ");
    const help = def.requireOneOf.map((n) => `${n}: ${sentence(def.arguments.find((a) => a.name === n)?.description ?? "")}`).join(" ");
    throw invalidParams(`Prompt "${def.name}" needs ${names} (at least one). ${help}`);
  }
  return values;
}

/** Ends with a full stop. */
function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** prompts/get: one user message with the validated arguments substituted. */
export function getPrompt(name: string, args?: Record<string, string>): GetPromptResult {
  const def = findPrompt(name);
  const text = renderTemplate(def.template, validateArguments(def, args));
  return { description: def.description, messages: [{ role: "user", content: { type: "text", text } }] };
}

export function listPrompts(): Prompt[] {
  return promptDefinitions().map((d) => ({
    name: d.name,
    title: d.title,
    description: d.description,
    arguments: d.arguments.map((a) => ({ name: a.name, description: a.description, required: a.required })),
  }));
}

// ---- completion -------------------------------------------------------------------

interface Candidate {
  symbol: string;
  /** Argus has price data for it (as opposed to only being in the SEC's ticker list). */
  loaded: boolean;
}

const loadedSymbols = new WeakMap<App, { at: number; symbols: string[] }>();
const edgarTickers = new WeakMap<App, { version: string; tickers: string[] }>();

function dataSymbols(app: App): string[] {
  const now = performance.now();
  const hit = loadedSymbols.get(app);
  if (hit && now - hit.at < SYMBOLS_TTL_MS) return hit.symbols;
  const symbols = app.data.symbols().map((s) => s.symbol);
  loadedSymbols.set(app, { at: now, symbols });
  return symbols;
}

/**
 * The SEC's ticker list, only when reading it needs no network request: in offline mode
 * (a local directory), or when the SQLite cache holds a fresh copy. Otherwise nothing —
 * completion runs on every keystroke and must never reach the SEC.
 */
async function secTickers(app: App): Promise<string[]> {
  try {
    let version = "offline";
    if (!app.edgar.sec.offline) {
      const c = app.edgar.sec.cachedVersion(COMPANY_TICKERS_PATH, "www");
      if (!c?.fresh) return [];
      version = c.version;
    }
    const hit = edgarTickers.get(app);
    if (hit && hit.version === version && version !== "offline") return hit.tickers;
    const tickers = (await app.edgar.tickers.all()).map((r) => r.ticker);
    edgarTickers.set(app, { version, tickers });
    return tickers;
  } catch {
    return []; // no usable list (missing offline file, unreadable cache): complete from loaded data only
  }
}

/** Tickers compare with . / and - as one character class (BRK.B, BRK/B, BRK-B). */
function tickerKey(s: string): string {
  return s.toUpperCase().replace(/[./]/g, "-");
}

/**
 * Symbols starting with `prefix` (case-insensitive): an exact match first, then shorter
 * symbols, then those Argus has data for, then alphabetical. `exclude` holds tickerKeys.
 */
export async function completeTicker(app: App, prefix: string, exclude: ReadonlySet<string> = new Set()): Promise<{ values: string[]; total: number }> {
  const p = prefix.trim();
  if (p !== "" && !/^[A-Za-z][A-Za-z0-9.\-/]{0,14}$/.test(p)) return { values: [], total: 0 };
  const key = tickerKey(p);
  const byKey = new Map<string, Candidate>();
  for (const symbol of dataSymbols(app)) byKey.set(tickerKey(symbol), { symbol, loaded: true });
  for (const symbol of await secTickers(app)) {
    const k = tickerKey(symbol);
    if (!byKey.has(k)) byKey.set(k, { symbol, loaded: false });
  }
  const matches: Array<Candidate & { key: string }> = [];
  for (const [k, c] of byKey) if (k.startsWith(key) && !exclude.has(k)) matches.push({ ...c, key: k });
  matches.sort(
    (a, b) =>
      Number(b.key === key) - Number(a.key === key) ||
      a.symbol.length - b.symbol.length ||
      Number(b.loaded) - Number(a.loaded) ||
      (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
  );
  return { values: matches.slice(0, MAX_COMPLETIONS).map((m) => m.symbol), total: matches.length };
}

const EMPTY: CompleteResult = { completion: { values: [], total: 0, hasMore: false } };

/** completion/complete for a prompt argument; `value` is what the user has typed so far. */
export async function completePromptArgument(app: App, promptName: string, argName: string, value: string): Promise<CompleteResult> {
  const def = findPrompt(promptName);
  const arg = def.arguments.find((a) => a.name === argName);
  if (!arg) throw invalidParams(`Prompt "${def.name}" has no argument "${argName}"; ${argumentList(def)}.`);
  if (arg.type === "ticker") {
    const { values, total } = await completeTicker(app, value);
    return { completion: { values, total, hasMore: total > values.length } };
  }
  if (arg.type === "ticker-list") {
    // Complete the last ticker; the earlier ones are kept (normalised) in every value.
    const parts = value.split(LIST_SEPARATOR);
    const last = parts.pop() ?? "";
    const head = parts.filter(Boolean).map((s) => s.toUpperCase());
    if (head.length >= 5) return EMPTY;
    const { values, total } = await completeTicker(app, last, new Set(head.map(tickerKey)));
    const full = values.map((s) => [...head, s].join(", "));
    return { completion: { values: full, total, hasMore: total > full.length } };
  }
  return EMPTY;
}

// ---- wiring -----------------------------------------------------------------------

/**
 * Serves the prompts and completion on an MCP server. The server must declare the
 * `prompts` and `completions` capabilities.
 */
export function registerPrompts(server: Server, app: App): void {
  promptDefinitions(); // a malformed prompt file fails when the server is built, not on first use
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: listPrompts() }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => getPrompt(request.params.name, request.params.arguments));
  server.setRequestHandler(CompleteRequestSchema, async (request): Promise<CompleteResult> => {
    const { ref, argument } = request.params;
    if (ref.type !== "ref/prompt") return EMPTY; // Argus serves no resources
    return completePromptArgument(app, ref.name, argument.name, argument.value);
  });
}
