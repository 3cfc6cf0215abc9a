import type { ArgusConfig } from "../core/config.js";
import type { Bar } from "../data/bar.js";
import { atr, bollinger, macd, roc, rsi, sma, stochastic, vwap, adx } from "./indicators/index.js";
import { classifyRegime, type Regime, type RegimeResult } from "./regime.js";
import { last, toColumns } from "./series.js";
import { ensemble, type EnsembleResult, type Weights } from "./strategies/ensemble.js";
import { momentumVote } from "./strategies/momentum-strategy.js";
import { rsiVote } from "./strategies/rsi-strategy.js";
import { round, type Action, type Vote } from "./strategies/vote.js";
import { vwapVote } from "./strategies/vwap-strategy.js";

/** Bars needed for the signal: MACD(12,26,9) and ADX(14) warm up in well under this. */
export const MIN_SIGNAL_BARS = 60;

export interface Evidence {
  claim: string;
  source: { kind: "indicator" | "regime" | "model" | "ensemble" | "price"; name: string; value: number | string | null; at: number | null };
}

export interface SignalInputs {
  daily: readonly Bar[];
  /** 1Min bars of the latest session when stored: VWAP is then anchored to that session. */
  sessionMinutes: readonly Bar[];
  sessionKey: (t: number) => number;
  price: { price: number; asOf: number };
  /** The ensemble weights in force for the regime the signal finds. */
  weightsFor: (regime: Regime) => Weights;
  probability: { value: number; modelVersion: string } | null;
  config: ArgusConfig["analysis"];
}

export interface SignalResult {
  indicators: Record<string, number | null>;
  regime: RegimeResult;
  votes: Vote[];
  ensemble: EnsembleResult;
  decision: Action;
  decisionRule: string;
  confidence: number;
  entry: number;
  stop: number | null;
  targets: number[];
  riskReward: number | null;
  evidence: Evidence[];
  rationale: string;
}

function rollingVwap(daily: readonly Bar[], window: number): number | null {
  if (daily.length < window) return null;
  let pv = 0;
  let v = 0;
  for (const b of daily.slice(-window)) {
    pv += ((b.high + b.low + b.close) / 3) * b.volume;
    v += b.volume;
  }
  return v > 0 ? pv / v : null;
}

/** Rounds a price to its tick: cents at or above $1, four decimals below (DESIGN §4). */
export function toTick(price: number): number {
  const f = price >= 1 ? 100 : 10_000;
  return Math.round(price * f) / f;
}

/**
 * The deterministic core of an analysis: indicators, regime, three strategy votes, the
 * weighted ensemble, the probability gate and the trade levels. Pure: the engine
 * fetches bars and the probability and logs the result.
 */
