import type { TurnRecord } from "../../../src/agent/accounting.js";
import { estimateCost, priceTable } from "../../../src/agent/accounting.js";
import type { ChatProvider } from "../../../src/agent/providers/types.js";
import type { RubricItem } from "../case.js";

export type RubricVerdict = "pass" | "fail" | "unscored";

export interface RubricItemScore {
  id: string;
  mustPass: boolean;
  verdict: RubricVerdict;
  by: "pattern" | "judge" | "none";
  /** The judge's reason, or what the pattern matched. */
  reason?: string;
}

export interface RubricScore {
  items: RubricItemScore[];
  /** A must-pass item scored "fail". */
  mustPassFailed: string[];
  /** Must-pass items nobody could score (no pattern, no judge): reported, not failed. */
  mustPassUnscored: string[];
  /** Share of scored items that passed (1 when none was scored). */
  score: number;
  /** The judge's model calls, for the report's tokens and cost. */
  judgeTurns: TurnRecord[];
}

/** A model id without its dated snapshot suffix, to tell "the same model" apart from a different one. */
function family(model: string): string {
  return model.toLowerCase().replace(/-(\d{8}|\d{4}-\d{2}-\d{2})$/, "");
}

/** The judge must not be the model under test: a model grading itself is not a measurement. */
export function assertDifferentJudge(judge: Pick<ChatProvider, "model">, testedModel: string): void {
  if (family(judge.model) === family(testedModel)) {
    throw new Error(`The judge model (${judge.model}) is the model under test (${testedModel}); choose a different --judge-model.`);
  }
}

const JUDGE_SYSTEM =
  "You grade one criterion of an answer given by a financial research assistant. Apply the criterion literally to the answer; " +
  'do not reward style. Reply with only a JSON object: {"pass": true|false, "reason": "<one sentence>"}.';

function parseVerdict(text: string): { pass: boolean; reason: string } | undefined {
  const m = /\{[\s\S]*\}/.exec(text);
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[0]) as { pass?: unknown; reason?: unknown };
    return typeof v.pass === "boolean" ? { pass: v.pass, reason: typeof v.reason === "string" ? v.reason : "" } : undefined;
  } catch {
    return undefined;
  }
}

export interface RubricOptions {
  /** Scores items without a pattern; must be a different model from `testedModel`. */
  judge?: ChatProvider;
  testedModel?: string;
  question?: string;
}

/**
 * Items with a pattern are scored by it (case-insensitive; `forbid` inverts); the rest by
 * the judge model when one is given, else "unscored". A judge reply that is not the asked
 * JSON scores the item "fail" with that said in the reason.
 */
export async function scoreRubric(answer: string, items: readonly RubricItem[], opts: RubricOptions = {}): Promise<RubricScore> {
  if (opts.judge && opts.testedModel !== undefined) assertDifferentJudge(opts.judge, opts.testedModel);
  const judgeTurns: TurnRecord[] = [];
  const prices = priceTable();
  const scored: RubricItemScore[] = [];
  for (const item of items) {
    if (item.pattern !== undefined) {
      const m = new RegExp(item.pattern, "i").exec(answer);
      const pass = item.forbid ? !m : Boolean(m);
      scored.push({ id: item.id, mustPass: item.mustPass, verdict: pass ? "pass" : "fail", by: "pattern", reason: m ? `matched "${m[0]}"${item.forbid ? " (forbidden)" : ""}` : "no match" });
      continue;
    }
    if (!opts.judge) {
      scored.push({ id: item.id, mustPass: item.mustPass, verdict: "unscored", by: "none" });
      continue;
    }
    const started = performance.now();
    const turn = await opts.judge.complete({
      system: JUDGE_SYSTEM,
      messages: [{ role: "user", text: `${opts.question ? `Question: ${opts.question}\n\n` : ""}Answer:\n<<<\n${answer}\n>>>\n\nCriterion: ${item.text}` }],
      tools: [],
      maxOutputTokens: 300,
    });
    judgeTurns.push({ provider: opts.judge.name, model: turn.model, usage: turn.usage, latencyMs: performance.now() - started, costUsd: estimateCost(turn.model, turn.usage, prices) });
    const v = parseVerdict(turn.text);
    scored.push({ id: item.id, mustPass: item.mustPass, verdict: v?.pass ? "pass" : "fail", by: "judge", reason: v ? v.reason : `unreadable judge reply: ${turn.text.slice(0, 200)}` });
  }
  const decided = scored.filter((s) => s.verdict !== "unscored");
  return {
    items: scored,
    mustPassFailed: scored.filter((s) => s.mustPass && s.verdict === "fail").map((s) => s.id),
    mustPassUnscored: scored.filter((s) => s.mustPass && s.verdict === "unscored").map((s) => s.id),
    score: decided.length === 0 ? 1 : decided.filter((s) => s.verdict === "pass").length / decided.length,
    judgeTurns,
  };
}
