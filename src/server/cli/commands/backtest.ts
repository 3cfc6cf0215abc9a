import { readFileSync, writeFileSync } from "node:fs";
import { SingleBar, Presets } from "cli-progress";
import { ArgusError } from "../../../core/errors.js";
import { cliApp, printJson } from "../context.js";

/**
 * `argus backtest <config.json>`: runs the run_backtest tool with a progress bar on
 * stderr (only on a terminal), prints the report table, optionally saves the chart.
 * Ctrl-C cancels the run cleanly: nothing is stored.
 */
export async function backtestCommand(file: string, flags: { json?: boolean; chart?: string; progress?: boolean }): Promise<number> {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ArgusError("INVALID_INPUT", `Cannot read the backtest configuration ${file}: ${(err as Error).message}.`);
  }
  const { app, registry } = cliApp({ quiet: true });
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  const showBar = flags.progress !== false && process.stderr.isTTY === true;
  const bar = new SingleBar({ format: "backtest [{bar}] {percentage}% | {value}/{total} steps | {message}", stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  let started = false;
  try {
    const result = await registry.call("run_backtest", { ...(config as object), chart: flags.chart !== undefined }, {
      app,
      trusted: true,
      signal: controller.signal,
      ...(showBar
        ? {
            progress: (done: number, total: number, message?: string) => {
              if (!started) {
                bar.start(total, 0, { message: "" });
                started = true;
              }
              bar.setTotal(total);
              bar.update(done, { message: message ?? "" });
            },
          }
        : {}),
    });
    if (started) bar.stop();
    if (!result.ok) {
      process.stderr.write(`${result.error.code}: ${result.error.message}\n`);
      return 1;
    }
    const image = result.images[0];
    if (flags.chart && image) writeFileSync(flags.chart, Buffer.from(image.data, "base64"));
    const chartNote = !flags.chart ? "" : image ? `Chart saved to ${flags.chart}.\n` : "No chart: a walk-forward report has no single equity curve (see each window with get_backtest).\n";
    if (flags.json) printJson(result.structured);
    else process.stdout.write(`${result.text}\n${chartNote}`);
    return 0;
  } finally {
    if (started) bar.stop();
    process.removeListener("SIGINT", onSigint);
    app.close();
  }
}
