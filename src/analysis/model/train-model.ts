/**
 * Trains the probability model end to end and produces its artefacts: the ONNX bytes,
 * the machine-readable model card (JSON) and the human-readable card (markdown).
 *
 * Deterministic: symbols and rows are sorted, IRLS starts from zero, no randomness, and
 * the card's `trainedAt` is the last date in the data, not the wall clock — the same data
 * gives byte-identical files.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join, relative, isAbsolute } from "node:path";
import { ArgusError } from "../../core/errors.js";
import { PACKAGE_ROOT } from "../../core/package-root.js";
import { isoDate } from "../../data/calendar/dates.js";
import { FEATURE_DESCRIPTIONS, FEATURE_NAMES, FEATURE_VERSION, type FeatureName } from "../features.js";
import { buildDataset, DEFAULT_SPLITS, loadDailyCsvDir, splitDataset, type Dataset, type LoadedData, type SplitBoundaries, type SplitInfo, type Splits } from "./dataset.js";
import { predictMatrix, rawLogit, type LinearProbabilityParams } from "./linear-model.js";
import { fitLogistic, fitPlatt, fitStandardizer, sigmoid, standardize, type LogisticFit } from "./logistic.js";
import { constantForecastMetrics, forecastMetrics, reliabilityTable, type ForecastMetrics, type ReliabilityBin } from "./metrics.js";
import { buildOnnxModel, INPUT_NAME, ONNX_IR_VERSION, ONNX_OPSET, OUTPUT_NAME } from "./onnx-export.js";

export const DEFAULT_MODEL_VERSION = "probability-v1";
export const DEFAULT_HORIZON = 5;
export const DEFAULT_L2 = 1;

export interface TrainOptions {
  /** Directory of daily CSVs (one per symbol). Ignored when `data` is given. */
  dataDir?: string;
  /** Already-loaded data (tests pass altered copies). */
  data?: LoadedData;
  horizon?: number;
  l2?: number;
  splits?: SplitBoundaries;
  version?: string;
}

export interface SplitMetrics {
  model: ForecastMetrics;
  /** Predicting the TRAIN base rate for every row (AUC 0.5 by construction). */
  baseline: ForecastMetrics & { predicted: number };
}

export interface ModelCard {
  schema: "argus.model-card/v1";
  version: string;
  kind: string;
  target: { description: string; horizonDays: number; priceField: string };
  featureVersion: string;
  featureNames: FeatureName[];
  features: { name: FeatureName; definition: string; trainMean: number; trainStd: number; weight: number }[];
  bias: number;
  calibration: { method: "platt"; a: number; b: number; fittedOn: "validation"; formula: string };
  training: { method: string; l2: number; iterations: number; converged: boolean; objective: number; standardization: string };
  data: {
    dir: string;
    sha256: string;
    symbols: string[];
    skipped: { file: string; reason: string }[];
    firstDate: string;
    lastDate: string;
  };
  splits: Record<"train" | "validation" | "test", SplitInfo & { baseRate: number }>;
  purging: string;
  metrics: {
    test: SplitMetrics & {
      /** A second no-skill peer: predict the VALIDATION base rate (the most recent rate known before the test period). */
      baselineRecent: ForecastMetrics & { predicted: number };
      uncalibrated: ForecastMetrics;
      byYear: { year: number; model: ForecastMetrics; baseline: ForecastMetrics; baselineRecent: ForecastMetrics }[];
    };
    validation: SplitMetrics & { uncalibrated: ForecastMetrics };
    train: SplitMetrics & { uncalibrated: ForecastMetrics };
  };
  reliability: { test: ReliabilityBin[]; testDeciles: ReliabilityBin[] };
  onnx: { file: string; sha256: string; opset: number; irVersion: number; input: string; output: string; dtype: "double" };
  verification?: { onnxMaxAbsDiffTest: number };
  trainedAt: string;
  limitations: string[];
}

