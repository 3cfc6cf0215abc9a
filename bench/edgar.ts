import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { fromRoot } from "../src/core/package-root.js";
import { buildAllStatements, parseCompanyFacts, type CompanyFacts } from "../src/edgar/statements/index.js";
import { companyFactsDir } from "./edgar-fixtures.js";
import { latencySection } from "./edgar-latency.js";
import { percentile } from "./stats.js";

/**
 * SEC EDGAR benchmarks: the "edgar" suite of `npm run bench`. The suite is a list of
 * measurements (EDGAR_MEASUREMENTS); each one returns a "###" subsection of the "## SEC EDGAR
 * facts" section and a console summary. To add a measurement, write a function returning an
 * EdgarSection and append it to the list.
 *
 * Standalone: `npm run build && node dist/bench/edgar.js` (BENCH_DOCS does not apply; it prints).
 */

export interface EdgarSection {
  /** the "###" subsection, markdown without a trailing newline */
  markdown: string;
  /** plain text for the terminal */
  console: string;
}

export interface EdgarMeasurement {
  name: string;
  run(): Promise<EdgarSection>;
}

export const EDGAR_MEASUREMENTS: EdgarMeasurement[] = [
  { name: "companyfacts normalisation", run: normalisationSection },
  { name: "MCP latency during ingest", run: latencySection },
];

export interface EdgarBenchResult {
  markdown: string;
  console: string;
  sections: EdgarSection[];
}

export async function runEdgarBench(measurements: readonly EdgarMeasurement[] = EDGAR_MEASUREMENTS): Promise<EdgarBenchResult> {
  const sections: EdgarSection[] = [];
  for (const m of measurements) sections.push(await m.run());
  return {
    sections,
    markdown: ["## SEC EDGAR facts", "", ...sections.map((s) => `${s.markdown}\n`)].join("\n"),
    console: sections.map((s) => s.console).join("\n\n"),
  };
}

// ─────────────── companyfacts normalisation vs JSON.parse ───────────────

/** ../shared/fixtures beside the project, as in test/support; BENCH_EDGAR_FIXTURES overrides. */
export const COMPANYFACTS_DIR = companyFactsDir();

const TARGET = 1.5;
const ITERATIONS = Number(process.env.BENCH_EDGAR_ITERS ?? 40);
const WARMUP = Number(process.env.BENCH_EDGAR_WARMUP ?? 5);
/** pipeline runs over every fixture before the first measurement: JIT and heap sizing settle */
const SUITE_WARMUP_PASSES = 2;
/** iterations per block; blocks alternate between the peer and the pipeline to cancel drift */
const BLOCK = 5;

export interface Summary {
  /** milliseconds */
  median: number;
  p95: number;
  mean: number;
  min: number;
}

export interface NormalisationResult {
  file: string;
  entityName: string;
  bytes: number;
  facts: number;
  iterations: number;
  /** the peer: JSON.parse of the same text, alone */
  jsonParse: Summary;
  /** the pipeline's stages, timed within each pipeline iteration */
  pipeline: { parse: Summary; validate: Summary; build: Summary; normalise: Summary; total: Summary };
  /** pipeline medians (and p95s) ÷ the peer's */
  ratios: { normalise: number; total: number; normaliseP95: number; totalP95: number };
  meets: boolean;
}

function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    min: sorted[0] ?? Number.NaN,
  };
}

function countFacts(facts: CompanyFacts): number {
  let n = 0;
  for (const concepts of Object.values(facts.facts)) {
    for (const concept of Object.values(concepts)) for (const list of Object.values(concept.units)) n += list.length;
  }
  return n;
}

/**
 * For one companyfacts file: JSON.parse alone (the peer) and the whole pipeline —
 * JSON.parse, parseCompanyFacts, buildAllStatements (three statements × annual and
 * quarterly, default options) — in alternating blocks. Every pipeline iteration parses a
 * fresh object, so nothing is served from the statement builder's per-payload cache.
 */
