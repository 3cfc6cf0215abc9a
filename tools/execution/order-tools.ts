import { z } from "zod";
import { orderIntentSchema } from "../../src/execution/intent.js";
import { defineTool, MODEL_OVER_MCP, READ_ONLY, type ElicitationRequest, type ToolContext } from "../spec.js";
import { firewallOut, firewallShape, orderOut, orderShape, proposalOut, proposalShape } from "./shapes.js";
import { PROPOSAL_STATUSES, type Proposal } from "../../src/execution/proposal-store.js";

/** Order tools may change the account: they say so (destructiveHint), and none of them approves. */
const ORDER_WRITE = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true } as const;

export const checkOrder = defineTool({
  name: "check_order",
  title: "Check an order against the risk firewall",
  description:
    "Dry run: evaluates an order against every risk check (trading state, symbol lists, order shape, price sanity and tick size, duplicates, fresh price, " +
    "price collar, fat-finger caps, position sizing from the stop, position/exposure/sector limits, buying power, shorting, loss limits, drawdown, regime, PDT, order rate) " +
    "and returns each result with its code. Nothing is stored or sent.",
  input: orderIntentSchema,
  output: firewallShape,
  annotations: READ_ONLY,
  async run(input, { app }) {
    return firewallOut(await app.execution.check(input));
  },
  summarize(o) {
    return o.approved
      ? `Passes all ${o.checks.length} checks (estimated notional ${o.estimate.notional?.toFixed(2) ?? "n/a"}).${o.warnings.length ? ` Warnings: ${o.warnings.join("; ")}` : ""}`
      : `Blocked by ${o.failedChecks.join(", ")}: ${o.checks.filter((c) => !c.passed).map((c) => c.detail).join(" ")}`;
  },
});

function approvalForm(p: Proposal): ElicitationRequest {
  const i = p.intent;
  const size = i.qty !== undefined ? `${i.qty} shares` : `$${i.notional}`;
  const price = i.limitPrice !== undefined ? ` limit ${i.limitPrice}` : i.stopPrice !== undefined ? ` stop ${i.stopPrice}` : "";
  const warnings = p.warnings.length > 0 ? `\nWarnings: ${p.warnings.join("; ")}` : "";
  return {
    message:
      `Approve this ${p.mode.toUpperCase()} order?\n${i.side.toUpperCase()} ${size} ${i.symbol} ${i.type}${price} (${i.timeInForce})\n` +
      `Estimated notional: ${p.estimatedNotional === null ? "unknown" : `$${p.estimatedNotional.toFixed(2)}`} at reference ${p.referencePrice ?? "n/a"}\n` +
      `All ${p.checks.length} risk checks passed.${warnings}\nProposal ${p.id}, expires ${new Date(p.expiresAt).toISOString()}.`,
    requestedSchema: {
      type: "object",
      properties: { approve: { type: "boolean", title: "Submit this order", description: "Tick to send the order to the broker" } },
      required: ["approve"],
    },
  };
}

async function askHuman(p: Proposal, ctx: ToolContext): Promise<Proposal> {
  if (!ctx.elicit || p.status !== "awaiting_approval" || !ctx.app.config.execution.elicitationApproval) return p;
  const answer = await ctx.elicit(approvalForm(p));
  if (answer.action === "accept" && answer.content?.approve === true) {
    return (await ctx.app.execution.approve(p.id, { actor: "human:mcp-client-user", channel: "elicitation" })).proposal;
  }
  if (answer.action === "decline" || answer.action === "accept") {
    return ctx.app.execution.reject(p.id, { actor: "human:mcp-client-user", channel: "elicitation" }, "declined in the client");
  }
  return p; // cancel: the user dismissed the form; the proposal still awaits an out-of-band decision
}