export interface TrainResult {
  params: LinearProbabilityParams;
  fit: LogisticFit;
  splits: Splits;
  card: ModelCard;
  onnx: Uint8Array;
  /** Training-side (float64) calibrated predictions on the test split, row-aligned with splits.test. */
  testPredictions: Float64Array;
}

function displayDir(dir: string): string {
  const rel = relative(PACKAGE_ROOT, dir);
  return rel === "" ? "." : isAbsolute(rel) ? dir : rel.split("\\").join("/");
}

function baselineMetrics(rate: number, y: Uint8Array): SplitMetrics["baseline"] {
  return { predicted: rate, ...constantForecastMetrics(rate, y) };
}

function requireRows(ds: Dataset, name: string): void {
  if (ds.rows === 0) throw new ArgusError("NO_DATA", `The ${name} split has no rows; check the data's date range against the split boundaries.`);
}

export function trainModel(options: TrainOptions = {}): TrainResult {
  const horizon = options.horizon ?? DEFAULT_HORIZON;
  const l2 = options.l2 ?? DEFAULT_L2;
  const bounds = options.splits ?? DEFAULT_SPLITS;
  const version = options.version ?? DEFAULT_MODEL_VERSION;
  let data = options.data;
  if (!data) {
    if (!options.dataDir) throw new ArgusError("INVALID_INPUT", "trainModel needs dataDir or data.");
    data = loadDailyCsvDir(options.dataDir);
  }
  const dataset = buildDataset(data.series, horizon);
  const splits = splitDataset(dataset, bounds);
  const { train, validation, test } = splits;
  requireRows(train, "train");
  requireRows(validation, "validation");
  requireRows(test, "test");
  const F = dataset.cols;

  // 1. Standardise with TRAIN statistics only; 2. IRLS on TRAIN.
  const scaler = fitStandardizer(train.x, train.rows, F);
  const fit = fitLogistic(standardize(train.x, train.rows, F, scaler), train.y, train.rows, F, { l2 });
  if (!fit.converged) throw new ArgusError("INTERNAL", `IRLS did not converge in ${fit.iterations} iterations.`);
  const raw: LinearProbabilityParams = { mean: scaler.mean, std: scaler.std, weights: fit.weights, bias: fit.bias, platt: { a: 1, b: 0 } };

  // 3. Platt scaling on VALIDATION logits only.
  const valLogits = new Float64Array(validation.rows);
  for (let r = 0; r < validation.rows; r++) valLogits[r] = rawLogit(raw, validation.x, r * F);
  const platt = fitPlatt(valLogits, validation.y);
  const params: LinearProbabilityParams = { ...raw, platt };

  // 4. Metrics: model vs the train-base-rate baseline on every split.
  const trainRate = mean(train.y);
  const validationRate = mean(validation.y);
  const predict = (ds: Dataset) => predictMatrix(params, ds.x, ds.rows);
  const predictRaw = (ds: Dataset) => {
    const out = new Float64Array(ds.rows);
    for (let r = 0; r < ds.rows; r++) out[r] = sigmoid(rawLogit(raw, ds.x, r * F));
    return out;
  };
  const pTest = predict(test);
  const pVal = predict(validation);
  const pTrain = predict(train);
  const byYear: ModelCard["metrics"]["test"]["byYear"] = [];
  const years = [...new Set(Array.from(test.day, (d) => Number(isoDate(d).slice(0, 4))))].sort((a, b) => a - b);
  for (const year of years) {
    const idx: number[] = [];
    for (let r = 0; r < test.rows; r++) if (Number(isoDate(test.day[r]!).slice(0, 4)) === year) idx.push(r);
    const y = Uint8Array.from(idx, (r) => test.y[r]!);
    const p = Float64Array.from(idx, (r) => pTest[r]!);
    byYear.push({ year, model: forecastMetrics(p, y), baseline: constantForecastMetrics(trainRate, y), baselineRecent: constantForecastMetrics(validationRate, y) });
  }

  const onnx = buildOnnxModel(params, {
    version,
    featureNames: FEATURE_NAMES,
    featureVersion: FEATURE_VERSION,
    horizonDays: horizon,
    target: `forward_return_${horizon}d > 0`,
  });

  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const s of data.series) {
    if (s.day.length === 0) continue;
    firstDay = Math.min(firstDay, s.day[0]!);
    lastDay = Math.max(lastDay, s.day[s.day.length - 1]!);
  }
  const withRate = (name: "train" | "validation" | "test", ds: Dataset) => ({ ...splits.info[name], baseRate: mean(ds.y) });

  const card: ModelCard = {
    schema: "argus.model-card/v1",
    version,
    kind: "L2-regularised logistic regression (IRLS) on standardised technical features, Platt-calibrated",
    target: {
      description: `P(total return over the next ${horizon} trading sessions > 0), predicted at the close of the feature bar`,
      horizonDays: horizon,
      priceField: "Adj Close (split- and dividend-adjusted); features use split-adjusted OHLCV",
    },
    featureVersion: FEATURE_VERSION,
    featureNames: [...FEATURE_NAMES],
    features: FEATURE_NAMES.map((name, j) => ({
      name,
      definition: FEATURE_DESCRIPTIONS[name],
      trainMean: scaler.mean[j]!,
      trainStd: scaler.std[j]!,
      weight: fit.weights[j]!,
    })),
    bias: fit.bias,
    calibration: { method: "platt", a: platt.a, b: platt.b, fittedOn: "validation", formula: "p = sigmoid(a * (w · ((x − mean) / std) + bias) + b)" },
    training: {
      method: "Newton–Raphson / IRLS from zero, step halving, stop when the largest step < 1e-12",
      l2,
      iterations: fit.iterations,
      converged: fit.converged,
      objective: fit.objective,
      standardization: "per-feature mean and population std over TRAIN rows only",
    },
    data: {
      dir: options.dataDir ? displayDir(options.dataDir) : "(in memory)",
      sha256: data.sha256,
      symbols: data.series.map((s) => s.symbol),
      skipped: data.skipped,
      firstDate: isoDate(firstDay),
      lastDate: isoDate(lastDay),
    },
    splits: { train: withRate("train", train), validation: withRate("validation", validation), test: withRate("test", test) },
    purging:
      `Rows are assigned to a split by their feature date; a row is dropped (purged) when its label window ends after its split's last day, ` +
      `i.e. when the ${horizon}-session forward return would use prices from the next split. Without this, the last ${horizon} sessions of ` +
      `train would carry labels made of validation prices (and validation of test prices). Features only look back, so no purge is needed at ` +
      `the start of a split. All symbols are pooled; rows overlap in time (consecutive ${horizon}-day labels share ${horizon - 1} days).`,
    metrics: {
      test: {
        model: forecastMetrics(pTest, test.y),
        baseline: baselineMetrics(trainRate, test.y),
        baselineRecent: baselineMetrics(validationRate, test.y),
        uncalibrated: forecastMetrics(predictRaw(test), test.y),
        byYear,
      },
      validation: {
        model: forecastMetrics(pVal, validation.y),
        baseline: baselineMetrics(trainRate, validation.y),
        uncalibrated: forecastMetrics(predictRaw(validation), validation.y),
      },
      train: { model: forecastMetrics(pTrain, train.y), baseline: baselineMetrics(trainRate, train.y), uncalibrated: forecastMetrics(predictRaw(train), train.y) },
    },
    reliability: {
      test: reliabilityTable(pTest, test.y, { bins: 10, strategy: "uniform" }),
      testDeciles: reliabilityTable(pTest, test.y, { bins: 10, strategy: "quantile" }),
    },
    onnx: {
      file: `${version}.onnx`,
      sha256: createHash("sha256").update(onnx).digest("hex"),
      opset: ONNX_OPSET,
      irVersion: ONNX_IR_VERSION,
      input: `${INPUT_NAME}: double[N, ${F}]`,
      output: `${OUTPUT_NAME}: double[N, 1]`,
      dtype: "double",
    },
    trainedAt: isoDate(lastDay),
    limitations: [
      "Daily direction of large-cap stocks is close to unpredictable from price and volume alone: expect AUC near 0.5 and Brier/log loss barely below the base-rate baseline. Treat the probability as a weak prior, not a signal to trade on by itself.",
      `Survivorship bias: the universe is ${data.series.length} companies that are large caps today; their history over-represents winners, which inflates the base rate of up weeks.`,
      "Overlapping labels and cross-sectional correlation (all stocks move with the market) make the effective sample far smaller than the row count; differences in the 3rd decimal of AUC are within noise (see the per-year test metrics).",
      "The base rate drifts between periods (bull and bear markets); a constant offset in the probability is mostly the train-period base rate, re-calibrated on 2015–2017.",
      "Features are computed from split-adjusted (not dividend-adjusted) OHLCV, like the bars Argus stores; the label uses the total-return (Adj Close) series.",
      "Indicators seeded by EMA/Wilder smoothing depend slightly on how much history precedes a bar; live predictions from a shorter window differ from training features by a small, decaying amount.",
      "Not investment advice. Past relationships in 2000–2017 need not hold later.",
    ],
  };
  return { params, fit, splits, card, onnx, testPredictions: pTest };
}

