import { createHash } from "node:crypto";
import type { Bar } from "../data/bar.js";

/**
 * SHA-256 over the bars an analysis used (time and OHLCV as little-endian float64), so
 * a later reader can prove it sees the same data. Adjusted closes are not part of it:
 * the analysis does not use them.
 */
export function hashBars(bars: readonly Bar[]): string {
  const buf = new Float64Array(bars.length * 6);
  bars.forEach((b, i) => buf.set([b.t, b.open, b.high, b.low, b.close, b.volume], i * 6));
  return createHash("sha256").update(Buffer.from(buf.buffer)).digest("hex");
}
