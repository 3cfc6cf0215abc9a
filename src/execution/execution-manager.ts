import { randomBytes } from "node:crypto";
import type { ArgusConfig } from "../core/config.js";
import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { DataManager } from "../data/data-manager.js";
import { AUDIT_LIST_MAX, type AuditEntry, type AuditLog, type AuditRecord } from "../audit/audit-log.js";
import { toExchangeIso } from "../data/calendar/zone.js";
import type { RiskFirewall } from "../risk/firewall.js";
import type { RiskLimits } from "../risk/limits.js";
import type { EquityMarks, TradingStateStore } from "../risk/state-store.js";
import type { FirewallResult, OrderIntent, TradingState } from "../risk/types.js";
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

const FILL_KINDS = ["order.filled", "order.partially_filled"] as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * How long after its own timestamp a fill may first show up at the broker, so that the
 * fill audit looks back this far behind the newest fill it recorded. Fill times are not
 * the order in which fills appear: the paper broker stamps a fill at the opening print
 * of a daily bar (09:30) but can only know it once that bar is complete (16:00), while
 * minute-bar fills of other symbols appear within a minute; bars imported late (a data
 * refresh after a weekend away) produce fills days in the past. Alpaca reports fills as
 * they happen, give or take its own lag.
 */
const FILL_LOOKBACK_MS: Record<Broker["name"], number> = { paper: 7 * DAY, alpaca: DAY };
/** How far the broker's clock (fill times) and ours (audit rows' ts) may disagree. */
const CLOCK_SKEW_MS = 10 * 60_000;
const QTY_EPS = 1e-6;

/** The fill time recorded in an order.filled / order.partially_filled row (ms, to the second), or null. */
function auditedFillTime(r: AuditRecord): number | null {
  const time = (r.payload as { time?: unknown } | null)?.time;
  const t = typeof time === "string" ? Date.parse(time) : NaN;
  return Number.isFinite(t) ? t : null;
}

