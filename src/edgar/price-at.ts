import { isArgusError } from "../core/errors.js";
import { toExchangeIso } from "../data/calendar/zone.js";
import type { DataManager } from "../data/data-manager.js";
import type { PriceInput } from "./factors/index.js";

/** A price for valuation at an as-of date, or why there is none. */
export type PriceLookup = (symbol: string, asOf: string) => PriceInput | { missing: string };

/**
 * Prices for valuation factors come from Argus's own bars: the last daily close on or
 * before the as-of date (DataManager never shows a bar the clock has not reached).
 */
export function priceFromBars(data: DataManager): PriceLookup {
  return (symbol, asOf) => {
    try {
      const { bars, source } = data.getBars({ symbol, timeframe: "1Day", to: asOf, limit: 1 });
      const bar = bars[bars.length - 1];
      if (!bar) return { missing: `Argus has no daily bar for ${symbol.toUpperCase()} on or before ${asOf}, so valuation factors are not computed.` };
      const date = toExchangeIso(bar.t).slice(0, 10);
      const gap = Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
      return {
        symbol: symbol.toUpperCase(),
        price: bar.close,
        asOf: toExchangeIso(bar.t),
        source: `bars:${symbol.toUpperCase()} 1Day close of ${date} (${source.source}${gap > 7 ? `, ${gap} days before ${asOf}` : ""})`,
        synthetic: source.synthetic,
      };
    } catch (e) {
      if (isArgusError(e) && e.code === "UNKNOWN_SYMBOL") {
        return { missing: `Argus has no bars for ${symbol.toUpperCase()}; import them (argus import ${symbol.toUpperCase()}.csv) to get market cap, P/E, P/B, P/S, EV/EBITDA and FCF yield.` };
      }
      throw e;
    }
  };
}
