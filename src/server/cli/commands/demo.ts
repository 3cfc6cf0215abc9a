import { toExchangeIso } from "../../../data/calendar/zone.js";
import { cliApp } from "../context.js";

/** `argus demo [--refresh]`: what the synthetic demo universe covers; regenerate it up to today. */
export function demoCommand(flags: { refresh?: boolean }): number {
  const { app } = cliApp({ quiet: true, overrides: { data: { demo: false } } });
  try {
    if (flags.refresh) {
      const { removed, loaded } = app.data.refreshDemoData();
      process.stderr.write(`Replaced ${removed} demo symbols with ${loaded} generated up to the last closed session.\n`);
    }
    const demo = app.data.symbols().filter((s) => s.synthetic);
    if (demo.length === 0) {
      process.stdout.write("No demo data loaded. `argus demo --refresh` generates it (ARGUS_DEMO=false keeps it from loading at start).\n");
      return 0;
    }
    const daily = demo[0]!.coverage.find((c) => c.timeframe === "1Day");
    process.stdout.write(`${demo.length} SYNTHETIC demo symbols (not real prices): ${demo.map((s) => s.symbol).join(", ")}\n`);
    if (daily) process.stdout.write(`Daily bars ${toExchangeIso(daily.firstT).slice(0, 10)} .. ${toExchangeIso(daily.lastT).slice(0, 10)}; ${demo[0]!.note ?? ""}\n`);
    return 0;
  } finally {
    app.close();
  }
}
