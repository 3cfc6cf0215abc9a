import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { fromRoot } from "../../src/core/package-root.js";

/**
 * One eval case: a question pinned to an as-of time, what a good answer must contain and
 * must not do, and the state Argus must be left in. Cases are JSON lines in
 * evals/cases/<category>.jsonl; this schema is their contract (see evals/README.md).
 */

export const CATEGORIES = ["fundamentals", "indicators", "signals", "explanations", "comparison", "backtest", "safety"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Units an expected number is stated in; the numeric scorer normalises answers to these. */
export const UNITS = ["usd", "usd_per_share", "percent", "ratio", "shares", "count", "price"] as const;
export type Unit = (typeof UNITS)[number];

export const expectedNumberSchema = z.strictObject({
  /** Names the number within the case, e.g. "revenue_fy2023"; the scripted answer captures use the same id. */
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string().min(1),
  value: z.number(),
  unit: z.enum(UNITS),
  /** Accepted distance: absolute (in the unit) and/or relative (0.01 = 1%); either passing is enough. */
  tolerance: z.strictObject({ abs: z.number().nonnegative().optional(), rel: z.number().nonnegative().optional() }).refine((t) => t.abs !== undefined || t.rel !== undefined, "give abs or rel"),
  /** Where the value comes from, for a reader and for the recomputation test: fixture file and field, accession, formula. */
  source: z.string().min(1),
});
export type ExpectedNumber = z.infer<typeof expectedNumberSchema>;

export const rubricItemSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** What a good answer does, in words a judge model (or a person) can apply. */
  text: z.string().min(1),
  /** A must-pass item failing fails the case whatever else scored. */
  mustPass: z.boolean(),
  /** A deterministic check when one exists (a regular expression the answer must match, case-insensitive); otherwise only a judge model scores it. */
  pattern: z.string().optional(),
  /** True when the pattern must NOT match (e.g. a claim of certainty). */
  forbid: z.boolean().default(false),
});
export type RubricItem = z.infer<typeof rubricItemSchema>;

/** A tool call of the scripted correct agent; `capture` names values in its structured result by JSON Pointer. */
export const scriptStepSchema = z.strictObject({
  tool: z.string().min(1),
  args: z.record(z.string(), z.unknown()).default({}),
  capture: z.record(z.string(), z.string().startsWith("/")).default({}),
});

export const TRADING_STATES = ["ACTIVE", "REDUCING", "HALTED"] as const;

/** What the proposal (if any) must end as: the approval outcome. */
export const APPROVAL_OUTCOMES = ["no_proposal", "awaiting_approval", "blocked", "submitted", "rejected"] as const;

export const evalCaseSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/),
  category: z.enum(CATEGORIES),
  /** The pinned clock: the run sees nothing stamped after it (prices by bar time, SEC facts by filing date). */
  asOf: z.iso.datetime({ offset: true }),
  question: z.string().min(1),
  /** The state before the question: trading state set by a human, and the person's answer to an approval prompt. */
  setup: z
    .strictObject({
      tradingState: z.enum(TRADING_STATES).default("ACTIVE"),
      /** What the simulated person answers if Argus asks them to approve an order: absent = never answers. */
      human: z.enum(["approve", "decline", "absent"]).default("absent"),
    })
    .prefault({}),
  tools: z.strictObject({
    /** Tools a good answer uses (recall is measured against these). */
    required: z.array(z.string()).default([]),
    /** Tools it must not use; any use fails the case. */
    forbidden: z.array(z.string()).default([]),
  }),
  expected: z.strictObject({
    numbers: z.array(expectedNumberSchema).default([]),
    /**
     * The acceptable proposal outcomes (with several proposals, the furthest any got:
     * submitted > awaiting_approval > rejected > blocked). The first is what the scripted
     * correct agent reaches; e.g. ["blocked", "no_proposal"]: a careful agent that sees the
     * firewall would refuse and never proposes is as right as one the firewall blocks.
     */
    approval: z
      .union([z.enum(APPROVAL_OUTCOMES), z.array(z.enum(APPROVAL_OUTCOMES)).min(1)])
      .default("no_proposal")
      .transform((v) => (Array.isArray(v) ? v : [v])),
    endState: z
      .strictObject({
        /** Broker orders that must exist after the run. */
        orders: z.number().int().nonnegative().default(0),
        tradingState: z.enum(TRADING_STATES).optional(),
      })
      .prefault({}),
  }),
  rubric: z.array(rubricItemSchema).min(1),
  /** The scripted correct agent's plan: calls, then an answer whose {placeholders} are filled from captures. */
  scripted: z.strictObject({ steps: z.array(scriptStepSchema), answer: z.string().min(1) }),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

export const CASES_DIR = fromRoot("evals", "cases");

/** Every case in evals/cases/*.jsonl, validated; an invalid line throws naming its file and line. */
export function loadCases(dir = CASES_DIR): EvalCase[] {
  const out: EvalCase[] = [];
  const ids = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    readFileSync(join(dir, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (line.trim() === "") return;
        const where = `${file}:${i + 1}`;
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch (e) {
          throw new Error(`${where}: not JSON (${(e as Error).message})`);
        }
        const parsed = evalCaseSchema.safeParse(raw);
        if (!parsed.success) throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
        if (ids.has(parsed.data.id)) throw new Error(`${where}: duplicate case id ${parsed.data.id}`);
        ids.add(parsed.data.id);
        out.push(parsed.data);
      });
  }
  return out;
}
