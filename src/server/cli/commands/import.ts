import { cliApp, printJson } from "../context.js";

export interface ImportFlags {
  symbol?: string;
  timeframe?: string;
  layout?: string;
  tz?: string;
  timeLabel?: string;
  skipBadRows?: boolean;
  dryRun?: boolean;
  sector?: string;
  name?: string;
}

/**
 * `argus import <files...>`: a human at a terminal, so any readable path is allowed
 * (trusted); the same import_bars_csv tool does the work. Each file is its own
 * transaction: one bad file does not undo the others.
 */
export async function importCommand(files: string[], flags: ImportFlags): Promise<number> {
  const { app, registry } = cliApp({ quiet: true });
  let failures = 0;
  try {
    for (const path of files) {
      const args = {
        path,
        ...(flags.symbol ? { symbol: flags.symbol } : {}),
        ...(flags.timeframe ? { timeframe: flags.timeframe } : {}),
        ...(flags.layout ? { layout: flags.layout } : {}),
        ...(flags.tz ? { timeZone: flags.tz } : {}),
        ...(flags.timeLabel ? { timeLabel: flags.timeLabel } : {}),
        ...(flags.sector ? { sector: flags.sector } : {}),
        ...(flags.name ? { name: flags.name } : {}),
        skipBadRows: flags.skipBadRows === true,
        dryRun: flags.dryRun === true,
      };
      const result = await registry.call("import_bars_csv", args, { app, trusted: true });
      if (result.ok) {
        process.stderr.write(`${result.text}\n`);
        printJson(result.structured);
      } else {
        failures++;
        process.stderr.write(`${path}: ${result.error.code}: ${result.error.message}\n`);
        const errors = (result.error.details as { errors?: { line: number; message: string }[] } | undefined)?.errors;
        for (const e of errors ?? []) process.stderr.write(`  line ${e.line}: ${e.message}\n`);
      }
    }
    return failures > 0 ? 1 : 0;
  } finally {
    app.close();
  }
}
