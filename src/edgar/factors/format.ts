/** A compact text rendering of a factor report for tool output. Pure. */
import { formatMoney as money, textTable } from "../../core/text-table.js";
import type { Factor, FactorReport } from "./types.js";

function count(v: number): string {
  if (Math.abs(v) >= 1e9) return `${(v / 1e9).toFixed(2)}B`;
  if (Math.abs(v) >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  return v.toLocaleString("en-US", { maximumFractionDigits: 0 });
}

/** One factor value as text: percent with 1 decimal, ratios/multiples with 2, money in B/M. */
export function formatFactorValue(f: Pick<Factor, "value" | "unit">, currency = "USD"): string {
  const v = f.value;
  if (v === null) return "n/a";
  switch (f.unit) {
    case "percent":
      return `${v.toFixed(1)}%`;
    case "ratio":
      return v.toFixed(2);
    case "multiple":
      return `${v.toFixed(2)}x`;
    case "USD":
      return money(v, currency);
    case "USD/share":
      return `${v < 0 ? "-" : ""}${currency === "USD" ? "$" : `${currency} `}${Math.abs(v).toFixed(2)}`;
    case "shares":
      return count(v);
  }
}

const NOTE_MAX = 90;

/** Header lines, a table (factor, value, period, note) and the warnings. */
export function formatFactorTable(report: FactorReport): string {
  const p = report.period;
  const head = [
    `${report.entityName} (CIK ${report.cik}) fundamental factors, ${report.basis === "ttm" ? "trailing twelve months" : "annual"}: ` +
      `${p.label} (${p.start !== undefined ? `${p.start}..` : ""}${p.end}); balance sheet ${report.balanceDate ?? "n/a"}` +
      `${report.asOf !== undefined ? `; filings as of ${report.asOf}` : ""}; ${report.currency}`,
  ];
  if (report.price) {
    const pr = report.price;
    head.push(`Price ${pr.symbol} ${pr.price} at ${pr.asOf} (${pr.source})${pr.synthetic ? " [SYNTHETIC]" : ""}`);
  }
  const rows = report.factors.map((f) => {
    const note = f.note ?? "";
    return [f.label, formatFactorValue(f, report.currency), f.period, note.length > NOTE_MAX ? `${note.slice(0, NOTE_MAX - 1)}…` : note];
  });
  const out = [...head, "", textTable(["Factor", "Value", "Period", "Note"], rows, { align: ["left", "right", "left", "left"] })];
  if (report.warnings.length > 0) out.push("", "Warnings:", ...report.warnings.map((w) => `- ${w}`));
  return out.join("\n");
}
