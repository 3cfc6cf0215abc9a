import { and, desc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { proposals } from "../db/schema.js";
import type { CheckResult } from "../risk/types.js";
import type { RiskLimits } from "../risk/limits.js";
import type { OrderIntent } from "../risk/types.js";

export const PROPOSAL_STATUSES = ["awaiting_approval", "blocked", "approved", "submitting", "submitted", "rejected", "expired", "failed"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface Proposal {
  id: string;
  createdAt: number;
  expiresAt: number;
  status: ProposalStatus;
  mode: "paper" | "live";
  broker: string;
  intent: OrderIntent;
  contentHash: string;
  checks: CheckResult[];
  limits: RiskLimits;
  warnings: string[];
  estimatedNotional: number | null;
  referencePrice: number | null;
  rationale: string | null;
  analysisId: string | null;
  decidedAt: number | null;
  decidedBy: string | null;
  decisionChannel: string | null;
  decisionReason: string | null;
  brokerOrderId: string | null;
  submittedAt: number | null;
  error: string | null;
}

/** Proposals table access. Status changes are compare-and-set, so two racing approvals cannot both win. */
export class ProposalStore {
  // Read before every firewall evaluation: built once instead of on every call.
  private readonly recentQuery;
  private readonly submittedSinceQuery;
  private readonly dueQuery;

  constructor(private readonly db: Db) {
    this.recentQuery = db.select().from(proposals).where(gte(proposals.createdAt, sql.placeholder("since"))).prepare();
    this.submittedSinceQuery = db.select().from(proposals).where(and(inArray(proposals.status, ["submitting", "submitted"]), gte(proposals.submittedAt, sql.placeholder("since")))).prepare();
    this.dueQuery = db.select().from(proposals).where(and(eq(proposals.status, "awaiting_approval"), lte(proposals.expiresAt, sql.placeholder("now")))).prepare();
  }

  insert(p: Proposal): void {
    this.db.insert(proposals).values(p).run();
  }

  get(id: string): Proposal | undefined {
    return this.db.select().from(proposals).where(eq(proposals.id, id)).get() as Proposal | undefined;
  }

  /**
   * Moves a proposal from one of `from` to `to` with the given fields, only if it is still
   * in one of `from` (and, when `notExpiredAt` is set, not expired then). Returns whether
   * this call made the change.
   */
  transition(id: string, from: readonly ProposalStatus[], to: ProposalStatus, fields: Partial<Proposal> = {}, notExpiredAt?: number): boolean {
    const conds: SQL[] = [eq(proposals.id, id), inArray(proposals.status, [...from])];
    if (notExpiredAt !== undefined) conds.push(gte(proposals.expiresAt, notExpiredAt));
    const r = this.db.update(proposals).set({ ...fields, status: to }).where(and(...conds)).run();
    return r.changes === 1;
  }

  list(filter: { status?: ProposalStatus[]; limit: number }): Proposal[] {
    const q = this.db.select().from(proposals);
    const rows = filter.status ? q.where(inArray(proposals.status, filter.status)) : q;
    return rows.orderBy(desc(proposals.createdAt)).limit(filter.limit).all() as Proposal[];
  }

  /** Awaiting proposals whose expiry has passed at `now`. */
  dueForExpiry(now: number): Proposal[] {
    return this.dueQuery.all({ now }) as Proposal[];
  }

  /** Proposals created since `since` (for duplicate detection) and sent toward a broker since then (for the rate throttle). */
  recent(since: number): Proposal[] {
    return this.recentQuery.all({ since }) as Proposal[];
  }

  submittedSince(since: number): Proposal[] {
    return this.submittedSinceQuery.all({ since }) as Proposal[];
  }
}
