import { userInfo } from "node:os";
import { writeFileSync } from "node:fs";
import { toExchangeIso } from "../../../data/calendar/zone.js";
import type { Proposal } from "../../../execution/proposal-store.js";
import { limitsOverridePath, riskLimitsSchema } from "../../../risk/limits.js";
import { TRADING_STATES, type TradingState } from "../../../risk/types.js";
import { cliApp, printJson } from "../context.js";

/**
 * Human-only commands: approving, rejecting, halting, resuming and changing limits. They
 * are not tools — the model has no way to call them — and each is audited with the
 * operating-system user who ran it.
 */
export function human(): { actor: string; channel: "cli" } {
  let name = "unknown";
  try {
    name = userInfo().username;
  } catch {
    // containers without a passwd entry
  }
  return { actor: `human:${name}`, channel: "cli" };
}

function describe(p: Proposal): string {
  const i = p.intent;
  const size = i.qty !== undefined ? `${i.qty}` : `$${i.notional}`;
  const px = i.limitPrice !== undefined ? ` @${i.limitPrice}` : "";
  const failed = p.checks.filter((c) => !c.passed).map((c) => c.code);
  return `${p.id}  ${p.status.padEnd(17)} ${p.mode.padEnd(5)} ${i.side.toUpperCase()} ${size} ${i.symbol} ${i.type}${px} ${i.timeInForce}  ~$${p.estimatedNotional?.toFixed(2) ?? "?"}  expires ${toExchangeIso(p.expiresAt)}${failed.length ? `  FAILED: ${failed.join(",")}` : ""}`;
}

export async function proposalsCommand(flags: { all?: boolean; json?: boolean }): Promise<number> {
  const { app } = cliApp({ quiet: true });
  try {
    const list = app.execution.listProposals({ ...(flags.all ? {} : { status: ["awaiting_approval"] }), limit: 100 });
    if (flags.json) printJson(list);
    else if (list.length === 0) process.stdout.write(flags.all ? "No proposals.\n" : "No proposals await approval.\n");
    else for (const p of list) process.stdout.write(`${describe(p)}\n`);
    return 0;
  } finally {
    app.close();
  }
}

export async function approveCommand(id: string): Promise<number> {
  const { app } = cliApp({ quiet: true });
  try {
    const p = app.execution.getProposal(id);
    process.stdout.write(`${describe(p)}\n`);
    for (const c of p.checks) process.stdout.write(`  ${c.passed ? "✓" : "✗"} ${c.code}: ${c.detail}${c.warning ? ` (warning: ${c.warning})` : ""}\n`);
    const r = await app.execution.approve(id, human());
    if (r.order) {
      process.stdout.write(`Approved and submitted: order ${r.order.id} (${r.order.status}).\n`);
      return 0;
    }
    process.stdout.write(`Approved, but not submitted: ${r.proposal.status}${r.proposal.error ? ` (${r.proposal.error})` : ""}.\n`);
    return 1;
  } finally {
    app.close();
  }
}

export function rejectCommand(id: string, flags: { reason?: string }): number {
  const { app } = cliApp({ quiet: true });
  try {
    const p = app.execution.reject(id, human(), flags.reason ?? "rejected in the terminal");
    process.stdout.write(`Rejected ${p.id}.\n`);
    return 0;
  } finally {
    app.close();
  }
}

export async function haltCommand(flags: { reason?: string }): Promise<number> {
  const { app } = cliApp({ quiet: true });
  try {
    const r = await app.execution.killSwitch(human(), flags.reason ?? "kill switch from the terminal");
    process.stdout.write(`HALTED. Canceled ${r.canceled.length} open orders${r.failed.length ? `; could not cancel ${r.failed.join(", ")}` : ""}. Pending proposals rejected.\n`);
    return r.failed.length > 0 ? 1 : 0;
  } finally {
    app.close();
  }
}

export function resumeCommand(flags: { state?: string; reason?: string }): number {
  const { app } = cliApp({ quiet: true });
  try {
    const state = (flags.state ?? "ACTIVE").toUpperCase() as TradingState;
    if (!TRADING_STATES.includes(state)) {
      process.stderr.write(`State must be one of ${TRADING_STATES.join(", ")}.\n`);
      return 1;
    }
    app.execution.setState(state, human(), flags.reason ?? "resumed from the terminal");
    process.stdout.write(`Trading state is now ${state}.\n`);
    return 0;
  } finally {
    app.close();
  }
}

export function limitsCommand(action: string | undefined, key: string | undefined, value: string | undefined): number {
  const { app, config } = cliApp({ quiet: true });
  try {
    const current = app.limits();
    if (!action || action === "show") {
      printJson(current);
      return 0;
    }
    if (action !== "set" || !key || value === undefined) {
      process.stderr.write("Usage: argus limits [show] | argus limits set <key> <json value>\n");
      return 1;
    }
    let parsedValue: unknown;
    try {
      parsedValue = JSON.parse(value);
    } catch {
      parsedValue = value;
    }
    const next = { ...current, [key]: parsedValue };
    const check = riskLimitsSchema.strict().safeParse(next);
    if (!check.success) {
      process.stderr.write(`Invalid: ${check.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}\n`);
      return 1;
    }
    const path = limitsOverridePath(config.home);
    writeFileSync(path, `${JSON.stringify(check.data, null, 2)}\n`);
    app.audit.append({ kind: "limits.changed", ...human(), subject: "limits", payload: { key, from: (current as Record<string, unknown>)[key], to: parsedValue } });
    process.stdout.write(`${key} = ${JSON.stringify(parsedValue)} (written to ${path}).\n`);
    return 0;
  } finally {
    app.close();
  }
}

export function auditCommand(action: string, flags: { out?: string; from?: string }): number {
  const { app } = cliApp({ quiet: true });
  try {
    if (action === "verify") {
      const r = app.audit.verify();
      process.stdout.write(r.ok ? `Audit log intact: ${r.rows} rows, head ${r.headHash ?? "(empty)"}.\n` : `BROKEN at row ${r.firstBroken!.seq}: ${r.firstBroken!.reason}\n`);
      return r.ok ? 0 : 2;
    }
    if (action === "export") {
      const lines: string[] = [];
      app.audit.export((line) => lines.push(line), flags.from ? { fromSeq: Number(flags.from) } : {});
      const text = lines.join("\n") + (lines.length ? "\n" : "");
      if (flags.out) writeFileSync(flags.out, text);
      else process.stdout.write(text);
      return 0;
    }
    process.stderr.write("Usage: argus audit verify | argus audit export [--out file] [--from seq]\n");
    return 1;
  } finally {
    app.close();
  }
}