function auditedFillId(r: AuditRecord): string | null {
  const id = (r.payload as { fillId?: unknown } | null)?.fillId;
  return typeof id === "string" ? id : null;
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
  /** Ids of the fills the last auditNewFills fetched, all audited by then (they stay audited): a quiet poll ends here. */
  private auditedFillsLastSeen = new Set<string>();

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
  async propose(intentIn: OrderIntent, meta: { rationale?: string; analysisId?: string } = {}): Promise<Proposal> {
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
    this.audit.append({ kind: "proposal.created", actor: "model", channel: "mcp", subject: proposal.id, payload: { intent, contentHash: hash, mode: proposal.mode, broker: proposal.broker, rationale: proposal.rationale, analysisId: proposal.analysisId } });
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

  /**
   * Records every broker fill the audit log does not have yet, oldest first, one row per
   * fill: `order.filled` for the fill that completed its order, `order.partially_filled`
   * for any other; actor "system", channel "broker", subject the fill's client order id
   * (the proposal id, for orders Argus submitted). Returns how many rows it wrote.
   *
   * Safe to run from several processes on the same database file at once (the server's
   * watcher and a CLI): the broker is asked first, then one IMMEDIATE transaction
   * re-reads which fill ids are already audited and appends only the others, so a fill is
   * never written twice; fills sharing a timestamp are told apart by id.
   *
   * Which fills are asked for: those from the newest audited fill's time minus
   * FILL_LOOKBACK_MS (a fill can appear later than fills with later timestamps); with no
   * fill audited yet, from the log's first row (nothing earlier can be an Argus order).
   * Already-audited ids are looked up only among audit rows written in that window, and
   * not at all when every fetched fill was already audited at the previous call (the
   * usual poll): then a call costs the broker request and two short indexed reads.
   */
  async auditNewFills(): Promise<number> {
    const since = this.fillWindowStart();
    const fills = await this.broker.fills(since === undefined ? undefined : since - 1);
    if (fills.every((f) => this.auditedFillsLastSeen.has(f.id))) return 0;
    // A fill at or after `since` is audited at or after since − skew (rows are written after
    // their fill, and ts grows with seq), so only rows from this seq on can hold one.
    const fromSeq = since === undefined ? 1 : this.firstAuditSeqAt(since - CLOCK_SKEW_MS);
    const seen = this.auditedFillIds(fromSeq);
    if (fills.every((f) => seen.has(f.id))) {
      this.auditedFillsLastSeen = new Set(fills.map((f) => f.id));
      return 0;
    }

    const orders = new Map<string, BrokerOrder>();
    for (const f of fills) {
      if (!seen.has(f.id) && !orders.has(f.orderId)) orders.set(f.orderId, await this.broker.getOrder(f.orderId));
    }
    const entries = this.fillEntries(fills, orders, since);
    const written = this.audit.writeTransaction(() => {
      // Another process may have written some of them since `seen` was read: read again, under the write lock.
      const audited = this.auditedFillIds(fromSeq);
      const fresh = entries.filter((e) => !audited.has(e.fillId)).map((e) => e.entry);
      this.audit.appendMany(fresh);
      return fresh.length;
    });
    this.auditedFillsLastSeen = new Set(fills.map((f) => f.id));
    return written;
  }

  /**
   * One audit entry per fill whose order was looked up, oldest first. A fill completes
   * its order when the order is now filled, it is the order's last fill in `fills`, and
   * (when the order was placed inside the window, so all its fills are in `fills`) they
   * add up to the order's filled quantity: a fill that lands between the two broker
   * calls makes the earlier one a partial fill, not a second completion.
   */
  private fillEntries(fills: readonly Fill[], orders: ReadonlyMap<string, BrokerOrder>, since: number | undefined): { fillId: string; entry: AuditEntry }[] {
    const last = new Map<string, Fill>();
    const qty = new Map<string, number>();
    for (const f of fills) {
      last.set(f.orderId, f);
      qty.set(f.orderId, (qty.get(f.orderId) ?? 0) + f.qty);
    }
    const out: { fillId: string; entry: AuditEntry }[] = [];
    const ordered = fills.map((f, i) => ({ f, i })).sort((a, b) => a.f.t - b.f.t || a.i - b.i);
    for (const { f } of ordered) {
      const order = orders.get(f.orderId);
      if (!order) continue; // already audited: no order was looked up for it
      const isLast = last.get(f.orderId) === f;
      const allFillsKnown = since === undefined || order.submittedAt >= since;
      const completes = isLast && order.status === "filled" && (!allFillsKnown || Math.abs(qty.get(f.orderId)! - order.filledQty) <= QTY_EPS * Math.max(1, order.filledQty));
      const status = completes ? "filled" : isLast && order.status !== "filled" ? order.status : "partially_filled";
      out.push({
        fillId: f.id,
        entry: {
          kind: completes ? "order.filled" : "order.partially_filled",
          actor: "system",
          channel: "broker",
          subject: f.clientOrderId,
          payload: { fillId: f.id, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, time: toExchangeIso(f.t), status },
        },
      });
    }
    return out;
  }

  /** Where the fill audit starts asking the broker: see auditNewFills. Undefined: from the beginning. */
  private fillWindowStart(): number | undefined {
    const head = this.audit.head();
    if (!head) return undefined;
    if (head.seq < this.fillCursor.seq) this.fillCursor = { seq: 0, time: null }; // not the log this instance read
    // Head first: rows appended meanwhile are seen by the queries below and again next time.
    for (const kind of FILL_KINDS) {
      // The newest row of each kind since the last look; the log before it was read already.
      const [row] = this.audit.list({ kind, limit: 1, afterSeq: this.fillCursor.seq });
      const t = row ? auditedFillTime(row) : null;
      if (t !== null && (this.fillCursor.time === null || t > this.fillCursor.time)) this.fillCursor.time = t;
    }
    this.fillCursor.seq = head.seq;
    if (this.fillCursor.time !== null) return this.fillCursor.time - FILL_LOOKBACK_MS[this.broker.name];
    const [first] = this.audit.list({ limit: 1, beforeSeq: 2 });
    return first ? first.ts - CLOCK_SKEW_MS : undefined;
  }

  /** The first audit seq whose ts is at or after `t` (head + 1 when none): a binary search over point reads, ts growing with seq. */
  private firstAuditSeqAt(t: number): number {
    const head = this.audit.head();
    if (!head) return 1;
    let lo = 1;
    let hi = head.seq + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [row] = this.audit.list({ limit: 1, beforeSeq: mid + 1 });
      if (row && row.ts >= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Fill ids in the order.filled / order.partially_filled rows from `fromSeq` on. */
  private auditedFillIds(fromSeq: number): Set<string> {
    const ids = new Set<string>();
    for (const kind of FILL_KINDS) {
      let beforeSeq: number | undefined;
      for (;;) {
        const page = this.audit.list({ kind, limit: AUDIT_LIST_MAX, afterSeq: fromSeq - 1, ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
        for (const r of page) {
          const id = auditedFillId(r);
          if (id !== null) ids.add(id);
        }
        if (page.length < AUDIT_LIST_MAX) break;
        beforeSeq = page[page.length - 1]!.seq;
      }
    }
    return ids;
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
