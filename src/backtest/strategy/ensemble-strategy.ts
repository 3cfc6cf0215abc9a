import type { Analysis, AnalysisEngine } from "../../analysis/analysis-engine.js";
import { ArgusError } from "../../core/errors.js";
import { sizeEntry } from "./sizing.js";
import type { Sizing } from "./rules-schema.js";
import type { OrderPlan, StepView, Strategy } from "./types.js";

/**
 * The default strategy: Argus's own analysis, exactly as analyze_ticker runs it (the same
 * AnalysisEngine, logged to the run's analysis log), applied on each rebalance step to
 * every universe symbol. SELL closes a held position; BUY opens one, sized by the rule.
 */
export class EnsembleStrategy implements Strategy {
  readonly name = "ensemble";
  /** The engine reads its own history through the DataManager; this is for the copy range. */
  readonly warmupBars = 400;

  constructor(
    private readonly analysis: AnalysisEngine,
    private readonly universe: readonly string[],
    private readonly opts: { sizing: Sizing; minConfidence: number },
  ) {}

  /** Nothing to keep: the engine reads its own history. */
  warm(): void {}

  /** The symbol's analysis now, or null while it has too little history for one (a late listing). */
  private async analyzeIfEnoughHistory(symbol: string): Promise<Analysis | null> {
    try {
      return await this.analysis.analyze(symbol);
    } catch (err) {
      if (err instanceof ArgusError && err.code === "INSUFFICIENT_HISTORY") return null;
      throw err;
    }
  }

  async onStep(view: StepView): Promise<OrderPlan[]> {
    if (!view.rebalance) return [];
    const exits: OrderPlan[] = [];
    const entries: OrderPlan[] = [];
    let cash = view.cash;
    let slotsFree = this.opts.sizing.kind === "equal_weight" ? this.opts.sizing.slots - view.positions.size : Infinity;
    for (const symbol of this.universe) {
      const bar = view.newBars.get(symbol);
      // No new bar (a halt, a late listing): nothing new to decide on.
      if (!bar) continue;
      const a = await this.analyzeIfEnoughHistory(symbol);
      if (!a || a.confidence < this.opts.minConfidence) continue;
      const held = view.positions.get(symbol);
      const why = `ensemble ${a.decision} (confidence ${a.confidence.toFixed(2)}, regime ${a.regime.regime}, score ${a.ensemble.score.toFixed(2)})`;
      if (held && a.decision === "SELL") {
        exits.push({ symbol, side: "sell", qty: held.qty, reason: `exit: ${why}` });
      } else if (!held && a.decision === "BUY" && slotsFree > 0) {
        const size = sizeEntry(this.opts.sizing, { equity: view.equity, cash, close: bar.close, atr: a.indicators["atr(14)"] ?? null });
        if (size.qty <= 0) continue;
        const stopLoss = "stopLoss" in size && size.stopLoss !== undefined ? size.stopLoss : (a.stop ?? undefined);
        entries.push({ symbol, side: "buy", qty: size.qty, reason: `entry: ${why}`, ...(stopLoss !== undefined ? { stopLoss } : {}) });
        cash -= size.qty * bar.close;
        slotsFree--;
      }
    }
    return [...exits, ...entries];
  }
}

/** Never trades: the replay, the broker and the equity curve only. */
export class NullStrategy implements Strategy {
  readonly name = "null";
  readonly warmupBars = 0;
  warm(): void {}
  onStep(): OrderPlan[] {
    return [];
  }
}
