/**
 * Technical indicators: each in a batch form (Float64Array in, Float64Array(s) of the same
 * length out, NaN during warm-up) and a streaming form (`new XStream(params).next(...)`,
 * O(1) per bar) that agree bit for bit. Warm-up and seeding are documented in each module
 * and summarised in `INDICATOR_WARMUP`.
 */
export { sma, SmaStream } from "./sma.js";
export { ema, EmaStream } from "./ema.js";
export { rsi, RsiStream } from "./rsi.js";
export { macd, MacdStream, type MacdOutput, type MacdValue } from "./macd.js";
export { bollinger, BollingerStream, type BollingerOutput, type BollingerValue } from "./bollinger.js";
export { atr, AtrStream } from "./atr.js";
export { vwap, VwapStream } from "./vwap.js";
export { obv, ObvStream } from "./obv.js";
export { roc, RocStream } from "./roc.js";
export { stochastic, StochasticStream, type StochasticOutput, type StochasticValue } from "./stochastic.js";
export { adx, AdxStream, type AdxOutput, type AdxValue } from "./adx.js";
export { INDICATOR_WARMUP, INDICATOR_OUTPUT_WARMUP, type IndicatorName } from "./warmup.js";
export { MAX_PERIOD, validatePeriod, validatePositive } from "./validate.js";