function mean(y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]!;
  return s / y.length;
}

/** Writes `<version>.onnx`, `<version>.json` and `<version>.md` into `outDir`; returns their paths. */
export function writeModelFiles(result: { card: ModelCard; onnx: Uint8Array }, outDir: string): { onnx: string; json: string; md: string } {
  const base = join(outDir, result.card.version);
  const paths = { onnx: `${base}.onnx`, json: `${base}.json`, md: `${base}.md` };
  writeFileSync(paths.onnx, result.onnx);
  writeFileSync(paths.json, JSON.stringify(result.card, null, 2) + "\n");
  writeFileSync(paths.md, renderModelCardMarkdown(result.card));
  return paths;
}

const f4 = (v: number | null) => (v === null || Number.isNaN(v) ? "—" : v.toFixed(4));
const f5 = (v: number | null) => (v === null || Number.isNaN(v) ? "—" : v.toFixed(5));
const signed = (v: number, digits: number) => (v >= 0 ? "+" : "−") + Math.abs(v).toFixed(digits);
const int = (v: number) => v.toLocaleString("en-US");

/** One honest paragraph on the test result, worded from the numbers rather than written in advance. */
function headline(card: ModelCard): string {
  const t = card.metrics.test;
  const parts: string[] = [];
  parts.push(
    `On ${int(t.model.rows)} test rows (${card.splits.test.firstRow} … ${card.splits.test.lastRow}) the model's ROC AUC is **${f4(t.model.auc)}** against 0.5 for no skill` +
      (t.model.auc <= 0.5 ? " — it ranks the test rows no better than a coin flip." : t.model.auc < 0.52 ? " — barely above chance." : "."),
  );
  const vsTrain = 1 - t.model.brier / t.baseline.brier;
  const vsRecent = 1 - t.model.brier / t.baselineRecent.brier;
  parts.push(
    `Brier score ${f5(t.model.brier)} vs ${f5(t.baseline.brier)} for always predicting the train base rate (${f4(t.baseline.predicted)}) ` +
      `(${vsTrain >= 0 ? "better by" : "worse by"} ${Math.abs(vsTrain * 100).toFixed(2)}%) and vs ${f5(t.baselineRecent.brier)} for always predicting the validation base rate (${f4(t.baselineRecent.predicted)}) ` +
      `(${vsRecent >= 0 ? "better by" : "worse by"} ${Math.abs(vsRecent * 100).toFixed(2)}%); log loss ${f5(t.model.logLoss)} vs ${f5(t.baseline.logLoss)} and ${f5(t.baselineRecent.logLoss)}.`,
  );
  if (vsTrain > 0 && vsRecent <= 0) {
    parts.push("The gain over the train-rate baseline comes from re-centring on the more recent base rate during calibration, not from ranking skill.");
  }
  const h = card.target.horizonDays;
  parts.push(
    t.model.auc < 0.52 || vsRecent <= 0
      ? `Read it as: no demonstrated out-of-sample skill at predicting the sign of ${h}-session returns from these features — the expected result for short-horizon direction.`
      : `Read it as: a small out-of-sample edge on the sign of ${h}-session returns; check that it holds in every test year below before leaning on it.`,
  );
  return parts.join(" ");
}

