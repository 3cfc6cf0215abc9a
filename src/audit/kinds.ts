/**
 * Every kind of event the audit log records. A closed list: `AuditLog.append` rejects
 * anything else, so a reader (a human, `argus audit export`, a compliance script) can
 * rely on knowing every kind that can appear. Kinds are only ever added, never renamed.
 */
export const AUDIT_KINDS = [
  "proposal.created",
  "proposal.checked",
  "proposal.approved",
  "proposal.rejected",
  "proposal.expired",
  "proposal.auto_approved",
  "order.submitting",
  "order.submitted",
  "order.submit_uncertain",
  "order.reconciled",
  "order.rejected",
  "order.filled",
  "order.partially_filled",
  "order.canceled",
  "order.cancel_requested",
  "order.expired",
  "killswitch.tripped",
  "state.changed",
  "limits.changed",
  "mode.changed",
  "analysis.logged",
  "analysis.llm_recorded",
] as const;

export type AuditKind = (typeof AUDIT_KINDS)[number];

const KIND_SET: ReadonlySet<string> = new Set(AUDIT_KINDS);

export function isAuditKind(value: unknown): value is AuditKind {
  return typeof value === "string" && KIND_SET.has(value);
}