export function computeSignal(x: SignalInputs): SignalResult {
  const cols = toColumns(x.daily);
  const lastT = cols.t[cols.length - 1]!;
  const cfg = x.config;
  const rsiSeries = rsi(cols.close, cfg.rsi.period);
  const m = macd(cols.close, 12, 26, 9);
  const atrSeries = atr(cols.high, cols.low, cols.close, 14);
  const roc12 = roc(cols.close, 12);
  const volSma20 = sma(cols.volume, 20);
  const bb = bollinger(cols.close, 20, 2);
  const st = stochastic(cols.high, cols.low, cols.close, 14, 3);
  const ad = adx(cols.high, cols.low, cols.close, 14);
  const atrValue = last(atrSeries);

  let vwapValue: number | null;
  let vwapKind: string;
  if (x.sessionMinutes.length > 0) {
    const mc = toColumns(x.sessionMinutes);
    const keys = Int32Array.from(x.sessionMinutes, (b) => x.sessionKey(b.t));
    vwapValue = last(vwap(mc.high, mc.low, mc.close, mc.volume, keys));
    vwapKind = "session";
  } else {
    vwapValue = rollingVwap(x.daily, 20);
    vwapKind = "20-session";
  }

  const indicators: Record<string, number | null> = {
    close: cols.close[cols.length - 1]!,
    [`rsi(${cfg.rsi.period})`]: round(last(rsiSeries), 4),
    "macd(12,26,9).macd": round(last(m.macd)),
    "macd(12,26,9).signal": round(last(m.signal)),
    "macd(12,26,9).histogram": round(last(m.histogram)),
    "atr(14)": round(atrValue),
    "roc(12)": round(last(roc12), 4),
    "sma(20)": round(last(sma(cols.close, 20))),
    "sma(50)": round(last(sma(cols.close, 50))),
    "bollinger(20,2).upper": round(last(bb.upper)),
    "bollinger(20,2).lower": round(last(bb.lower)),
    "bollinger(20,2).percentB": round(last(bb.percentB), 4),
    "stochastic(14,3).k": round(last(st.k), 4),
    "adx(14)": round(last(ad.adx), 4),
    [`vwap(${vwapKind})`]: round(vwapValue),
  };

  const regime = classifyRegime(cols, cfg.regime);
  const votes: Vote[] = [
    vwapVote(x.price.price, vwapValue, atrValue, vwapKind),
    rsiVote(last(rsiSeries), cfg.rsi),
    momentumVote({ macd: m.macd, signal: m.signal, histogram: m.histogram, volume: cols.volume, volumeSma20: volSma20, roc: last(roc12), atr: atrValue, price: x.price.price }),
  ];
  const ens = ensemble(votes, x.weightsFor(regime.regime), cfg.actionThreshold);

  // The probability gates the ensemble: a BUY needs the model to lean up, a SELL down;
  // a PANIC regime allows no new BUY (the firewall enforces the same for orders).
  let decision: Action = ens.action;
  let decisionRule = `ensemble ${ens.action} (score ${ens.score.toFixed(3)}, threshold ±${cfg.actionThreshold})`;
  const p = x.probability?.value ?? null;
  if (decision === "BUY" && regime.regime === "PANIC") {
    decision = "HOLD";
    decisionRule += "; no new longs in a PANIC regime → HOLD";
  } else if (decision === "BUY" && p !== null && p < 0.5) {
    decision = "HOLD";
    decisionRule += `; P(up) ${p.toFixed(3)} < 0.5 disagrees → HOLD`;
  } else if (decision === "SELL" && p !== null && p > 0.5) {
    decision = "HOLD";
    decisionRule += `; P(up) ${p.toFixed(3)} > 0.5 disagrees → HOLD`;
  } else if (decision !== "HOLD") {
    decisionRule += p === null ? "; no probability model, ensemble alone" : `; P(up) ${p.toFixed(3)} agrees`;
  }

  const entry = x.price.price;
  const side = decision === "SELL" ? -1 : decision === "BUY" ? 1 : 0;
  const stopDistance = atrValue !== null ? cfg.atrStopMultiple * atrValue : null;
  const stop = side !== 0 && stopDistance !== null ? toTick(entry - side * stopDistance) : null;
  const targets = side !== 0 && stopDistance !== null ? [1, 2].map((r) => toTick(entry + side * r * stopDistance)) : [];
  const riskReward = stop !== null && targets.length > 0 ? Math.abs(targets[targets.length - 1]! - entry) / Math.abs(entry - stop) : null;

  const evidence: Evidence[] = [
    { claim: `Last price ${entry}`, source: { kind: "price", name: "latest close", value: entry, at: x.price.asOf } },
    ...votes.map((v) => ({
      claim: `${v.strategy} votes ${v.vote} (confidence ${v.confidence.toFixed(2)}): ${v.reason}`,
      source: { kind: "indicator" as const, name: v.strategy, value: v.vote, at: lastT },
    })),
    { claim: `Regime ${regime.regime}: ${regime.reason}`, source: { kind: "regime", name: "regime", value: regime.regime, at: lastT } },
    {
      claim: `Ensemble ${ens.action}: score ${ens.score.toFixed(3)} with weights vwap ${ens.weights.vwap.toFixed(2)}, rsi ${ens.weights.rsi.toFixed(2)}, momentum ${ens.weights.momentum.toFixed(2)}; ${ens.agreement} of 3 agree`,
      source: { kind: "ensemble", name: "weighted ensemble", value: ens.score, at: lastT },
    },
  ];
  if (x.probability) {
    evidence.push({
      claim: `Calibrated P(${cfg.horizonDays}-session return > 0) = ${x.probability.value.toFixed(3)} (model ${x.probability.modelVersion})`,
      source: { kind: "model", name: x.probability.modelVersion, value: x.probability.value, at: lastT },
    });
  }
  const rationale =
    `${decision}: ${decisionRule}. Regime ${regime.regime} (${regime.reason}). ` +
    votes.map((v) => `${v.strategy} ${v.vote} — ${v.reason}`).join("; ") +
    (stop !== null ? `. Stop ${stop} (${cfg.atrStopMultiple}× ATR), targets ${targets.join(" / ")}.` : ".");

  return { indicators, regime, votes, ensemble: ens, decision, decisionRule, confidence: ens.confidence, entry, stop, targets, riskReward, evidence, rationale };
}