export function renderModelCardMarkdown(card: ModelCard): string {
  const t = card.metrics.test;
  const v = card.metrics.validation;
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(
    `# Model card: ${card.version}`,
    "",
    `${card.kind}. Predicts ${card.target.description}.`,
    "",
    "Generated by `npm run train` (models/train.ts) from the data below; this file, `" + card.version + ".json` (machine-readable, full precision) and `" + card.onnx.file + "` are produced together. Do not edit by hand.",
    "",
    "## Headline (test split, out of sample)",
    "",
    headline(card),
    "",
    "| split | rows | base rate | AUC model | AUC baseline | Brier model | Brier baseline | log loss model | log loss baseline |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const [name, m] of [["test", t], ["validation", v], ["train (in-sample)", card.metrics.train]] as const) {
    push(`| ${name} | ${int(m.model.rows)} | ${f4(m.model.baseRate)} | ${f4(m.model.auc)} | 0.5000 | ${f5(m.model.brier)} | ${f5(m.baseline.brier)} | ${f5(m.model.logLoss)} | ${f5(m.baseline.logLoss)} |`);
  }
  push(
    "",
    `Baseline = predict the train base rate (${f4(t.baseline.predicted)}) for every row. The validation split is where the calibration was fitted, so its numbers are not fully out of sample; the test split is touched only for these metrics.`,
    `Second no-skill peer on test: always predict the validation base rate (${f4(t.baselineRecent.predicted)}), the most recent rate known before 2018: Brier ${f5(t.baselineRecent.brier)}, log loss ${f5(t.baselineRecent.logLoss)}.`,
    "",
    "Before Platt scaling (raw logistic regression): " +
      `train AUC ${f4(card.metrics.train.uncalibrated.auc)} (in-sample), validation ${f4(v.uncalibrated.auc)}, test ${f4(t.uncalibrated.auc)}; ` +
      `test Brier ${f5(t.uncalibrated.brier)}, log loss ${f5(t.uncalibrated.logLoss)}.`,
    "",
    "### Test metrics by year",
    "",
    "| year | rows | base rate | AUC | Brier model | Brier baseline (train rate) | Brier baseline (validation rate) | log loss model | log loss baseline (train rate) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const y of t.byYear) {
    push(`| ${y.year} | ${int(y.model.rows)} | ${f4(y.model.baseRate)} | ${f4(y.model.auc)} | ${f5(y.model.brier)} | ${f5(y.baseline.brier)} | ${f5(y.baselineRecent.brier)} | ${f5(y.model.logLoss)} | ${f5(y.baseline.logLoss)} |`);
  }
  push(
    "",
    "## Target",
    "",
    `Label = 1 when Adj Close ${card.target.horizonDays} sessions ahead is above today's Adj Close (total return > 0), else 0. Features are known at today's close.`,
    "",
    "## Data and splits",
    "",
    `- Source: \`${card.data.dir}\` — ${card.data.symbols.length} symbols, ${card.data.firstDate} … ${card.data.lastDate}, sha256 \`${card.data.sha256.slice(0, 16)}…\` (full hash in the JSON card).`,
    `- Symbols: ${card.data.symbols.join(", ")}.`,
  );
  for (const s of card.data.skipped) push(`- Skipped \`${s.file}\`: ${s.reason}.`);
  push(
    "- All symbols pooled; rows are (symbol, date) pairs with all features defined (the first 251 sessions of each symbol are warm-up).",
    "",
    "| split | calendar range | rows kept | purged | first row | last row | base rate |",
    "|---|---|---:|---:|---|---|---:|",
  );
  for (const name of ["train", "validation", "test"] as const) {
    const s = card.splits[name];
    push(`| ${name} | ${s.from} … ${s.to} | ${int(s.rows)} | ${int(s.purged)} | ${s.firstRow ?? "—"} | ${s.lastRow ?? "—"} | ${f4(s.baseRate)} |`);
  }
  push(
    "",
    `**Purging.** ${card.purging}`,
    "",
    "## Features",
    "",
    `Feature set \`${card.featureVersion}\`, in input order. Standardised with the TRAIN mean and std; weights are on the standardised scale (a weight is the change in log-odds per train standard deviation, before calibration).`,
    "",
    "| # | feature | definition | train mean | train std | weight |",
    "|---:|---|---|---:|---:|---:|",
  );
  card.features.forEach((f, j) => push(`| ${j} | \`${f.name}\` | ${f.definition} | ${f.trainMean.toPrecision(4)} | ${f.trainStd.toPrecision(4)} | ${signed(f.weight, 4)} |`));
  push(
    "",
    `Intercept ${signed(card.bias, 4)}. L2 penalty λ = ${card.training.l2} on the weights (objective: summed log loss + λ/2·‖w‖²), ${card.training.iterations} Newton iterations.`,
    "",
    "## Calibration",
    "",
    `Platt scaling fitted on the validation split only: p = σ(a·z + b) with z the raw logit, a = ${signed(card.calibration.a, 4)}, b = ${signed(card.calibration.b, 4)}.` +
      (card.calibration.a < 0
        ? " The slope is NEGATIVE: on 2015–2017 the raw model ranked rows slightly worse than chance, so the calibration reverses its ranking. The calibrated model therefore leans against what the train-period fit learned; neither direction is a reliable signal."
        : ""),
    "",
    "### Reliability on the test split (10 equal-width bins)",
    "",
    "| bin | rows | mean predicted | observed frequency |",
    "|---|---:|---:|---:|",
  );
  for (const b of card.reliability.test) push(`| ${b.lo.toFixed(1)}–${b.hi.toFixed(1)} | ${int(b.count)} | ${f4(b.meanPredicted)} | ${f4(b.observedFrequency)} |`);
  push(
    "",
    "The forecasts sit in a narrow band around the base rate, so almost all rows fall in one or two equal-width bins. By decile of the forecast:",
    "",
    "| decile | forecast range | rows | mean predicted | observed frequency |",
    "|---:|---|---:|---:|---:|",
  );
  card.reliability.testDeciles.forEach((b, i) => push(`| ${i + 1} | ${f4(b.lo)}–${f4(b.hi)} | ${int(b.count)} | ${f4(b.meanPredicted)} | ${f4(b.observedFrequency)} |`));
  push(
    "",
    "## ONNX",
    "",
    `\`${card.onnx.file}\` (opset ${card.onnx.opset}, IR ${card.onnx.irVersion}, sha256 \`${card.onnx.sha256.slice(0, 16)}…\`): input \`${card.onnx.input}\`, output \`${card.onnx.output}\`.`,
    "Graph: Sub(mean) → Div(std) → MatMul(W) → Add(bias) → Mul(platt_a) → Add(platt_b) → Sigmoid, all in double precision; metadata_props carry the version, feature names, feature version and horizon.",
    card.verification ? `onnxruntime vs the training-side float64 prediction on the test split: max |Δ| = ${card.verification.onnxMaxAbsDiffTest.toExponential(2)}.` : "",
    "",
    "## Limitations",
    "",
    ...card.limitations.map((l) => `- ${l}`),
    "",
    "## Reproduce",
    "",
    "`npm run train` (options: `--data <dir>`, `--horizon <n>`, `--out <dir>`). Training is deterministic; `trainedAt` is the last date in the data " +
      `(${card.trainedAt}), so the same data gives the same weights and the same ONNX bytes.`,
    "",
  );
  return lines.filter((l, i, a) => !(l === "" && a[i - 1] === "")).join("\n");
}
