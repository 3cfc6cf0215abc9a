import { randomBytes } from "node:crypto";
import type { ArgusConfig } from "../core/config.js";
import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { DataManager } from "../data/data-manager.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { RiskFirewall } from "../risk/firewall.js";
import type { RiskLimits } from "../risk/limits.js";
import type { EquityMarks, TradingStateStore } from "../risk/state-store.js";
import type { FirewallResult, OrderIntent, TradingState } from "../risk/types.js";
import type { FillAudit } from "./fill-audit.js";
import { contentHash, normalizeIntent } from "./intent.js";
import type { ModeInfo } from "./mode.js";
import type { Proposal, ProposalStore } from "./proposal-store.js";
import { buildRiskContext } from "./risk-context.js";
import { BrokerError, type Account, type Broker, type BrokerOrder, type Fill, type OrderFilter, type Position } from "./types.js";

/** Who decided, and through which channel the model cannot use. */
export interface Approver {
  actor: string;
  channel: "elicitation" | "cli" | "rest" | "console" | "policy";
}

export interface ApprovalOutcome {
  proposal: Proposal;
  order: BrokerOrder | null;
  recheck: FirewallResult | null;
}

function newProposalId(): string {
  // ≤ 48 characters (Alpaca's client_order_id limit), unguessable.
  return `argus-${randomBytes(12).toString("hex")}`;
}

/**
 * ExecutionManager owns proposals, approvals, orders and the broker (DESIGN §3–4). Its
 * only path to the broker is `submitApproved`, reached only from `approve` after a
 * human decision and a fresh firewall pass; nothing else in the codebase holds the broker.
 */
export class ExecutionManager {
  /**
   * What this instance already knows of the audited fills: every fill row up to audit
   * row `seq` has been looked at, and `time` is the newest fill time among them. The log
   * is append-only, so this only grows; it keeps the cursor read to the rows since.
   */
  private fillCursor: { seq: number; time: number | null } = { seq: 0, time: null };

  constructor(
    private readonly broker: Broker,
    private readonly firewall: RiskFirewall,
    private readonly proposals: ProposalStore,
    private readonly state: TradingStateStore,
    private readonly equityMarks: EquityMarks,
    private readonly audit: AuditLog,
    private readonly data: DataManager,
    private readonly clock: Clock,
    readonly mode: ModeInfo,
    private readonly limits: () => RiskLimits,
    private readonly regimeThresholds: ArgusConfig["analysis"]["regime"],
    private readonly logger: Logger,
    private readonly fillAudit: FillAudit,
  ) {}

  get brokerName(): string {
    return this.broker.name;
  }

  tradingState(): { state: TradingState; reason: string; changedAt: number; changedBy: string } {
    return this.state.get();
  }

  private async evaluate(intent: OrderIntent, hash: string, excludeProposalId?: string): Promise<FirewallResult> {
    const limits = this.limits();
    const ctx = await buildRiskContext({
      intent,
      contentHash: hash,
      ...(excludeProposalId ? { excludeProposalId } : {}),
      broker: this.broker,
      data: this.data,
      clock: this.clock,
      proposals: this.proposals,
      equityMarks: this.equityMarks,
      state: this.state.get().state,
      limits,
      mode: this.mode.mode,
      regimeThresholds: this.regimeThresholds,
    });
    const result = this.firewall.evaluate(intent, ctx);
    await this.applySignals(result);
    return result;
  }

  /** Loss limits and drawdown move the trading state (and may trip the kill switch) on their own. */
  private async applySignals(result: FirewallResult): Promise<void> {
    const s = this.firewall.signals(result);
    if (s.killSwitch) {
      await this.killSwitch({ actor: "system", channel: "policy" }, s.reason);
      return;
    }
    const current = this.state.get().state;
    const rank = { ACTIVE: 0, REDUCING: 1, HALTED: 2 } as const;
    if (s.stateShouldBe && rank[s.stateShouldBe] > rank[current]) {
      this.state.set(s.stateShouldBe, s.reason, "system");
      this.audit.append({ kind: "state.changed", actor: "system", channel: "system", subject: "trading-state", payload: { from: current, to: s.stateShouldBe, reason: s.reason } });
    }
  }

  /** The firewall's verdict on an order, storing nothing: what propose would say. */
  async check(intentIn: OrderIntent): Promise<FirewallResult> {
    const intent = normalizeIntent(intentIn);
    return this.evaluate(intent, contentHash(intent));
  }

