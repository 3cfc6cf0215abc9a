import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { totalsOf, type TurnRecord } from "../../src/agent/accounting.js";
import type { ChatProvider } from "../../src/agent/providers/types.js";
import type { AgentToolCall, EvalAgent } from "./agents/types.js";
import type { Category, EvalCase } from "./case.js";
import { EvalWorld } from "./environment.js";
import { connectRecorded, humanAnswer, Recorder } from "./recorder.js";
import { scoreNumbers, type NumericScore } from "./scorers/numeric.js";
import { summarizePassK, passHatK, type PassKSummary } from "./scorers/passk.js";
import { assertDifferentJudge, scoreRubric, type RubricScore } from "./scorers/rubric.js";
import { safetyBaseline, scoreSafety, type SafetyScore } from "./scorers/safety.js";
import { scoreTools, type ToolsScore } from "./scorers/tools.js";

export interface TokenTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  /** Null when a model call had no known price. */
  costUsd: number | null;
}

export interface RunResult {
  caseId: string;
  category: Category;
  /** 1-based attempt of this case. */
  attempt: number;
  passed: boolean;
  /** Why it failed, one line each (empty when it passed). */
  failures: string[];
  answer: string;
  stop: string;
  error?: string;
  human: "approve" | "decline" | "absent";
  toolCalls: Pick<AgentToolCall, "name" | "args" | "isError" | "summary">[];
  scores: { numbers: NumericScore; tools: ToolsScore; rubric: Omit<RubricScore, "judgeTurns">; safety: SafetyScore };
  /** The agent's model calls. */
  tokens: TokenTotals;
  /** The judge's model calls (not part of the agent's cost). */
  judgeTokens: TokenTotals;
  /** Agent time (ms), environment setup time (ms) and scoring time (ms). */
  timeMs: number;
  setupMs: number;
  scoreMs: number;
  /** JSONL of every MCP message of the run, relative to the report directory. */
  transcript?: string;
}

export interface CaseSummary {
  id: string;
  category: Category;
  runs: number;
  passes: number;
  passAt1: number;
  passHatK: number;
  /** Runs with a safety breach (an invariant broken). */
  breaches: number;
}

export interface GroupSummary {
  cases: number;
  runs: number;
  passes: number;
  passRate: number;
  passAt1: number;
  passHatK: number;
  breaches: number;
  tokens: TokenTotals;
  timeMs: number;
}

export interface EvalReport {
  meta: {
    provider: string;
    model: string;
    judge: string | null;
    k: number;
    startedAt: string;
    finishedAt: string;
    /** ms to import the fixture bars into the template database, once per run. */
    templateMs: number;
    caseIds: string[];
  };
  runs: RunResult[];
  cases: CaseSummary[];
  categories: Record<string, GroupSummary>;
  totals: GroupSummary & PassKSummary & { judgeTokens: TokenTotals };
}

export interface RunOptions {
  cases: readonly EvalCase[];
  agent: EvalAgent;
  /** Runs per case (pass^k uses all of them). */
  k?: number;
  /** Scores rubric items without a pattern; must differ from the agent's model. */
  judge?: ChatProvider;
  /** Where the report (and transcripts) go; nothing is written without it. */
  outDir?: string;
  /** An already started world (tests share one); else one is started and closed here. */
  world?: EvalWorld;
  /** Only these fixture symbols in the template (faster; default all). */
  symbols?: readonly string[];
  /** Called after each run, for progress. */
  onRun?: (r: RunResult) => void;
}

function tokensOf(turns: readonly TurnRecord[]): TokenTotals {
  const t = totalsOf(turns);
  return { calls: t.calls, inputTokens: t.inputTokens, outputTokens: t.outputTokens, cacheReadTokens: t.cacheReadTokens, costUsd: t.costUsd };
}

function addTokens(a: TokenTotals, b: TokenTotals): TokenTotals {
  return {
    calls: a.calls + b.calls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
  };
}

const NO_TOKENS: TokenTotals = { calls: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, costUsd: 0 };

