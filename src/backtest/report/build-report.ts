import { createHash } from "node:crypto";
import { canonicalize } from "../../audit/hash.js";
import type { ArgusConfig } from "../../core/config.js";
import type { RiskLimits } from "../../risk/limits.js";
import type { BacktestConfig, StrategyConfig } from "../config.js";
import type { ProposalRecord, ReplayResult, StateEvent } from "../replay.js";
import { computeReport, type ReportNumbers } from "./metrics.js";

/** How orders were decided in every backtest; stated in each report. */
export const APPROVAL_POLICY =
  "Every proposal that passes all risk-firewall checks is approved at once by the recorded policy 'approve-if-firewall-passes' (audited with channel 'policy' in the run's own log) and re-checked before submission; a proposal the firewall blocks is never approved. Auto-approval settings in your limits are not used.";
export const TIMING_POLICY_DAILY =
  "Decisions are made at each session's close on bars up to that close; orders are market-on-open (opg) and fill at the next session's opening price ± slippage, within the participation cap of that bar's volume.";
export const TIMING_POLICY_MINUTE = "Decisions are made at the end of each minute on bars up to then; market day orders fill at the next minute bar's open ± slippage, within the participation cap.";

/** What an ensemble run's decisions depend on beyond its configuration. */
export interface EngineIdentity {
  analysis: Omit<ArgusConfig["analysis"], "modelPath">;
  /** SHA-256 of the probability model file, null when there is none. */
  modelSha256: string | null;
}

export interface SingleReport {
  kind: "single";
  name: string;
  strategy: { name: string; config: StrategyConfig; engine: EngineIdentity | null };
  period: { start: string; end: string; timeframe: "1Day" | "1Min"; steps: number; firstStep: string | null; lastStep: string | null };
  universe: string[];
  benchmark: string;
  initialCash: number;
  costModel: { slippageBps: number; participation: number; commissionPerOrder: 0 };
  policy: { approval: string; supervision: string; timing: string };
  limits: RiskLimits;
  data: { dataHash: string; barsReplayed: number; barsCopied: number };
  numbers: ReportNumbers;
  orders: { proposed: number; submitted: number; blocked: number; blockedOnRecheck: number; brokerRejected: number; fills: number };
  firewall: {
    /** Failed checks counted over every refused proposal (a proposal can fail several). */
    rejectionsByCode: Record<string, number>;
    /** The first refused proposals, for reading (the counts above cover all). */
    examples: ProposalRecord[];
  };
  stateEvents: StateEvent[];
  analyses: number;
  /**
   * The run's own audit log, verified at the end of the run: every proposal, check,
   * policy approval, submission and state change, counted by kind. (Its hashes cover
   * random proposal ids, so they are not part of this reproducible report.)
   */
  audit: { verified: boolean; entries: number; byKind: Record<string, number> };
}

export interface ReportInputs {
  name: string;
  config: BacktestConfig;
  strategyName: string;
  engine: EngineIdentity | null;
  window: { start: string; end: string };
  benchmark: string;
  limits: RiskLimits;
  dataHash: string;
  barsCopied: number;
  result: ReplayResult;
  analyses: number;
  audit: SingleReport["audit"];
}

export function buildSingleReport(x: ReportInputs): SingleReport {
  const { result, config } = x;
  // Annualise per step: 252 sessions a year, or 252 × 390 regular-session minutes.
  const numbers = computeReport({ points: result.points, fills: result.fills, initialCash: config.initialCash, periodsPerYear: config.timeframe === "1Min" ? 252 * 390 : 252 });
  const refused = result.proposals.filter((p) => p.outcome === "blocked" || p.outcome === "blocked_on_recheck");
  const byCode: Record<string, number> = {};
  for (const p of refused) for (const code of p.failedChecks) byCode[code] = (byCode[code] ?? 0) + 1;
  const count = (o: ProposalRecord["outcome"]) => result.proposals.filter((p) => p.outcome === o).length;
  const resume = config.supervision.resumeAfterSessions;
  return {
    kind: "single",
    name: x.name,
    strategy: { name: x.strategyName, config: config.strategy, engine: x.engine },
    period: {
      start: x.window.start,
      end: x.window.end,
      timeframe: config.timeframe,
      steps: result.steps,
      firstStep: result.points[0]?.date ?? null,
      lastStep: result.points.at(-1)?.date ?? null,
    },
    universe: [...config.universe],
    benchmark: x.benchmark,
    initialCash: config.initialCash,
    costModel: { slippageBps: config.costs.slippageBps, participation: config.costs.participation, commissionPerOrder: 0 },
    policy: {
      approval: APPROVAL_POLICY,
      supervision:
        resume === null
          ? "A loss limit that moves trading to REDUCING or HALTED is never lifted during the run (no human is replayed)."
          : `A loss limit that moves trading to REDUCING or HALTED is lifted by the replayed human ${resume} session${resume === 1 ? "" : "s"} later (recorded in stateEvents).`,
      timing: config.timeframe === "1Day" ? TIMING_POLICY_DAILY : TIMING_POLICY_MINUTE,
    },
    limits: x.limits,
    data: { dataHash: x.dataHash, barsReplayed: result.barsReplayed, barsCopied: x.barsCopied },
    numbers,
    orders: {
      proposed: result.proposals.length,
      submitted: count("submitted"),
      blocked: count("blocked"),
      blockedOnRecheck: count("blocked_on_recheck"),
      brokerRejected: count("broker_rejected"),
      fills: result.fills.length,
    },
    firewall: { rejectionsByCode: sortKeys(byCode), examples: refused.slice(0, 50) },
    stateEvents: result.stateEvents,
    analyses: x.analyses,
    audit: x.audit,
  };
}

function sortKeys(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/** SHA-256 of RFC 8785 canonical JSON: equal values give equal hashes whatever the key order. */
export function canonicalHash(value: unknown): string {
  return createHash("sha256").update(canonicalize(value) ?? "null").digest("hex");
}
