import { z } from "zod";
import { AUDIT_KINDS, AUDIT_LIST_MAX } from "../../audit/audit-log.js";

/**
 * The REST API's route table, in one place so the router and the OpenAPI document are
 * generated from the same list. Tool routes carry no logic of their own: each maps a
 * path (and its query string) onto one registry tool, so REST answers exactly what MCP does.
 */

/** Who may call a route. `client`: the MCP token or better; `approver`: the approver token or a console session. */
export type Role = "client" | "approver";

/**
 * `GET <path>` answered by one tool: path parameters and the query string become its
 * arguments (every tool input not in the path may be given in the query).
 */
export interface ResourceRoute {
  /** Express-style path under /api/v1, e.g. `/bars/:symbol`. */
  path: string;
  tool: string;
  summary: string;
}

export const RESOURCE_ROUTES: readonly ResourceRoute[] = [
  { path: "/symbols", tool: "list_symbols", summary: "Symbols in the database with their coverage" },
  { path: "/bars/:symbol", tool: "get_bars", summary: "OHLCV bars of one symbol" },
  { path: "/analyses", tool: "list_analyses", summary: "The analysis log, newest first" },
  { path: "/analyses/:analysisId", tool: "explain_signal", summary: "Everything behind one logged analysis" },
  { path: "/proposals", tool: "list_proposals", summary: "Order proposals, newest first" },
  { path: "/proposals/:proposalId", tool: "get_proposal", summary: "One order proposal with its firewall checks" },
  { path: "/orders", tool: "get_orders", summary: "Broker orders and the proposals awaiting a decision" },
  { path: "/fills", tool: "get_fills", summary: "Executions, oldest first" },
  { path: "/positions", tool: "get_positions", summary: "Open positions with unrealised P&L" },
  { path: "/account", tool: "get_account", summary: "Cash, equity and buying power" },
  { path: "/risk", tool: "get_risk_status", summary: "Trading state, limits in force and pending proposals" },
];

/** Human-only decisions: body schemas, validated at the boundary. */
export const decisionBody = z.object({
  decision: z.enum(["approve", "reject"]),
  reason: z.string().max(500).optional(),
  /** Who is deciding, for the audit log (the token proves the right; this names the person). */
  approver: z.string().min(1).max(100).optional(),
});

export const haltBody = z.object({
  reason: z.string().min(1).max(500).optional(),
  approver: z.string().min(1).max(100).optional(),
});

export const resumeBody = z.object({
  /** HALTED is reached with /trading/halt (which also cancels open orders), not here. */
  state: z.enum(["ACTIVE", "REDUCING"]).default("ACTIVE"),
  reason: z.string().min(1).max(500).optional(),
  approver: z.string().min(1).max(100).optional(),
});

export const auditQuery = z.object({
  kind: z.enum(AUDIT_KINDS).optional(),
  subject: z.string().min(1).max(200).optional(),
  beforeSeq: z.coerce.number().int().positive().optional(),
  afterSeq: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().positive().max(AUDIT_LIST_MAX).default(100),
}).strict();

/** What the copilot spent on the answer that ran an analysis (src/agent, remote mode). */
export const llmUsageBody = z.object({
  provider: z.string().min(1).max(40),
  model: z.string().min(1).max(200),
  prompt: z.string().max(100_000),
  response: z.string().max(100_000),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  latencyMs: z.number().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
}).strict();

export const loginBody = z.object({ token: z.string().min(1).max(500) });

/** Routes that are not tools: the approver's decisions, the audit log and the live feed. */
export interface HumanRoute {
  method: "get" | "post";
  path: string;
  role: Role;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** `text/event-stream` for the live feed; JSON otherwise. */
  stream?: boolean;
}

export const HUMAN_ROUTES: readonly HumanRoute[] = [
  { method: "post", path: "/approvals/:proposalId", role: "approver", summary: "Approve or reject a proposal (the firewall runs again before submission)", body: decisionBody },
  { method: "post", path: "/trading/halt", role: "approver", summary: "Kill switch: HALTED, open orders canceled, pending proposals rejected", body: haltBody },
  { method: "post", path: "/trading/resume", role: "approver", summary: "Leave HALTED or REDUCING", body: resumeBody },
  { method: "get", path: "/audit", role: "approver", summary: "Audit log rows, newest first", query: auditQuery },
  {
    method: "post",
    path: "/analyses/:analysisId/llm-usage",
    role: "client",
    summary: "Record the language model, tokens, latency and estimated cost of the copilot answer that ran this analysis (written once, audited)",
    body: llmUsageBody,
  },
  { method: "post", path: "/audit/verify", role: "client", summary: "Recompute the audit hash chain" },
  { method: "get", path: "/events", role: "approver", summary: "Server-sent events: one `audit` event per new audit row, and a `clock` event with the server's time", stream: true },
];
