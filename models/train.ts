/**
 * `npm run train`: trains the probability model on a directory of daily CSVs and writes
 * models/<version>.onnx, models/<version>.json (model card, machine-readable) and
 * models/<version>.md (model card, human-readable).
 *
 *   npm run train -- [--data <dir>] [--horizon <sessions>] [--out <dir>] [--l2 <lambda>]
 *
 * The default data directory is ../shared/fixtures/bars/daily beside the project.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { isArgusError } from "../src/core/errors.js";
import { fromRoot } from "../src/core/package-root.js";
import { benchOnnxLatency } from "../src/analysis/model/latency.js";
import { ProbabilityModel } from "../src/analysis/model/probability-model.js";
import { DEFAULT_HORIZON, DEFAULT_L2, DEFAULT_MODEL_VERSION, trainModel, writeModelFiles } from "../src/analysis/model/train-model.js";

const DEFAULT_DATA = fromRoot("..", "shared", "fixtures", "bars", "daily");

interface Args {
  data: string;
  horizon: number;
  out: string;
  l2: number;
  version: string;
}

function usage(message: string): never {
  process.stderr.write(`train: ${message}\nusage: npm run train -- [--data <dir>] [--horizon <sessions>] [--out <dir>] [--l2 <lambda>] [--version <name>]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    const need = () => (value === undefined || value.startsWith("--") ? usage(`${flag} needs a value`) : (i++, value));
    switch (flag) {
      case "--data":
        args.data = resolve(need());
        break;
      case "--horizon": {
        const h = Number(need());
        if (!Number.isInteger(h) || h < 1 || h > 250) usage("--horizon must be a whole number of sessions between 1 and 250");
        args.horizon = h;
        break;
      }
      case "--out":
        args.out = resolve(need());
        break;
      case "--l2": {
        const l = Number(need());
        if (!Number.isFinite(l) || l < 0) usage("--l2 must be a non-negative number");
        args.l2 = l;
        break;
      }
      case "--version":
        args.version = need();
        if (!/^[A-Za-z0-9._-]+$/.test(args.version)) usage("--version may contain letters, digits, '.', '_' and '-' only");
        break;
      case "--help":
      case "-h":
        usage("trains the probability model");
      default:
        usage(`unknown argument ${flag}`);
    }
  }
  if (!args.data) {
    if (!existsSync(DEFAULT_DATA)) {
      usage(`no --data given and the default data directory ${DEFAULT_DATA} does not exist; pass --data <dir> with one daily CSV per symbol (Date,Open,High,Low,Close,Adj Close,Volume).`);
    }
    args.data = DEFAULT_DATA;
  }
  return { data: args.data, horizon: args.horizon ?? DEFAULT_HORIZON, out: args.out ?? fromRoot("models"), l2: args.l2 ?? DEFAULT_L2, version: args.version ?? DEFAULT_MODEL_VERSION };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const result = trainModel({ dataDir: args.data, horizon: args.horizon, l2: args.l2, version: args.version });
  const trainMs = performance.now() - t0;
  let paths = writeModelFiles(result, args.out);

  // Check the written ONNX against the training-side prediction, then record it in the card.
  const model = await ProbabilityModel.load(paths.onnx);
  const test = result.splits.test;
  const onnxP = await model.predictBatch(test.x, test.rows);
  let maxDiff = 0;
  for (let r = 0; r < test.rows; r++) maxDiff = Math.max(maxDiff, Math.abs(onnxP[r]! - result.testPredictions[r]!));
  result.card.verification = { onnxMaxAbsDiffTest: maxDiff };
  paths = writeModelFiles(result, args.out);
  const latency = await benchOnnxLatency(model, { row: test.x.slice(0, test.cols) });
  await model.close();

  const c = result.card;
  const m = c.metrics.test;
  const line = (s: string) => process.stdout.write(s + "\n");
  line(`trained ${c.version} in ${(trainMs / 1000).toFixed(1)} s on ${c.data.symbols.length} symbols (${c.data.firstDate} … ${c.data.lastDate}) from ${c.data.dir}`);
  for (const s of c.data.skipped) line(`  skipped ${s.file}: ${s.reason}`);
  for (const name of ["train", "validation", "test"] as const) {
    const s = c.splits[name];
    line(`  ${name.padEnd(10)} ${s.from} … ${s.to}: ${String(s.rows).padStart(7)} rows, ${String(s.purged).padStart(4)} purged, base rate ${s.baseRate.toFixed(4)}`);
  }
  line(`  IRLS: ${c.training.iterations} iterations, λ = ${c.training.l2}; Platt (validation): a = ${c.calibration.a.toFixed(4)}, b = ${c.calibration.b.toFixed(4)}`);
  line(`  TEST      model: AUC ${m.model.auc.toFixed(4)}  Brier ${m.model.brier.toFixed(5)}  log loss ${m.model.logLoss.toFixed(5)}`);
  line(`  TEST   baseline: AUC 0.5000  Brier ${m.baseline.brier.toFixed(5)}  log loss ${m.baseline.logLoss.toFixed(5)}  (predict train base rate ${m.baseline.predicted.toFixed(4)})`);
  for (const y of m.byYear) line(`    ${y.year}: AUC ${y.model.auc.toFixed(4)}  Brier ${y.model.brier.toFixed(5)} vs ${y.baseline.brier.toFixed(5)}`);
  line(`  ONNX vs float64 on test: max |Δ| = ${maxDiff.toExponential(2)}; batch-1 latency p50 ${latency.p50Us.toFixed(1)} µs, p99 ${latency.p99Us.toFixed(1)} µs`);
  line(`  wrote ${paths.onnx}\n        ${paths.json}\n        ${paths.md}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`train: ${isArgusError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