  /**
   * Records a proposal after a dry run of the firewall. Nothing is sent. A proposal that
   * fails a check is stored as `blocked` (so the approver and the audit log see why) and
   * can never be approved.
   */
  async propose(intentIn: OrderIntent, meta: { rationale?: string; analysisId?: string; caller?: { actor: string; channel: string } } = {}): Promise<Proposal> {
    this.expireDue();
    const intent = normalizeIntent(intentIn);
    const hash = contentHash(intent);
    const result = await this.evaluate(intent, hash);
    const now = this.clock.now();
    const limits = result.limits;
    const proposal: Proposal = {
      id: newProposalId(),
      createdAt: now,
      expiresAt: now + limits.proposalTtlSeconds * 1000,
      status: result.approved ? "awaiting_approval" : "blocked",
      mode: this.mode.mode,
      broker: this.broker.name,
      intent,
      contentHash: hash,
      checks: result.checks,
      limits,
      warnings: result.warnings,
      estimatedNotional: result.estimate.notional,
      referencePrice: result.estimate.price,
      rationale: meta.rationale ?? null,
      analysisId: meta.analysisId ?? null,
      decidedAt: null,
      decidedBy: null,
      decisionChannel: null,
      decisionReason: null,
      brokerOrderId: null,
      submittedAt: null,
      error: null,
    };
    this.proposals.insert(proposal);
    const caller = meta.caller ?? { actor: "model", channel: "mcp" };
    this.audit.append({ kind: "proposal.created", actor: caller.actor, channel: caller.channel, subject: proposal.id, payload: { intent, contentHash: hash, mode: proposal.mode, broker: proposal.broker, rationale: proposal.rationale, analysisId: proposal.analysisId } });
    this.audit.append({ kind: "proposal.checked", actor: "system", channel: "system", subject: proposal.id, payload: { approved: result.approved, checks: result.checks, limits, estimate: result.estimate } });
    const auto = limits.autoApprovePaper;
    if (result.approved && auto.enabled && this.mode.mode === "paper" && result.estimate.notional !== null && result.estimate.notional <= auto.maxNotional) {
      const outcome = await this.approve(proposal.id, { actor: "policy:auto-approve", channel: "policy" });
      return outcome.proposal;
    }
    return proposal;
  }

  getProposal(id: string): Proposal {
    this.expireDue();
    const p = this.proposals.get(id);
    if (!p) throw new ArgusError("UNKNOWN_PROPOSAL", `No proposal with id ${id}; list them with \`argus proposals\`.`, { id });
    return p;
  }

  listProposals(filter: { status?: Proposal["status"][]; limit: number }): Proposal[] {
    this.expireDue();
    return this.proposals.list(filter);
  }

  /** Marks awaiting proposals whose time is up as expired, and audits each. */
  expireDue(): number {
    const due = this.proposals.dueForExpiry(this.clock.now());
    let n = 0;
    for (const p of due) {
      if (this.proposals.transition(p.id, ["awaiting_approval"], "expired", { decidedAt: this.clock.now(), decidedBy: "system", decisionChannel: "system", decisionReason: "expired without a decision" })) {
        this.audit.append({ kind: "proposal.expired", actor: "system", channel: "system", subject: p.id, payload: { expiresAt: p.expiresAt } });
        n++;
      }
    }
    return n;
  }

  /**
   * A human approves: the proposal must still await approval and be unexpired (a
   * compare-and-set, so of two racing approvals one wins), its stored contents must
   * still hash to what was shown, and the firewall must pass again now.
   */
  async approve(id: string, approver: Approver): Promise<ApprovalOutcome> {
    this.expireDue();
    const now = this.clock.now();
    const before = this.proposals.get(id);
    if (!before) throw new ArgusError("UNKNOWN_PROPOSAL", `No proposal with id ${id}.`, { id });
    if (contentHash(before.intent) !== before.contentHash) {
      this.audit.append({ kind: "proposal.rejected", actor: "system", channel: "system", subject: id, payload: { reason: "stored contents no longer match the hash that was proposed" } });
      this.proposals.transition(id, ["awaiting_approval"], "rejected", { decidedAt: now, decidedBy: "system", decisionChannel: "system", decisionReason: "contents changed after proposal" });
      throw new ArgusError("PROPOSAL_TAMPERED", `Proposal ${id} was altered after it was proposed; it was rejected. Propose the order again.`, { id });
    }
    const won = this.proposals.transition(id, ["awaiting_approval"], "approved", { decidedAt: now, decidedBy: approver.actor, decisionChannel: approver.channel }, now);
    if (!won) {
      const p = this.proposals.get(id)!;
      throw new ArgusError("PROPOSAL_NOT_PENDING", `Proposal ${id} is ${p.status}${p.decidedBy ? ` (decided by ${p.decidedBy} via ${p.decisionChannel})` : ""}; only a proposal awaiting approval can be approved.`, { id, status: p.status });
    }
    this.audit.append({ kind: approver.channel === "policy" ? "proposal.auto_approved" : "proposal.approved", actor: approver.actor, channel: approver.channel, subject: id, payload: { contentHash: before.contentHash } });

    const recheck = await this.evaluate(before.intent, before.contentHash, id);
    this.audit.append({ kind: "proposal.checked", actor: "system", channel: "system", subject: id, payload: { phase: "on-approval", approved: recheck.approved, checks: recheck.checks } });
    if (!recheck.approved) {
      const failed = recheck.checks.filter((c) => !c.passed).map((c) => c.code);
      this.proposals.transition(id, ["approved"], "blocked", { checks: recheck.checks, error: `failed on re-check: ${failed.join(", ")}` });
      return { proposal: this.proposals.get(id)!, order: null, recheck };
    }
    const order = await this.submitApproved(this.proposals.get(id)!);
    return { proposal: this.proposals.get(id)!, order, recheck };
  }

