import { cliApp, printJson } from "../context.js";

interface IssueLine {
  code: string;
  severity: string;
  at?: string;
  detail: string;
}

/** `argus quality <symbol>`: exit 0 when clean, 2 when the data has problems, 1 on error. */
export async function qualityCommand(symbol: string, flags: { timeframe?: string; json?: boolean }): Promise<number> {
  const { app, registry } = cliApp({ quiet: true });
  try {
    const result = await registry.call("check_data_quality", { symbol, ...(flags.timeframe ? { timeframe: flags.timeframe } : {}) }, { app });
    if (!result.ok) {
      process.stderr.write(`${result.error.code}: ${result.error.message}\n`);
      return 1;
    }
    if (flags.json) printJson(result.structured);
    else {
      process.stdout.write(`${result.text}\n`);
      const reports = result.structured.reports as { timeframe: string; issues: IssueLine[] }[];
      for (const r of reports) {
        for (const i of r.issues.slice(0, 20)) process.stdout.write(`  [${r.timeframe}] ${i.severity.padEnd(7)} ${i.code} ${i.at ?? ""} ${i.detail}\n`);
        if (r.issues.length > 20) process.stdout.write(`  [${r.timeframe}] … ${r.issues.length - 20} more (use --json)\n`);
      }
    }
    return result.structured.ok ? 0 : 2;
  } finally {
    app.close();
  }
}