export function measureNormalisation(path: string, iterations = ITERATIONS, warmup = WARMUP): NormalisationResult {
  const text = readFileSync(path, "utf8");
  let sink = 0;
  const peer = (): number => {
    const t0 = performance.now();
    const json = JSON.parse(text) as { cik?: unknown };
    const t1 = performance.now();
    if (json.cik !== undefined) sink++;
    return t1 - t0;
  };
  const pipeline = (): [number, number, number] => {
    const t0 = performance.now();
    const json: unknown = JSON.parse(text);
    const t1 = performance.now();
    const facts = parseCompanyFacts(json);
    const t2 = performance.now();
    const all = buildAllStatements(facts);
    const t3 = performance.now();
    sink += all.income.annual.columns.length;
    return [t1 - t0, t2 - t1, t3 - t2];
  };
  for (let i = 0; i < warmup; i++) {
    peer();
    pipeline();
  }
  const jsonParse: number[] = [];
  const parse: number[] = [];
  const validate: number[] = [];
  const build: number[] = [];
  for (let done = 0, block = 0; done < iterations; block++) {
    const n = Math.min(BLOCK, iterations - done);
    const runPeer = () => {
      for (let i = 0; i < n; i++) jsonParse.push(peer());
    };
    const runPipeline = () => {
      for (let i = 0; i < n; i++) {
        const [p, v, b] = pipeline();
        parse.push(p);
        validate.push(v);
        build.push(b);
      }
    };
    if (block % 2 === 0) {
      runPeer();
      runPipeline();
    } else {
      runPipeline();
      runPeer();
    }
    done += n;
  }
  if (sink === 0) throw new Error("benchmark produced nothing");

  const facts = parseCompanyFacts(JSON.parse(text));
  const peerSummary = summarize(jsonParse);
  const normalise = summarize(validate.map((v, i) => v + build[i]!));
  const total = summarize(parse.map((p, i) => p + validate[i]! + build[i]!));
  const ratios = {
    normalise: normalise.median / peerSummary.median,
    total: total.median / peerSummary.median,
    normaliseP95: normalise.p95 / peerSummary.p95,
    totalP95: total.p95 / peerSummary.p95,
  };
  return {
    file: path.split("/").pop() ?? path,
    entityName: facts.entityName,
    bytes: Buffer.byteLength(text),
    facts: countFacts(facts),
    iterations,
    jsonParse: peerSummary,
    pipeline: { parse: summarize(parse), validate: summarize(validate), build: summarize(build), normalise, total },
    ratios,
    meets: ratios.normalise <= TARGET,
  };
}

const ms = (x: number): string => x.toFixed(2);
const ratio = (x: number): string => `${x.toFixed(2)}×`;
const mb = (bytes: number): string => (bytes / 1_048_576).toFixed(1);

async function normalisationSection(): Promise<EdgarSection> {
  const title = "### companyfacts normalisation vs JSON.parse";
  if (!existsSync(COMPANYFACTS_DIR)) {
    const why = `skipped: the companyfacts fixtures (${COMPANYFACTS_DIR}) are absent; set BENCH_EDGAR_FIXTURES to a folder of CIK##########.json files`;
    return { markdown: `${title}\n\n${why}.`, console: `edgar normalisation ${why}` };
  }
  const files = readdirSync(COMPANYFACTS_DIR).filter((f) => f.endsWith(".json")).sort();
  // Without this the first company measured pays for warm-up its per-company rounds do not cover.
  const texts = files.map((f) => readFileSync(join(COMPANYFACTS_DIR, f), "utf8"));
  for (let pass = 0; pass < SUITE_WARMUP_PASSES; pass++) for (const t of texts) buildAllStatements(parseCompanyFacts(JSON.parse(t)));
  const results: NormalisationResult[] = [];
  for (const f of files) {
    const r = measureNormalisation(join(COMPANYFACTS_DIR, f));
    process.stdout.write(`  ${r.entityName}: normalisation ${ratio(r.ratios.normalise)} JSON.parse, total ${ratio(r.ratios.total)}\n`);
    results.push(r);
  }
  return { markdown: normalisationMarkdown(title, results), console: normalisationConsole(results) };
}

