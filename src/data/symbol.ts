import { z } from "zod";

/**
 * Ticker symbols: upper-case letters and digits, with `.` or `-` for share classes
 * (BRK.B, BF-B) and the `.DEMO` suffix of the synthetic demo universe. Input is
 * upper-cased before it is checked, so "aapl" works.
 */
export const SYMBOL_PATTERN = /^[A-Z][A-Z0-9]{0,9}(?:[.-][A-Z0-9]{1,5})?$/;

export const symbolSchema = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(SYMBOL_PATTERN, "must be a ticker such as AAPL, BRK.B or NOVA.DEMO"))
  .describe("Ticker symbol, e.g. AAPL or NOVA.DEMO (case-insensitive)");

/** A ticker guessed from a file name: AAPL.csv, aapl_1min.csv, AAPL-daily.csv → AAPL. */
export function symbolFromFileName(fileName: string): string | undefined {
  const stem = fileName.replace(/\.[^.]+$/, "").toUpperCase();
  const cleaned = stem.replace(/[_-](?:\d+(?:MIN|M|H|D)|MINUTE|DAILY|DAY|HOUR|BARS|1DAY|1HOUR)$/, "");
  return SYMBOL_PATTERN.test(cleaned) ? cleaned : undefined;
}
