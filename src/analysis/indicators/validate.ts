/**
 * Parameter and input checks shared by every indicator.
 *
 * Batch functions validate their periods and that all input arrays have the same
 * length, and throw `ArgusError("INVALID_INPUT")` with a sentence a user can act on.
 * Streaming classes validate their parameters in the constructor only: `next()` is a
 * hot path and does no checking (inputs are assumed finite; a NaN input propagates
 * through the recursive indicators).
 *
 * Input that is too short for the warm-up is NOT an error: the output is all NaN.
 */
import { ArgusError } from "../../core/errors.js";

/**
 * Largest accepted period. Streaming classes allocate ring buffers of `period`
 * elements, so an absurd period would otherwise surface as an allocation failure.
 */
export const MAX_PERIOD = 1_000_000;

/**
 * Throws `ArgusError("INVALID_INPUT")` unless `period` is a whole number of bars in
 * [1, MAX_PERIOD]. `name` names the parameter in the message, e.g. "rsi period" or
 * "macd slow period".
 */
export function validatePeriod(name: string, period: number): void {
  if (typeof period !== "number" || !Number.isInteger(period) || period < 1 || period > MAX_PERIOD) {
    throw new ArgusError(
      "INVALID_INPUT",
      `Invalid ${name}: ${String(period)}. A period must be a whole number of bars from 1 to ${MAX_PERIOD.toLocaleString("en-US")} (for example 14).`,
      { parameter: name, received: String(period), min: 1, max: MAX_PERIOD },
    );
  }
}

/**
 * Throws `ArgusError("INVALID_INPUT")` unless `value` is a finite number > 0; used for
 * the Bollinger band width multiplier `k` (standard deviations).
 */
export function validatePositive(name: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new ArgusError(
      "INVALID_INPUT",
      `Invalid ${name}: ${String(value)}. It must be a finite number greater than 0 (for example 2).`,
      { parameter: name, received: String(value) },
    );
  }
}

/** Throws `ArgusError("INVALID_INPUT")` unless every named input has the same length. */
export function assertSameLength(indicator: string, inputs: Record<string, ArrayLike<number>>): number {
  const names = Object.keys(inputs);
  const lengths = names.map((k) => inputs[k]!.length);
  const n = lengths[0] ?? 0;
  if (lengths.some((len) => len !== n)) {
    throw new ArgusError(
      "INVALID_INPUT",
      `${indicator}: the inputs ${names.join(", ")} must have the same length (one value per bar), got ${lengths.join(", ")}.`,
      { indicator, lengths: Object.fromEntries(names.map((k, i) => [k, lengths[i]])) },
    );
  }
  return n;
}

/** A Float64Array of length n whose first `warmup` entries (clamped to n) are NaN. */
export function withNanPrefix(n: number, warmup: number): Float64Array {
  const out = new Float64Array(n);
  if (warmup > 0) out.fill(NaN, 0, Math.min(warmup, n));
  return out;
}
