/**
 * Plain-text tables for tool output: a model reads them, and so does a human in a
 * terminal. Columns are padded to their widest cell; numeric columns align right.
 */
export interface TextTableOptions {
  /** Per column: "left" or "right" (default: right when every body cell looks numeric). */
  align?: Array<"left" | "right" | undefined>;
}

const NUMERIC = /^[-+−(]?[$]?[\d,.]+[%)BMKx]?$|^—$|^n\/a$/;

export function textTable(headers: string[], rows: string[][], opts: TextTableOptions = {}): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const align = headers.map((_, i) => opts.align?.[i] ?? (rows.length > 0 && rows.every((r) => NUMERIC.test(r[i] ?? "")) ? "right" : "left"));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (align[i] === "right" ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Money scaled to T/B/M with the sign in front: 383285000000 → "$383.29B", -12500000 → "-$12.5M". */
export function formatMoney(value: number, currency = "USD"): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  const prefix = currency === "USD" ? "$" : `${currency} `;
  if (abs >= 1e12) return `${sign}${prefix}${(abs / 1e12).toFixed(2)}T`;
  if (abs >= 1e9) return `${sign}${prefix}${(abs / 1e9).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}B`;
  if (abs >= 1e6) return `${sign}${prefix}${(abs / 1e6).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })}M`;
  return `${sign}${prefix}${abs.toLocaleString("en-US", { maximumFractionDigits: 2 })}`;
}

/** 1234567 → "1,234,567"; fractional values keep up to `digits` decimals. */
export function formatNumber(value: number, digits = 2): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

/** A fraction as a percentage, "—" when unknown: 0.1234 → "12.3%", null → "—". */
export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  return fraction === null || fraction === undefined || !Number.isFinite(fraction) ? "—" : `${(fraction * 100).toFixed(digits)}%`;
}
