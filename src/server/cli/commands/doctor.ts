import { accessSync, constants, existsSync, statSync } from "node:fs";
import { createApp } from "../../../app.js";
import { databasePath, loadConfig, type ArgusConfig } from "../../../core/config.js";
import { isArgusError } from "../../../core/errors.js";
import { silentLogger } from "../../../core/logger.js";
import { toExchangeIso } from "../../../data/calendar/zone.js";
import { tokenPath } from "../../auth/token.js";

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

function nodeCheck(): Check {
  const major = Number(process.versions.node.split(".")[0]);
  return { name: "Node.js", ok: major >= 20, detail: `v${process.versions.node}`, fix: "Install Node.js 20 or newer." };
}

function tokenCheck(config: ArgusConfig): Check {
  if (config.http.token) return { name: "HTTP token", ok: true, detail: "from ARGUS_TOKEN / config file" };
  const path = tokenPath(config.home);
  if (!existsSync(path)) return { name: "HTTP token", ok: true, detail: `not created yet; \`argus serve --http\` or \`argus token\` creates ${path}` };
  const mode = statSync(path).mode & 0o777;
  return {
    name: "HTTP token",
    ok: (mode & 0o077) === 0,
    detail: `${path} (mode ${mode.toString(8)})`,
    fix: `chmod 600 ${path}`,
  };
}

function importDirsCheck(config: ArgusConfig): Check {
  const dirs = config.data.importDirs;
  if (dirs.length === 0) {
    return { name: "Import directories", ok: true, detail: "none: tools cannot read CSV files (the `argus import` command still can)", fix: "Set ARGUS_IMPORT_DIRS to let import_bars_csv read a folder." };
  }
  const missing = dirs.filter((d) => !existsSync(d));
  return { name: "Import directories", ok: missing.length === 0, detail: dirs.join(", "), fix: `Create ${missing.join(", ")} or fix ARGUS_IMPORT_DIRS.` };
}

/** `argus doctor`: what is configured, what works, what is missing and how to fix it. */
export function doctorCommand(): number {
  const checks: Check[] = [nodeCheck()];
  let config: ArgusConfig;
  try {
    config = loadConfig();
    checks.push({ name: "Configuration", ok: true, detail: `home ${config.home}` });
  } catch (e) {
    checks.push({ name: "Configuration", ok: false, detail: isArgusError(e) ? e.message : String(e), fix: "Fix the setting named above." });
    return report(checks);
  }
  try {
    accessSync(config.home, constants.W_OK);
    checks.push({ name: "ARGUS_HOME writable", ok: true, detail: config.home });
  } catch {
    checks.push({ name: "ARGUS_HOME writable", ok: existsSync(config.home) ? false : true, detail: existsSync(config.home) ? `${config.home} is not writable` : `${config.home} will be created on first start`, fix: `chmod u+w ${config.home} or set ARGUS_HOME` });
  }
  try {
    const app = createApp(config, { logger: silentLogger() });
    try {
      const symbols = app.data.symbols();
      const synthetic = symbols.filter((s) => s.synthetic).length;
      checks.push({ name: "Database", ok: true, detail: `${databasePath(config)} (migrations applied)` });
      checks.push({
        name: "Price data",
        ok: symbols.length > 0,
        detail: `${symbols.length} symbols, ${synthetic} synthetic demo, ${symbols.length - synthetic} imported`,
        fix: "Enable the demo (ARGUS_DEMO=true) or import bars: `argus import path/to/AAPL.csv`.",
      });
      const status = app.data.marketStatus();
      checks.push({ name: "Clock and calendar", ok: true, detail: `${app.clock.kind} clock; NYSE ${status.phase}, next open ${toExchangeIso(status.nextSession.open)}` });
    } finally {
      app.close();
    }
  } catch (e) {
    checks.push({ name: "Database", ok: false, detail: isArgusError(e) ? e.message : (e as Error).message, fix: `Check that ${databasePath(config)} is a writable SQLite file, or set ARGUS_DB_PATH.` });
  }
  checks.push(tokenCheck(config));
  checks.push(importDirsCheck(config));
  checks.push({ name: "Live data sources", ok: true, detail: "none configured: SEC EDGAR and Alpaca arrive in later releases; the embedded demo works offline" });
  return report(checks);
}

function report(checks: Check[]): number {
  for (const c of checks) {
    process.stdout.write(`${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}\n`);
    if (!c.ok && c.fix) process.stdout.write(`    fix: ${c.fix}\n`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  process.stdout.write(failed === 0 ? "All checks passed.\n" : `${failed} check(s) failed.\n`);
  return failed === 0 ? 0 : 1;
}
