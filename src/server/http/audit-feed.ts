import type { AuditLog, AuditRecord } from "../../audit/audit-log.js";

export type AuditListener = (row: AuditRecord) => void;

/**
 * New audit rows as a stream. The audit log is the one record of everything that happens
 * (a proposal from the model, a fill, an approval typed in another terminal), so the
 * console follows it rather than hooks in each manager. It polls the head — rows written
 * by other processes on the same database arrive too — and only while someone listens.
 */
export class AuditFeed {
  private readonly listeners = new Set<AuditListener>();
  private timer: NodeJS.Timeout | undefined;
  private lastSeq = 0;

  constructor(
    private readonly audit: AuditLog,
    private readonly pollMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  subscribe(listener: AuditListener): () => void {
    if (this.listeners.size === 0) {
      this.lastSeq = this.audit.head()?.seq ?? 0;
      this.timer = setInterval(() => this.poll(), this.pollMs);
      this.timer.unref();
    }
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Rows after `seq`, oldest first (for a reconnecting client's Last-Event-ID). */
  since(seq: number, limit: number): AuditRecord[] {
    return this.audit.after(seq, limit);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    try {
      const head = this.audit.head()?.seq ?? 0;
      while (head > this.lastSeq) {
        const rows = this.since(this.lastSeq, 500);
        if (rows.length === 0) break;
        for (const row of rows) for (const l of this.listeners) l(row);
        this.lastSeq = rows.at(-1)!.seq;
      }
    } catch (err) {
      this.onError(err);
    }
  }
}