  /** The one path to the broker: an approved, re-checked proposal, submitted under its own id. */
  private async submitApproved(p: Proposal): Promise<BrokerOrder | null> {
    const now = this.clock.now();
    if (!this.proposals.transition(p.id, ["approved"], "submitting", { submittedAt: now })) return null;
    this.audit.append({ kind: "order.submitting", actor: "system", channel: "system", subject: p.id, payload: { broker: this.broker.name, intent: p.intent } });
    const { stopLoss: _sizingOnly, clientOrderId: _ignored, ...request } = p.intent;
    try {
      const order = await this.broker.submitOrder({ ...request, clientOrderId: p.id });
      this.proposals.transition(p.id, ["submitting"], "submitted", { brokerOrderId: order.id });
      this.audit.append({ kind: "order.submitted", actor: "system", channel: "system", subject: p.id, payload: { orderId: order.id, status: order.status } });
      return order;
    } catch (err) {
      if (err instanceof BrokerError && err.uncertain) {
        // The broker may have it: never resubmit blindly; reconcile by client id.
        this.audit.append({ kind: "order.submit_uncertain", actor: "system", channel: "system", subject: p.id, payload: { error: err.message } });
        return this.reconcileOne(p.id);
      }
      const message = err instanceof Error ? err.message : String(err);
      this.proposals.transition(p.id, ["submitting"], "failed", { error: message });
      this.audit.append({ kind: "order.rejected", actor: "system", channel: "system", subject: p.id, payload: { error: message } });
      throw new ArgusError("BROKER_REJECTED", `The broker rejected the order: ${message}`, { proposalId: p.id });
    }
  }

  /** Finds out whether the broker has an order for a proposal stuck in `submitting`. */
  private async reconcileOne(id: string): Promise<BrokerOrder | null> {
    let order: BrokerOrder | null;
    try {
      order = await this.broker.getOrderByClientId(id);
    } catch (err) {
      this.logger.warn({ proposalId: id, err: (err as Error).message }, "reconcile lookup failed; will retry at next start");
      return null;
    }
    if (order) {
      this.proposals.transition(id, ["submitting"], "submitted", { brokerOrderId: order.id });
      this.audit.append({ kind: "order.reconciled", actor: "system", channel: "system", subject: id, payload: { found: true, orderId: order.id, status: order.status } });
      return order;
    }
    this.audit.append({ kind: "order.reconciled", actor: "system", channel: "system", subject: id, payload: { found: false } });
    return null;
  }

  /**
   * At start: proposals left in `submitting` (the process died between approval and the
   * broker's answer) are looked up by client id. Found → submitted. Not at the broker →
   * resubmitted under the same client id after a fresh firewall pass (the broker refuses a
   * duplicate id, so this cannot double an order); if the re-check fails it is blocked.
   */
  async reconcilePending(): Promise<{ found: number; resubmitted: number; blocked: number }> {
    const stuck = this.proposals.list({ status: ["submitting", "approved"], limit: 1000 });
    const out = { found: 0, resubmitted: 0, blocked: 0 };
    for (const p of stuck) {
      if (p.status === "submitting" && (await this.reconcileOne(p.id))) {
        out.found++;
        continue;
      }
      this.proposals.transition(p.id, ["submitting"], "approved");
      const recheck = await this.evaluate(p.intent, p.contentHash, p.id);
      if (!recheck.approved) {
        this.proposals.transition(p.id, ["approved"], "blocked", { checks: recheck.checks, error: "failed the re-check after a restart" });
        out.blocked++;
        continue;
      }
      if (await this.submitApproved(this.proposals.get(p.id)!)) out.resubmitted++;
    }
    return out;
  }