export const proposeOrder = defineTool({
  name: "propose_order",
  title: "Propose an order (a human must approve it)",
  description:
    "Proposes an order. The risk firewall evaluates it first; if it passes, a proposal awaits a HUMAN decision and nothing is sent. " +
    "When your client supports elicitation, the user is asked right away; otherwise they approve out of band (terminal or approval console). " +
    "You cannot approve, and no argument makes the order go through: a `confirm` flag is not an approval. Check the returned status.",
  input: orderIntentSchema.extend({
    rationale: z.string().max(2000).optional().describe("Why: shown to the approver and kept in the audit log"),
    analysisId: z.string().max(100).optional().describe("The analyze_ticker result this order acts on"),
  }),
  output: proposalShape.extend({ order: orderShape.nullable() }),
  annotations: ORDER_WRITE,
  async run(input, ctx) {
    const { rationale, analysisId, ...intent } = input;
    const created = await ctx.app.execution.propose(intent, { caller: ctx.caller ?? MODEL_OVER_MCP, ...(rationale ? { rationale } : {}), ...(analysisId ? { analysisId } : {}) });
    const p = await askHuman(created, ctx);
    const order = p.brokerOrderId ? await ctx.app.execution.orders({ status: "all", limit: 50 }).then((os) => os.find((o) => o.id === p.brokerOrderId) ?? null) : null;
    return { ...proposalOut(p), order: order ? orderOut(order) : null };
  },
  summarize(o) {
    const what = `${o.intent.side.toUpperCase()} ${o.intent.qty ?? `$${o.intent.notional}`} ${o.intent.symbol}`;
    switch (o.status) {
      case "awaiting_approval":
        return `Proposal ${o.proposalId} (${what}, ${o.mode}) passed the firewall and awaits a human's approval; nothing was sent. ${o.howToApprove}`;
      case "blocked":
        return `Blocked by the risk firewall (${o.failedChecks.join(", ")}): ${o.checks.filter((c) => !c.passed).map((c) => c.detail).join(" ")}`;
      case "submitted":
        return `Approved by ${o.decidedBy} via ${o.decisionChannel} and submitted: order ${o.brokerOrderId} (${o.order?.status ?? "?"}).`;
      case "rejected":
        return `Rejected by ${o.decidedBy}${o.decisionReason ? `: ${o.decisionReason}` : ""}; nothing was sent.`;
      default:
        return `Proposal ${o.proposalId} is ${o.status}${o.error ? `: ${o.error}` : ""}.`;
    }
  },
});

export const getProposal = defineTool({
  name: "get_proposal",
  title: "Get a proposal",
  description: "A proposal's status (awaiting_approval, blocked, approved, submitted, rejected, expired, failed), its checks, who decided and through which channel, and the broker order id once submitted.",
  input: z.object({ proposalId: z.string().min(1).max(100) }),
  output: proposalShape,
  annotations: READ_ONLY,
  run(input, { app }) {
    return proposalOut(app.execution.getProposal(input.proposalId));
  },
  summarize(o) {
    return `Proposal ${o.proposalId}: ${o.status}${o.decidedBy ? ` (by ${o.decidedBy} via ${o.decisionChannel})` : ""}${o.brokerOrderId ? `, order ${o.brokerOrderId}` : ""}.`;
  },
});

export const listProposals = defineTool({
  name: "list_proposals",
  title: "List proposals",
  description:
    "Order proposals, newest first, with their status, checks, who decided and through which channel, and the broker order id once submitted. " +
    "Use it to find out whether a human has decided your proposals: approval and rejection happen out of band (a terminal, the approval console, or your client's prompt), " +
    "never through a tool, and may come any time after propose_order returned. Filter by `status` (awaiting_approval, blocked, approved, submitting, submitted, rejected, expired, failed). " +
    "Proposals left undecided past their expiry are marked expired first.",
  input: z.object({
    status: z.array(z.enum(PROPOSAL_STATUSES)).min(1).max(10).optional().describe("Only these statuses (default: all)"),
    limit: z.number().int().min(1).max(500).default(50).describe("At most this many, newest first (default 50)"),
  }),
  output: z.object({ count: z.number().int(), proposals: z.array(proposalShape) }),
  annotations: READ_ONLY,
  run(input, { app }) {
    const proposals = app.execution.listProposals({ limit: input.limit, ...(input.status ? { status: input.status } : {}) }).map(proposalOut);
    return { count: proposals.length, proposals };
  },
  summarize(o) {
    if (o.count === 0) return "No proposals.";
    const byStatus = new Map<string, number>();
    for (const p of o.proposals) byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + 1);
    return `${o.count} proposals (${[...byStatus].map(([s, n]) => `${n} ${s}`).join(", ")}); newest ${o.proposals[0]!.proposalId} is ${o.proposals[0]!.status}.`;
  },
});

export const cancelOrder = defineTool({
  name: "cancel_order",
  title: "Cancel an open order",
  description: "Cancels an open order at the broker by its order id. Cancels only reduce risk, so they skip the firewall, but they are audited.",
  input: z.object({ orderId: z.string().min(1).max(100) }),
  output: orderShape,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async run(input, { app, caller }) {
    return orderOut(await app.execution.cancel(input.orderId, caller ?? MODEL_OVER_MCP));
  },
  summarize(o) {
    return `Order ${o.id} (${o.symbol}) is ${o.status}.`;
  },
});