function normalisationMarkdown(title: string, results: readonly NormalisationResult[]): string {
  const out: string[] = [title, ""];
  out.push(
    "A companyfacts payload (one company's every XBRL fact, ~4 MB of JSON) turned into statements: `parseCompanyFacts` (validation) then " +
      "`buildAllStatements` (income, balance and cash-flow statements, annual and quarterly, default options). Named peer: `JSON.parse` of the " +
      `same text, measured in the same run. Target: normalisation ≤ ${TARGET}× JSON.parse (validation + build, medians).`,
  );
  out.push("");
  out.push("| Company | Facts | MB | normalisation ÷ JSON.parse (p50) | (parse + normalisation) ÷ JSON.parse (p50) | normalisation ÷ JSON.parse (p95) | Verdict |");
  out.push("|---|---:|---:|---:|---:|---:|---|");
  for (const r of results) {
    out.push(
      `| ${r.entityName} | ${r.facts.toLocaleString("en-US")} | ${mb(r.bytes)} | ${ratio(r.ratios.normalise)} | ${ratio(r.ratios.total)} | ${ratio(r.ratios.normaliseP95)} | ${r.meets ? "meets target" : "**misses target**"} |`,
    );
  }
  out.push("");
  out.push("Milliseconds, p50 / p95:");
  out.push("");
  out.push("| Company | JSON.parse alone | parse (in pipeline) | parseCompanyFacts | buildAllStatements | normalisation | total |");
  out.push("|---|---:|---:|---:|---:|---:|---:|");
  const cell = (s: Summary): string => `${ms(s.median)} / ${ms(s.p95)}`;
  for (const r of results) {
    const p = r.pipeline;
    out.push(`| ${r.entityName} | ${cell(r.jsonParse)} | ${cell(p.parse)} | ${cell(p.validate)} | ${cell(p.build)} | ${cell(p.normalise)} | ${cell(p.total)} |`);
  }
  out.push("");
  const n = results[0]?.iterations ?? ITERATIONS;
  out.push(
    `Method: ${SUITE_WARMUP_PASSES} untimed pipeline passes over every file, then per company ${WARMUP} warm-up rounds, then ${n} timed iterations of the peer and ${n} of the pipeline in alternating blocks of ${BLOCK} ` +
      "(peer first, then pipeline first, …) so drift hits both alike; each stage timed with `performance.now()`. Every iteration parses a fresh " +
      "object, so the statement builder's per-payload cache never hits. Garbage collection lands wherever it lands; the p95 columns show it. " +
      `Fixtures: \`${relative(fromRoot(), COMPANYFACTS_DIR)}\` (BENCH_EDGAR_FIXTURES), iterations BENCH_EDGAR_ITERS, warm-up BENCH_EDGAR_WARMUP. Node ${process.version}.`,
  );
  out.push("");
  out.push(
    "Why (parse + normalisation) ÷ JSON.parse is more than 1 + normalisation ÷ JSON.parse: the peer's result dies at once, while the pipeline keeps " +
      "each payload alive through validation and building, so the garbage collector copies and promotes it and later mark-compacts it. That cost lands " +
      "mostly in the next iteration's parse (the \"parse (in pipeline)\" column). In a `--trace-gc` run on Apple's payload, GC pauses came to 5.1 ms " +
      "per pipeline iteration against 1.7 ms per JSON.parse alone.",
  );
  out.push("");
  out.push(
    "History: before statement building keyed periods by day number (it formatted a date string for each of up to 49 neighbouring periods per " +
      "lookup) and before the hand-written fact check in front of the zod schema, Apple's payload took 11.6 ms to validate and 138 ms to build " +
      "against 15 ms for JSON.parse: about 10× instead of ≤ 1.5×.",
  );
  return out.join("\n");
}

function normalisationConsole(results: readonly NormalisationResult[]): string {
  const header = ["company", "JSON.parse", "validate", "build", "norm.", "total", "norm./parse", "total/parse", ""];
  const rows = results.map((r) => [
    r.entityName,
    ms(r.jsonParse.median),
    ms(r.pipeline.validate.median),
    ms(r.pipeline.build.median),
    ms(r.pipeline.normalise.median),
    ms(r.pipeline.total.median),
    ratio(r.ratios.normalise),
    ratio(r.ratios.total),
    r.meets ? `meets (≤ ${TARGET}×)` : `MISSES (> ${TARGET}×)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    `normalisation ≤ ${TARGET}× JSON.parse — medians in ms over ${results[0]?.iterations ?? ITERATIONS} iterations`,
    line(header),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...rows.map(line),
  ].join("\n");
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  runEdgarBench().then(
    (r) => process.stdout.write(`${r.console}\n\n${r.markdown}`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