/** Files names: no slashes or colons from model ids like "openrouter/x:free". */
function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** 2026-11-21T23:33:06.123Z → 20261121T233306Z */
export function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** One run of one case in a fresh environment: the agent answers, then every scorer reads the answer and Argus's end state. */
export async function runCase(world: EvalWorld, c: EvalCase, agent: EvalAgent, attempt: number, opts: { judge?: ChatProvider; transcriptPath?: string; transcriptRel?: string } = {}): Promise<RunResult> {
  const env = world.environment(c);
  const human = agent.human ?? c.setup.human;
  const recorder = new Recorder(opts.transcriptPath);
  try {
    const before = safetyBaseline(env.app);
    const conn = await connectRecorded(env.app, env.registry, humanAnswer(human), recorder);
    const started = performance.now();
    let run;
    try {
      run = await agent.run(c, conn.client);
    } finally {
      await conn.close();
    }
    const timeMs = performance.now() - started;
    const scoring = performance.now();
    const numbers = scoreNumbers(run.answer, c.expected.numbers);
    const tools = scoreTools(run.toolCalls, c.tools);
    const rubric = await scoreRubric(run.answer, c.rubric, { ...(opts.judge ? { judge: opts.judge } : {}), testedModel: agent.model, question: c.question });
    const safety = await scoreSafety(env.app, c, before);
    const failures: string[] = [];
    if (run.error) failures.push(`agent: ${run.error}`);
    for (const n of numbers.numbers) if (!n.found) failures.push(`number ${n.id} (${n.expected} ${n.unit}) not found`);
    for (const id of rubric.mustPassFailed) failures.push(`rubric ${id} failed`);
    for (const t of tools.forbiddenUsed) failures.push(`forbidden tool ${t} used`);
    for (const s of safety.checks) if (!s.passed) failures.push(`safety ${s.code}${s.kind === "invariant" ? " (BREACH)" : ""}: ${s.detail}`);
    const { judgeTurns, ...rubricScore } = rubric;
    return {
      caseId: c.id,
      category: c.category,
      attempt,
      passed: failures.length === 0,
      failures,
      answer: run.answer,
      stop: run.stop,
      ...(run.error ? { error: run.error } : {}),
      human,
      toolCalls: run.toolCalls.map(({ name, args, isError, summary }) => ({ name, args, isError, summary })),
      scores: { numbers, tools, rubric: rubricScore, safety },
      tokens: tokensOf(run.turns),
      judgeTokens: tokensOf(judgeTurns),
      timeMs,
      setupMs: env.setupMs,
      scoreMs: performance.now() - scoring,
      ...(opts.transcriptRel ? { transcript: opts.transcriptRel } : {}),
    };
  } finally {
    env.close();
  }
}

function group(runs: readonly RunResult[], k: number): GroupSummary {
  const byCase = new Map<string, boolean[]>();
  for (const r of runs) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r.passed]);
  const pk = summarizePassK(byCase, Math.min(k, ...[...byCase.values()].map((v) => v.length)));
  const passes = runs.filter((r) => r.passed).length;
  return {
    cases: byCase.size,
    runs: runs.length,
    passes,
    passRate: runs.length ? passes / runs.length : 0,
    passAt1: pk.passAt1,
    passHatK: pk.passHatK,
    breaches: runs.filter((r) => r.scores.safety.breach).length,
    tokens: runs.reduce((t, r) => addTokens(t, r.tokens), NO_TOKENS),
    timeMs: runs.reduce((t, r) => t + r.timeMs, 0),
  };
}

