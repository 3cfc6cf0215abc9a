import type { BarsStore } from "../bars-store.js";
import type { NyseCalendar } from "../calendar/nyse-calendar.js";
import { generateDemoDataset } from "./generate.js";

export const DEMO_SOURCE = "synthetic-demo";

/** Generates the demo universe and writes it; returns the number of symbols loaded. */
export function loadDemoDataset(
  store: BarsStore,
  opts: { seed: number; endDate: string; calendar: NyseCalendar; updatedAt: number },
): number {
  const dataset = generateDemoDataset({ seed: opts.seed, endDate: opts.endDate, calendar: opts.calendar });
  const note = `${dataset.note} Generated ${dataset.startDate}..${dataset.endDate}.`;
  // One transaction: a crash mid-load leaves no partial demo that would count as loaded.
  store.transaction(() => {
  for (const s of dataset.symbols) {
    store.upsertSymbol({
      symbol: s.symbol,
      name: s.name,
      sector: s.sector,
      exchange: s.exchange,
      source: DEMO_SOURCE,
      synthetic: true,
      sourceNote: note,
      updatedAt: opts.updatedAt,
    });
    store.upsertBars(s.symbol, "1Day", dataset.daily.get(s.symbol) ?? []);
    store.upsertBars(s.symbol, "1Min", dataset.minute.get(s.symbol) ?? []);
  }
  });
  return dataset.symbols.length;
}
