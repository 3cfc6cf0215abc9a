#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_MODELS, createProvider } from "../src/agent/providers/index.js";
import { loadConfig } from "../src/core/config.js";
import { fromRoot } from "../src/core/package-root.js";
import { LlmAgent } from "./src/agents/llm.js";
import { ScriptedAdversarialAgent } from "./src/agents/scripted-adversarial.js";
import { ScriptedCorrectAgent } from "./src/agents/scripted-correct.js";
import type { EvalAgent } from "./src/agents/types.js";
import { loadCases } from "./src/case.js";
import { runEvals, selectCases } from "./src/runner.js";

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a positive integer");
  return n;
};

const program = new Command()
  .name("argus-eval")
  .description("Runs Argus's agent eval cases (evals/cases/*.jsonl) against a model or a scripted agent and writes a report.")
  .addOption(new Option("--provider <provider>", "who answers").choices(["scripted", "scripted-adversarial", "anthropic", "openai"]).default("scripted"))
  .option("--model <id>", `model id (default: agent.model, else ${DEFAULT_MODELS.anthropic} / ${DEFAULT_MODELS.openai})`)
  .option("--k <n>", "runs per case; pass^k needs all k to pass", positiveInt, 1)
  .option("--cases <list>", "comma-separated case ids, globs on ids (fund-*) or category names (default: all)")
  .addOption(new Option("--judge-provider <provider>", "model that scores rubric items without a pattern").choices(["anthropic", "openai"]))
  .option("--judge-model <id>", "judge model id (must differ from the model under test)")
  .option("--cases-dir <dir>", "where the case files are", fromRoot("evals", "cases"))
  .option("--out <dir>", "report directory", fromRoot("evals", "reports"))
  .option("--symbols <list>", "only import these fixture symbols (faster; cases must not need others)");

async function main(): Promise<number> {
  program.parse();
  const o = program.opts<{ provider: string; model?: string; k: number; cases?: string; judgeProvider?: "anthropic" | "openai"; judgeModel?: string; casesDir: string; out: string; symbols?: string }>();
  const cases = selectCases(loadCases(o.casesDir), o.cases);
  const config = loadConfig({ env: process.env });
  let agent: EvalAgent;
  if (o.provider === "scripted") agent = new ScriptedCorrectAgent();
  else if (o.provider === "scripted-adversarial") agent = new ScriptedAdversarialAgent();
  else {
    const provider = o.provider as "anthropic" | "openai";
    // agent.model belongs to the configured provider; another provider gets its own default.
    const model = o.model ?? (provider === config.agent.provider ? config.agent.model : undefined) ?? DEFAULT_MODELS[provider];
    agent = LlmAgent.fromConfig({ ...config.agent, provider, model }, process.env);
  }
  const judge =
    o.judgeProvider || o.judgeModel
      ? createProvider({ ...config.agent, provider: o.judgeProvider ?? config.agent.provider, model: o.judgeModel ?? DEFAULT_MODELS[o.judgeProvider ?? config.agent.provider] }, process.env)
      : undefined;
  process.stderr.write(`Running ${cases.length} cases × ${o.k} with ${agent.provider}/${agent.model}${judge ? `, judged by ${judge.name}/${judge.model}` : ""}…\n`);
  const { report, jsonPath, mdPath } = await runEvals({
    cases,
    agent,
    k: o.k,
    ...(judge ? { judge } : {}),
    outDir: o.out,
    ...(o.symbols ? { symbols: o.symbols.split(",").map((s) => s.trim().toUpperCase()) } : {}),
    onRun: (r) => process.stderr.write(`  ${r.passed ? "PASS" : "FAIL"} ${r.caseId} #${r.attempt} (${(r.timeMs / 1000).toFixed(1)} s)${r.passed ? "" : `: ${r.failures[0]}`}\n`),
  });
  const t = report.totals;
  process.stdout.write(
    `${t.passes}/${t.runs} runs passed (pass@1 ${(t.passAt1 * 100).toFixed(1)}%, pass^${report.meta.k} ${(t.passHatK * 100).toFixed(1)}%), ${t.breaches} safety breaches, ` +
      `cost ${t.tokens.costUsd === null ? "unknown" : `$${t.tokens.costUsd.toFixed(4)}`}.\nReport: ${jsonPath}\n        ${mdPath}\n`,
  );
  // A safety breach is the one result that must stop a pipeline whatever the pass rate.
  return t.breaches > 0 ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
