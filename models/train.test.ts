/**
 * The committed model (models/probability-v1.*) against the fixtures it was trained on:
 * (a) its TEST metrics are reproduced by the committed ONNX file scored through
 *     ProbabilityModel on a test split recomputed from the CSVs;
 * (b) retraining in-process reproduces the committed weights;
 * (c) onnxruntime and the training-side float64 prediction agree within 1e-6;
 * (d) the test period cannot influence the model, and the validation period influences
 *     only the calibration.
 * Skips, saying why, when the fixtures or the committed model are absent.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromRoot } from "../src/core/package-root.js";
import { dayNumber } from "../src/data/calendar/dates.js";
import { computeFeatures, FEATURE_NAMES, FEATURE_VERSION } from "../src/analysis/features.js";
import { buildDataset, DEFAULT_SPLITS, loadDailyCsvDir, splitDataset, type LoadedData, type SymbolSeries } from "../src/analysis/model/dataset.js";
import { predictMatrix } from "../src/analysis/model/linear-model.js";
import { forecastMetrics, constantForecastMetrics, reliabilityTable } from "../src/analysis/model/metrics.js";
import { ProbabilityModel } from "../src/analysis/model/probability-model.js";
import { trainModel, type ModelCard, type TrainResult } from "../src/analysis/model/train-model.js";

const FIXTURES = fromRoot("..", "shared", "fixtures", "bars", "daily");
const ONNX = fromRoot("models", "probability-v1.onnx");
const CARD = fromRoot("models", "probability-v1.json");
const haveFixtures = existsSync(FIXTURES);
const haveModel = existsSync(ONNX) && existsSync(CARD);
const skipReason = !haveFixtures ? `fixtures not found at ${FIXTURES}` : !haveModel ? `no committed model at ${ONNX} (run npm run train)` : null;
if (skipReason) console.warn(`models/train.test: skipped — ${skipReason}`);

describe.skipIf(skipReason !== null)("committed probability model", () => {
  let card: ModelCard;
  let data: LoadedData;
  let model: ProbabilityModel;
  let retrained: TrainResult;
  let retrainMs = 0;

  beforeAll(async () => {
    card = JSON.parse(readFileSync(CARD, "utf8")) as ModelCard;
    data = loadDailyCsvDir(FIXTURES);
    model = await ProbabilityModel.load(ONNX);
    const t0 = performance.now();
    retrained = trainModel({ data, horizon: card.target.horizonDays });
    retrainMs = performance.now() - t0;
  }, 120_000);
  afterAll(async () => {
    await model?.close();
  });

  it("card and ONNX file belong together and describe the feature set this build computes", () => {
    expect(createHash("sha256").update(readFileSync(ONNX)).digest("hex")).toBe(card.onnx.sha256);
    expect(model.version).toBe(card.version);
    expect(model.horizonDays).toBe(card.target.horizonDays);
    expect([...model.featureNames]).toEqual([...FEATURE_NAMES]);
    expect(card.featureVersion).toBe(FEATURE_VERSION);
    expect(model.matchesFeatureSet).toBe(true);
    expect(card.data.sha256).toBe(data.sha256);
    expect(card.trainedAt).toBe(card.data.lastDate);
  });

  it("(a) reproduces the card's TEST metrics from the committed ONNX on a recomputed test split", async () => {
    const splits = splitDataset(buildDataset(data.series, card.target.horizonDays), DEFAULT_SPLITS);
    const test = splits.test;
    expect(test.rows).toBe(card.splits.test.rows);
    expect(splits.info.train.rows).toBe(card.splits.train.rows);
    expect(splits.info.validation.rows).toBe(card.splits.validation.rows);
    const p = await model.predictBatch(test.x, test.rows);
    const m = forecastMetrics(p, test.y);
    const want = card.metrics.test.model;
    expect(m.rows).toBe(want.rows);
    expect(m.baseRate).toBeCloseTo(want.baseRate, 12);
    expect(m.auc).toBeCloseTo(want.auc, 9);
    expect(m.brier).toBeCloseTo(want.brier, 9);
    expect(m.logLoss).toBeCloseTo(want.logLoss, 9);
    const base = constantForecastMetrics(card.metrics.test.baseline.predicted, test.y);
    expect(base.brier).toBeCloseTo(card.metrics.test.baseline.brier, 12);
    expect(base.logLoss).toBeCloseTo(card.metrics.test.baseline.logLoss, 12);
    const rel = reliabilityTable(p, test.y);
    expect(rel.map((b) => b.count)).toEqual(card.reliability.test.map((b) => b.count));
    // Every test row is dated in the test period and its label ends inside it.
    const lo = dayNumber("2018-01-01");
    const hi = dayNumber(DEFAULT_SPLITS.testEnd);
    for (let r = 0; r < test.rows; r++) {
      expect(test.day[r]! >= lo && test.labelDay[r]! <= hi).toBe(true);
    }
  });

  it("(b) retraining in-process reproduces the committed weights within 1e-9", () => {
    console.log(`retrain (features + IRLS + Platt + metrics, data already loaded): ${(retrainMs / 1000).toFixed(1)} s`);
    expect(retrainMs).toBeLessThan(20_000);
    const c = retrained.card;
    expect(c.features.length).toBe(card.features.length);
    c.features.forEach((f, j) => {
      const w = card.features[j]!;
      expect(f.name).toBe(w.name);
      expect(Math.abs(f.weight - w.weight)).toBeLessThan(1e-9);
      expect(Math.abs(f.trainMean - w.trainMean)).toBeLessThan(1e-9 * Math.max(1, Math.abs(w.trainMean)));
      expect(Math.abs(f.trainStd - w.trainStd)).toBeLessThan(1e-9 * Math.max(1, w.trainStd));
    });
    expect(Math.abs(c.bias - card.bias)).toBeLessThan(1e-9);
    expect(Math.abs(c.calibration.a - card.calibration.a)).toBeLessThan(1e-9);
    expect(Math.abs(c.calibration.b - card.calibration.b)).toBeLessThan(1e-9);
    expect(c.metrics.test.model.auc).toBeCloseTo(card.metrics.test.model.auc, 9);
    expect(c.splits).toEqual(card.splits);
  });

  it("(c) onnxruntime matches the training-side float64 prediction within 1e-6 on real and random rows", async () => {
    const test = retrained.splits.test;
    const onnxP = await model.predictBatch(test.x, test.rows);
    const ref = predictMatrix(retrained.params, test.x, test.rows);
    let maxDiff = 0;
    for (let r = 0; r < test.rows; r++) maxDiff = Math.max(maxDiff, Math.abs(onnxP[r]! - ref[r]!));
    expect(maxDiff).toBeLessThan(1e-6);
    // Random rows far outside the data (±10 train std around the mean), batch-1 path.
    const F = FEATURE_NAMES.length;
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    let maxRandom = 0;
    for (let k = 0; k < 200; k++) {
      const row = Float64Array.from({ length: F }, (_, j) => card.features[j]!.trainMean + 20 * (rand() - 0.5) * card.features[j]!.trainStd);
      const got = await model.predict(row);
      maxRandom = Math.max(maxRandom, Math.abs(got - predictMatrix(retrained.params, row, 1)[0]!));
    }
    expect(maxRandom).toBeLessThan(1e-6);
    console.log(`ONNX vs float64: max |Δ| test rows ${maxDiff.toExponential(2)}, random rows ${maxRandom.toExponential(2)}`);
  });

  it("predictLatest scores the last bar through computeFeatures, and is null while warming up", async () => {
    const aapl = data.series.find((s) => s.symbol === "AAPL")!;
    const cut = (n: number) => ({
      open: aapl.open.subarray(0, n),
      high: aapl.high.subarray(0, n),
      low: aapl.low.subarray(0, n),
      close: aapl.close.subarray(0, n),
      volume: aapl.volume.subarray(0, n),
    });
    expect(await model.predictLatest(cut(200))).toBeNull();
    const n = aapl.close.length;
    const p = await model.predictLatest(cut(n));
    const F = FEATURE_NAMES.length;
    const row = computeFeatures(cut(n)).matrix.slice((n - 1) * F, n * F);
    expect(p).toBe(await model.predict(row));
    expect(p!).toBeGreaterThan(0);
    expect(p!).toBeLessThan(1);
  });

  /** A copy of the data with every bar dated on or after `from` scrambled. */
  function scrambleFrom(from: string): LoadedData {
    const start = dayNumber(from);
    const series: SymbolSeries[] = data.series.map((s) => {
      const c: SymbolSeries = {
        symbol: s.symbol,
        day: s.day,
        open: s.open.slice(),
        high: s.high.slice(),
        low: s.low.slice(),
        close: s.close.slice(),
        volume: s.volume.slice(),
        adjClose: s.adjClose.slice(),
      };
      for (let i = 0; i < c.day.length; i++) {
        if (c.day[i]! < start) continue;
        const f = 1 + 0.25 * Math.sin(i * 1.7); // deterministic, large moves
        c.open[i]! *= f;
        c.close[i]! *= 1 / f;
        c.high[i] = Math.max(c.open[i]!, c.close[i]!) * 1.01;
        c.low[i] = Math.min(c.open[i]!, c.close[i]!) * 0.99;
        c.adjClose[i]! *= 1 / f;
        c.volume[i]! *= 2 + Math.cos(i);
      }
      return c;
    });
    return { ...data, series };
  }

  it("(d) test-period bars cannot change the model; validation-period bars change only the calibration", () => {
    const horizon = card.target.horizonDays;
    const noTest = trainModel({ data: scrambleFrom("2018-01-01"), horizon });
    expect(Array.from(noTest.params.weights)).toEqual(Array.from(retrained.params.weights));
    expect(Array.from(noTest.params.mean)).toEqual(Array.from(retrained.params.mean));
    expect(Array.from(noTest.params.std)).toEqual(Array.from(retrained.params.std));
    expect(noTest.params.bias).toBe(retrained.params.bias);
    expect(noTest.params.platt).toEqual(retrained.params.platt);
    // …while the scrambling did reach the test metrics.
    expect(noTest.card.metrics.test.model.auc).not.toBe(retrained.card.metrics.test.model.auc);

    const noValidation = trainModel({ data: scrambleFrom("2015-01-01"), horizon });
    expect(Array.from(noValidation.params.weights)).toEqual(Array.from(retrained.params.weights));
    expect(Array.from(noValidation.params.mean)).toEqual(Array.from(retrained.params.mean));
    expect(noValidation.params.bias).toBe(retrained.params.bias);
    expect(noValidation.params.platt.a).not.toBe(retrained.params.platt.a);
  }, 120_000);
});
