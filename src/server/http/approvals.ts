import { randomUUID } from "node:crypto";
import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import type { App } from "../../app.js";
import { isArgusError } from "../../core/errors.js";
import { bearerAuth } from "../mcp/http-guards.js";

const decisionSchema = z.object({
  decision: z.enum(["approve", "reject"]),
  reason: z.string().max(500).optional(),
  /** Who is deciding, for the audit log (the token proves the right; this names the person). */
  approver: z.string().min(1).max(100).optional(),
});

function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message }, requestId: randomUUID() });
}

/**
 * Out-of-band approval (DESIGN §4): `POST /api/v1/approvals/:id` with the APPROVER token,
 * a different secret from the MCP token, so a model holding the MCP token cannot approve.
 */
export function approvalsRouter(app: App, approverToken: () => string): Router {
  const router = express.Router();
  router.use(bearerAuth(approverToken));
  router.use(express.json({ limit: 10_000 }));
  router.get("/proposals/:id", (req: Request, res: Response) => {
    try {
      res.json({ proposal: app.execution.getProposal(String(req.params.id)) });
    } catch (err) {
      if (isArgusError(err)) sendError(res, err.code === "UNKNOWN_PROPOSAL" ? 404 : 400, err.code, err.message);
      else sendError(res, 500, "INTERNAL", "Internal error.");
    }
  });
  router.post("/approvals/:id", async (req: Request, res: Response) => {
    const parsed = decisionSchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendError(res, 400, "INVALID_INPUT", 'Send {"decision": "approve" | "reject", "reason"?: string, "approver"?: string}.');
    const id = String(req.params.id);
    const approver = { actor: `human:${parsed.data.approver ?? "approver-token"}`, channel: "rest" as const };
    try {
      if (parsed.data.decision === "reject") {
        return res.json({ proposal: app.execution.reject(id, approver, parsed.data.reason ?? "rejected over the approvals API") });
      }
      const r = await app.execution.approve(id, approver);
      return res.json({ proposal: r.proposal, order: r.order });
    } catch (err) {
      if (isArgusError(err)) {
        const status = err.code === "UNKNOWN_PROPOSAL" ? 404 : err.code === "PROPOSAL_NOT_PENDING" ? 409 : err.code === "BROKER_REJECTED" ? 502 : 400;
        return sendError(res, status, err.code, err.message);
      }
      app.logger.error({ err }, "approval failed");
      return sendError(res, 500, "INTERNAL", "Internal error; the server logged it.");
    }
  });
  return router;
}
