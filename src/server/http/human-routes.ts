import express, { type Request, type Response, type Router } from "express";
import type { z } from "zod";
import type { App } from "../../app.js";
import type { AuditRecord } from "../../audit/audit-log.js";
import { ArgusError, toArgusError } from "../../core/errors.js";
import { toExchangeIso } from "../../data/calendar/zone.js";
import type { Approver } from "../../execution/execution-manager.js";
import { orderOut, proposalOut } from "../../../tools/execution/shapes.js";
import type { ToolRegistry } from "../../../tools/registry.js";
import { callerOf, principalOf, requireApprover } from "./auth.js";
import type { AuditFeed } from "./audit-feed.js";
import { sendError } from "./errors.js";
import { auditQuery, decisionBody, haltBody, llmUsageBody, resumeBody } from "./routes.js";
import { sendToolResult } from "./tool-routes.js";

function parse<S extends z.ZodType>(schema: S, value: unknown, hint: string): z.output<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new ArgusError("INVALID_INPUT", `${hint} (${r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}).`);
  return r.data;
}

/** Where a human decision came from, in words for default reasons: "the console" or "the approvals API". */
function placeOf(approver: Approver): string {
  return approver.channel === "console" ? "the console" : "the approvals API";
}

function auditRowOut(r: AuditRecord) {
  return { seq: r.seq, ts: toExchangeIso(r.ts), kind: r.kind, actor: r.actor, channel: r.channel, subject: r.subject, payload: r.payload, hash: r.hash, prevHash: r.prevHash };
}

/** Wraps a handler so a thrown ArgusError becomes the standard error body. */
function handle(fn: (req: Request, res: Response) => Promise<unknown> | unknown) {
  return async (req: Request, res: Response) => {
    try {
      const result = await fn(req, res);
      if (!res.headersSent) res.json({ result });
    } catch (err) {
      sendError(res, toArgusError(err));
    }
  };
}

/**
 * What only a human may do (DESIGN §4-5): decide proposals, halt and resume, read the
 * audit log and follow it live. These need the approver token or a console session (the
 * model's MCP token gets FORBIDDEN). Open to both: /audit/verify, a read-only tool, and
 * the copilot's record of what an answer cost (it writes only the analysis log's LLM fields).
 */
export function humanRouter(app: App, registry: ToolRegistry, feed: AuditFeed, opts: { clockEventMs: number }): Router {
  const router = express.Router();

  router.post("/audit/verify", async (req, res) => {
    sendToolResult(res, await registry.call("verify_audit_log", {}, { app }));
  });

  // The copilot's accounting when its tools come from this server (it holds the MCP token).
  router.post(
    "/analyses/:analysisId/llm-usage",
    handle((req) => {
      const body = parse(llmUsageBody, req.body, "Send {provider, model, prompt, response, inputTokens, outputTokens, latencyMs, costUsd}");
      return { recorded: app.analysis.recordLlmUsage(String(req.params.analysisId), body) };
    }),
  );

  router.post(
    "/approvals/:proposalId",
    requireApprover,
    handle(async (req, res) => {
      const body = parse(decisionBody, req.body, 'Send {"decision": "approve" | "reject", "reason"?: string, "approver"?: string}');
      const id = String(req.params.proposalId);
      const approver = callerOf(res, body.approver);
      if (body.decision === "reject") return { proposal: proposalOut(app.execution.reject(id, approver, body.reason ?? `rejected in ${placeOf(approver)}`)) };
      const r = await app.execution.approve(id, approver);
      return { proposal: proposalOut(r.proposal), order: r.order ? orderOut(r.order) : null };
    }),
  );

  router.post(
    "/trading/halt",
    requireApprover,
    handle(async (req, res) => {
      const body = parse(haltBody, req.body, 'Send {"reason"?: string}');
      const approver = callerOf(res, body.approver);
      const r = await app.execution.killSwitch(approver, body.reason ?? `kill switch from ${placeOf(approver)}`);
      return { state: app.execution.tradingState(), canceled: r.canceled, failed: r.failed };
    }),
  );

  router.post(
    "/trading/resume",
    requireApprover,
    handle((req, res) => {
      const body = parse(resumeBody, req.body, 'Send {"state": "ACTIVE" | "REDUCING", "reason"?: string}');
      const approver = callerOf(res, body.approver);
      app.execution.setState(body.state, approver, body.reason ?? `resumed from ${placeOf(approver)}`);
      return { state: app.execution.tradingState() };
    }),
  );

  router.get(
    "/audit",
    requireApprover,
    handle((req) => {
      const q = parse(auditQuery, req.query, "Query: kind, subject, beforeSeq, afterSeq, limit");
      return { rows: app.audit.list(q).map(auditRowOut) };
    }),
  );

  router.get("/events", requireApprover, (req, res) => {
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" });
    const send = (event: string, data: unknown, id?: number) => res.write(`${id !== undefined ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    let sentSeq = 0; // the replay and the shared feed may overlap: each row goes out once
    const sendRow = (r: AuditRecord) => {
      if (r.seq <= sentSeq) return;
      sentSeq = r.seq;
      send("audit", { seq: r.seq, ts: toExchangeIso(r.ts), kind: r.kind, actor: r.actor, channel: r.channel, subject: r.subject }, r.seq);
    };
    const sendClock = () => send("clock", { now: toExchangeIso(app.clock.now()) });
    res.write("retry: 2000\n\n");
    sendClock();
    // A reconnecting EventSource says where it stopped; replay what it missed first.
    const last = Number(req.headers["last-event-id"]);
    if (Number.isInteger(last) && last >= 0) for (const r of feed.since(last, 500)) sendRow(r);
    const principal = principalOf(res);
    const unsubscribe = feed.subscribe((r) => {
      if (principal.stillValid()) sendRow(r);
    });
    // A rotated token or an ended console session ends the stream too, at the next tick.
    const clock = setInterval(() => {
      if (principal.stillValid()) sendClock();
      else res.end();
    }, opts.clockEventMs);
    req.on("close", () => {
      clearInterval(clock);
      unsubscribe();
    });
  });

  return router;
}