/** Runs every case k times, sequentially, each in its own environment; writes the report when `outDir` is given. */
export async function runEvals(opts: RunOptions): Promise<{ report: EvalReport; jsonPath?: string; mdPath?: string }> {
  const k = opts.k ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (opts.cases.length === 0) throw new Error("No eval cases selected.");
  if (opts.judge) assertDifferentJudge(opts.judge, opts.agent.model);
  const startedAt = new Date();
  const stem = `${stamp(startedAt)}-${slug(opts.agent.provider)}-${slug(opts.agent.model)}`;
  const world = opts.world ?? (await EvalWorld.start(opts.symbols ? { symbols: opts.symbols } : {}));
  const runs: RunResult[] = [];
  try {
    for (const c of opts.cases) {
      for (let attempt = 1; attempt <= k; attempt++) {
        const rel = join(stem, "transcripts", `${c.id}-${attempt}.jsonl`);
        const r = await runCase(world, c, opts.agent, attempt, {
          ...(opts.judge ? { judge: opts.judge } : {}),
          ...(opts.outDir ? { transcriptPath: join(opts.outDir, rel), transcriptRel: rel } : {}),
        });
        runs.push(r);
        opts.onRun?.(r);
      }
    }
  } finally {
    if (!opts.world) await world.close();
  }
  const cases: CaseSummary[] = opts.cases.map((c) => {
    const rs = runs.filter((r) => r.caseId === c.id);
    const passes = rs.filter((r) => r.passed).length;
    return { id: c.id, category: c.category, runs: rs.length, passes, passAt1: passes / rs.length, passHatK: passHatK(rs.length, passes, k), breaches: rs.filter((r) => r.scores.safety.breach).length };
  });
  const categories: Record<string, GroupSummary> = {};
  for (const cat of [...new Set(opts.cases.map((c) => c.category))]) categories[cat] = group(runs.filter((r) => r.category === cat), k);
  const byCase = new Map(cases.map((c) => [c.id, runs.filter((r) => r.caseId === c.id).map((r) => r.passed)]));
  const report: EvalReport = {
    meta: {
      provider: opts.agent.provider,
      model: opts.agent.model,
      judge: opts.judge ? `${opts.judge.name}/${opts.judge.model}` : null,
      k,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      templateMs: world.templateMs,
      caseIds: opts.cases.map((c) => c.id),
    },
    runs,
    cases,
    categories,
    totals: { ...group(runs, k), ...summarizePassK(byCase, k), judgeTokens: runs.reduce((t, r) => addTokens(t, r.judgeTokens), NO_TOKENS) },
  };
  if (!opts.outDir) return { report };
  mkdirSync(opts.outDir, { recursive: true });
  const jsonPath = join(opts.outDir, `${stem}.json`);
  const mdPath = join(opts.outDir, `${stem}.md`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(mdPath, renderMarkdown(report));
  return { report, jsonPath, mdPath };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const usd = (x: number | null) => (x === null ? "unknown" : `$${x.toFixed(4)}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The report for a person: totals, per category, per case, then why each failed run failed. */
export function renderMarkdown(r: EvalReport): string {
  const t = r.totals;
  const lines = [
    `# Argus eval: ${r.meta.provider} / ${r.meta.model}`,
    "",
    `${r.meta.startedAt} → ${r.meta.finishedAt} · k = ${r.meta.k} · judge: ${r.meta.judge ?? "none (rubric items without a pattern are unscored)"}`,
    "",
    "## Totals",
    "",
    "| cases | runs | passed | pass rate | pass@1 | pass^k | safety breaches | tokens in / out | cost | agent time |",
    "|---|---|---|---|---|---|---|---|---|---|",
    `| ${t.cases} | ${t.runs} | ${t.passes} | ${pct(t.passRate)} | ${pct(t.passAt1)} | ${pct(t.passHatK)} | ${t.breaches} | ${t.tokens.inputTokens} / ${t.tokens.outputTokens} | ${usd(t.tokens.costUsd)} | ${secs(t.timeMs)} |`,
    "",
    `Judge: ${t.judgeTokens.calls} calls, ${t.judgeTokens.inputTokens} / ${t.judgeTokens.outputTokens} tokens, ${usd(t.judgeTokens.costUsd)}. Template import: ${secs(r.meta.templateMs)}.`,
    "",
    "## By category",
    "",
    "| category | cases | runs | pass rate | pass^k | breaches | cost | time |",
    "|---|---|---|---|---|---|---|---|",
    ...Object.entries(r.categories).map(([cat, g]) => `| ${cat} | ${g.cases} | ${g.runs} | ${pct(g.passRate)} | ${pct(g.passHatK)} | ${g.breaches} | ${usd(g.tokens.costUsd)} | ${secs(g.timeMs)} |`),
    "",
    "## By case",
    "",
    "| case | category | passed | pass^k | numbers | tool recall | rubric | safety | tokens | cost | time |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...r.cases.map((c) => {
      const rs = r.runs.filter((x) => x.caseId === c.id);
      const last = rs.at(-1)!;
      const tok = rs.reduce((a, x) => addTokens(a, x.tokens), NO_TOKENS);
      const safety = c.breaches > 0 ? `BREACH ×${c.breaches}` : rs.some((x) => x.scores.safety.failed) ? "outcome differs" : "ok";
      return `| ${c.id} | ${c.category} | ${c.passes}/${c.runs} | ${pct(c.passHatK)} | ${last.scores.numbers.found}/${last.scores.numbers.total} | ${pct(last.scores.tools.recall)} | ${pct(last.scores.rubric.score)} | ${safety} | ${tok.inputTokens + tok.outputTokens} | ${usd(tok.costUsd)} | ${secs(rs.reduce((a, x) => a + x.timeMs, 0))} |`;
    }),
    "",
  ];
  const failed = r.runs.filter((x) => !x.passed);
  if (failed.length) {
    lines.push("## Failed runs", "");
    for (const f of failed) {
      lines.push(`### ${f.caseId} (run ${f.attempt})`, "", ...f.failures.map((x) => `- ${cell(x)}`), "", `Answer: ${cell(f.answer.slice(0, 600)) || "(none)"}`, "");
      if (f.transcript) lines.push(`Transcript: \`${f.transcript}\``, "");
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `--cases`: comma-separated ids, globs on ids (`fund-*`) or category names; an entry matching nothing is an error. */
export function selectCases(all: readonly EvalCase[], spec: string | undefined): EvalCase[] {
  if (!spec) return [...all];
  const picked = new Set<string>();
  for (const entry of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
    const re = /[*?]/.test(entry) ? new RegExp(`^${entry.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`) : undefined;
    const hits = all.filter((c) => (re ? re.test(c.id) : c.id === entry || c.category === entry));
    if (hits.length === 0) throw new Error(`--cases: nothing matches "${entry}"`);
    for (const h of hits) picked.add(h.id);
  }
  return all.filter((c) => picked.has(c.id));
}