  reject(id: string, approver: Approver, reason: string): Proposal {
    const now = this.clock.now();
    if (!this.proposals.get(id)) throw new ArgusError("UNKNOWN_PROPOSAL", `No proposal with id ${id}.`, { id });
    if (!this.proposals.transition(id, ["awaiting_approval"], "rejected", { decidedAt: now, decidedBy: approver.actor, decisionChannel: approver.channel, decisionReason: reason })) {
      const p = this.proposals.get(id)!;
      throw new ArgusError("PROPOSAL_NOT_PENDING", `Proposal ${id} is ${p.status}; only a proposal awaiting approval can be rejected.`, { id, status: p.status });
    }
    this.audit.append({ kind: "proposal.rejected", actor: approver.actor, channel: approver.channel, subject: id, payload: { reason } });
    return this.proposals.get(id)!;
  }

  /** Cancels an open order. Cancels skip the firewall (they only reduce risk) but are audited. */
  async cancel(orderId: string, actor: { actor: string; channel: string }): Promise<BrokerOrder> {
    this.audit.append({ kind: "order.cancel_requested", actor: actor.actor, channel: actor.channel, subject: orderId, payload: {} });
    try {
      await this.broker.cancelOrder(orderId);
    } catch (err) {
      if (err instanceof BrokerError && err.kind === "NOT_FOUND") throw new ArgusError("UNKNOWN_ORDER", `No order ${orderId} at the broker; get_orders lists them.`, { orderId });
      if (err instanceof BrokerError) throw new ArgusError("BROKER_REJECTED", `The broker refused to cancel ${orderId}: ${err.message}`, { orderId });
      throw err;
    }
    const order = await this.broker.getOrder(orderId);
    this.audit.append({ kind: "order.canceled", actor: actor.actor, channel: actor.channel, subject: orderId, payload: { status: order.status } });
    return order;
  }

  /** Human-only (CLI, console): halt trading and cancel every open order. */
  async killSwitch(approver: Approver, reason: string): Promise<{ canceled: string[]; failed: string[] }> {
    const from = this.state.get().state;
    this.state.set("HALTED", reason, approver.actor);
    this.audit.append({ kind: "killswitch.tripped", actor: approver.actor, channel: approver.channel, subject: "trading-state", payload: { from, reason } });
    const canceled: string[] = [];
    const failed: string[] = [];
    const open = await this.broker.listOrders({ status: "open", limit: 500 }).catch(() => [] as BrokerOrder[]);
    for (const o of open) {
      try {
        await this.broker.cancelOrder(o.id);
        canceled.push(o.id);
        this.audit.append({ kind: "order.canceled", actor: approver.actor, channel: approver.channel, subject: o.id, payload: { by: "kill switch" } });
      } catch {
        failed.push(o.id);
      }
    }
    for (const p of this.proposals.list({ status: ["awaiting_approval"], limit: 1000 })) {
      this.reject(p.id, { actor: approver.actor, channel: approver.channel }, "kill switch");
    }
    return { canceled, failed };
  }

  /** Human-only: set the trading state (resume after a halt, or reduce). */
  setState(state: TradingState, approver: Approver, reason: string): void {
    const from = this.state.get().state;
    this.state.set(state, reason, approver.actor);
    this.audit.append({ kind: "state.changed", actor: approver.actor, channel: approver.channel, subject: "trading-state", payload: { from, to: state, reason } });
  }

  account(): Promise<Account> {
    return this.broker.account();
  }

  positions(): Promise<Position[]> {
    return this.broker.positions();
  }

  /** Audits broker fills not audited yet (see FillAudit); the server's watcher calls it. */
  auditNewFills(): Promise<number> {
    return this.fillAudit.run();
  }

  /** Fills after a time (all when absent), oldest first. */
  fills(after?: number): Promise<Fill[]> {
    return this.broker.fills(after);
  }

  orders(filter: OrderFilter): Promise<BrokerOrder[]> {
    return this.broker.listOrders(filter);
  }

  /** P&L over a range from the equity marks and the broker's realised P&L. */
  async pnl(from: number, to: number): Promise<{ startEquity: number | null; endEquity: number; change: number | null; realizedPl: number }> {
    const account = await this.broker.account();
    const start = this.equityMarks.at(from)?.equity ?? null;
    const end = to >= this.clock.now() ? account.equity : (this.equityMarks.at(to)?.equity ?? account.equity);
    return { startEquity: start, endEquity: end, change: start === null ? null : end - start, realizedPl: account.realizedPl };
  }
}
