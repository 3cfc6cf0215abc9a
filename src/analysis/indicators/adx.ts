/**
 * Average Directional Index with +DI / −DI (Wilder, 1978).
 *
 * For i ≥ 1: up = high − prevHigh, down = prevLow − low;
 * +DM = up if up > down and up > 0, else 0; −DM = down if down > up and down > 0, else 0;
 * TR = max(high − low, |high − prevClose|, |low − prevClose|).
 * Seeding: at index `period`, the smoothed TR, +DM and −DM are the simple averages of their
 * first `period` values (bars 1..period); afterwards Wilder smoothing
 * s = s·(period − 1)/period + x·(1/period) (the average form of Wilder's running sums:
 * DI is a ratio, so the scale cancels). +DI = 100·+DM_s/TR_s, −DI = 100·−DM_s/TR_s,
 * DX = 100·|+DI − −DI| / (+DI + −DI). ADX is seeded at index 2·period − 1 with the mean of
 * the first `period` DX values (bars period..2·period − 1), then Wilder-smoothed.
 * Warm-up: +DI/−DI NaN for i < period, ADX NaN for i < 2·period − 1 (27 for period 14).
 *
 * This is the TA-Lib / technicalindicators layout (DM needs a previous bar, so all three
 * smoothed series start at bar 1; note that `atr()` instead counts the first bar's
 * high − low, so the TR average inside ADX is not `atr()`); technicalindicators agrees to
 * ~1e-14. trading-signals differs twice: it feeds bar 0 into its smoothers as TR = high − low
 * with +DM = −DM = 0 (so its ADX starts at 2·period − 2; that seed effect decays below 1e-6
 * within 20 × period bars), and on a bar whose up-move equals its down-move (> 0) it credits
 * both +DM and −DM, where Wilder, TA-Lib and technicalindicators credit neither — a rule
 * difference that does not decay. Its DI are fractions, not percent.
 *
 * Degenerate windows: TR_s = 0 gives +DI = −DI = 0, and +DI + −DI = 0 gives DX = 0 (no
 * directional movement), where technicalindicators produces NaN.
 */
import { wilderAlpha } from "./rsi.js";
import { assertSameLength, validatePeriod, withNanPrefix } from "./validate.js";

export interface AdxOutput {
  adx: Float64Array;
  plusDI: Float64Array;
  minusDI: Float64Array;
}

export interface AdxValue {
  adx: number;
  plusDI: number;
  minusDI: number;
}

/** Directional index from the smoothed +DM, −DM and TR; 0 when there is no range. */
function di(dm: number, tr: number): number {
  return tr === 0 ? 0 : (100 * dm) / tr;
}

function dxValue(pdi: number, mdi: number): number {
  const s = pdi + mdi;
  return s === 0 ? 0 : (Math.abs(pdi - mdi) / s) * 100;
}

/** Wilder ADX, +DI and −DI; NaN during each output's warm-up. */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): AdxOutput {
  validatePeriod("adx period", period);
  const n = assertSameLength("adx", { high, low, close });
  const adxOut = withNanPrefix(n, 2 * period - 1);
  const plusOut = withNanPrefix(n, period);
  const minusOut = withNanPrefix(n, period);
  const out: AdxOutput = { adx: adxOut, plusDI: plusOut, minusDI: minusOut };
  if (n <= period) return out;
  const { alpha, beta } = wilderAlpha(period);
  const adxStart = 2 * period - 1;
  let sTr = 0;
  let sP = 0;
  let sM = 0;
  let sDx = 0;
  let a = NaN;
  for (let i = 1; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const ph = high[i - 1]!;
    const pl = low[i - 1]!;
    const pc = close[i - 1]!;
    const up = h - ph;
    const down = pl - l;
    const pdm = up > down && up > 0 ? up : 0;
    const mdm = down > up && down > 0 ? down : 0;
    const tr = Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
    if (i > period) {
      sTr = sTr * beta + tr * alpha;
      sP = sP * beta + pdm * alpha;
      sM = sM * beta + mdm * alpha;
    } else {
      sTr += tr;
      sP += pdm;
      sM += mdm;
      if (i < period) continue;
      sTr /= period;
      sP /= period;
      sM /= period;
    }
    const pdi = di(sP, sTr);
    const mdi = di(sM, sTr);
    plusOut[i] = pdi;
    minusOut[i] = mdi;
    const dx = dxValue(pdi, mdi);
    if (i > adxStart) {
      a = a * beta + dx * alpha;
      adxOut[i] = a;
    } else {
      sDx += dx;
      if (i === adxStart) {
        a = sDx / period;
        adxOut[i] = a;
      }
    }
  }
  return out;
}

/** Streaming Wilder ADX: O(1) per bar. */
export class AdxStream {
  readonly period: number;
  private readonly alpha: number;
  private readonly beta: number;
  private readonly adxStart: number;
  private bar = 0;
  private ph = NaN;
  private pl = NaN;
  private pc = NaN;
  private sTr = 0;
  private sP = 0;
  private sM = 0;
  private sDx = 0;
  private a = NaN;

  constructor(period = 14) {
    validatePeriod("adx period", period);
    this.period = period;
    const { alpha, beta } = wilderAlpha(period);
    this.alpha = alpha;
    this.beta = beta;
    this.adxStart = 2 * period - 1;
  }

  /** Adds one bar; returns {adx, plusDI, minusDI}, each NaN during its warm-up. */
  next(high: number, low: number, close: number): AdxValue {
    const i = this.bar++;
    const ph = this.ph;
    const pl = this.pl;
    const pc = this.pc;
    this.ph = high;
    this.pl = low;
    this.pc = close;
    if (i === 0) return { adx: NaN, plusDI: NaN, minusDI: NaN };
    const period = this.period;
    const up = high - ph;
    const down = pl - low;
    const pdm = up > down && up > 0 ? up : 0;
    const mdm = down > up && down > 0 ? down : 0;
    const tr = Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
    if (i > period) {
      const { alpha, beta } = this;
      this.sTr = this.sTr * beta + tr * alpha;
      this.sP = this.sP * beta + pdm * alpha;
      this.sM = this.sM * beta + mdm * alpha;
    } else {
      this.sTr += tr;
      this.sP += pdm;
      this.sM += mdm;
      if (i < period) return { adx: NaN, plusDI: NaN, minusDI: NaN };
      this.sTr /= period;
      this.sP /= period;
      this.sM /= period;
    }
    const pdi = di(this.sP, this.sTr);
    const mdi = di(this.sM, this.sTr);
    const dx = dxValue(pdi, mdi);
    if (i > this.adxStart) {
      this.a = this.a * this.beta + dx * this.alpha;
    } else {
      this.sDx += dx;
      if (i === this.adxStart) this.a = this.sDx / period;
    }
    return { adx: this.a, plusDI: pdi, minusDI: mdi };
  }
}
