import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import onnxProto from "onnx-proto";
import { afterAll, describe, expect, it } from "vitest";
import { ArgusError } from "../../core/errors.js";
import { predictMatrix, type LinearProbabilityParams } from "./linear-model.js";
import { benchOnnxLatency } from "./latency.js";
import { buildOnnxModel, META_KEYS, readOnnxMetadata } from "./onnx-export.js";
import { ProbabilityModel } from "./probability-model.js";

const dir = mkdtempSync(join(tmpdir(), "argus-onnx-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const F = 7;
const rand = rng(42);
const params: LinearProbabilityParams = {
  mean: Array.from({ length: F }, () => rand() - 0.5),
  std: Array.from({ length: F }, () => 0.1 + rand()),
  weights: Array.from({ length: F }, () => 2 * (rand() - 0.5)),
  bias: 0.13,
  platt: { a: 0.87, b: -0.05 },
};
const names = Array.from({ length: F }, (_, j) => `f${j}`);
const meta = { version: "test-v1", featureNames: names, featureVersion: "fv-test", horizonDays: 5, target: "return_5d > 0" };

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe("ONNX export + onnxruntime inference", () => {
  it("matches the float64 reference within 1e-6 (in practice ~1e-16) on random rows", async () => {
    const path = write("m.onnx", buildOnnxModel(params, meta));
    const model = await ProbabilityModel.load(path);
    expect(model.version).toBe("test-v1");
    expect(model.featureNames).toEqual(names);
    expect(model.horizonDays).toBe(5);
    expect(model.featureVersion).toBe("fv-test");
    const rows = 2000;
    const x = Float64Array.from({ length: rows * F }, () => 6 * (rand() - 0.5));
    const expected = predictMatrix(params, x, rows);
    const got = await model.predictBatch(x, rows);
    let maxDiff = 0;
    for (let r = 0; r < rows; r++) maxDiff = Math.max(maxDiff, Math.abs(got[r]! - expected[r]!));
    expect(maxDiff).toBeLessThan(1e-6);
    expect(maxDiff).toBeLessThan(1e-12);
    // Batch-1 path agrees with the batch path.
    const one = await model.predict(x.slice(0, F));
    expect(Math.abs(one - expected[0]!)).toBeLessThan(1e-12);
    await model.close();
  });

  it("stores the metadata in metadata_props and as opset 13 / IR 8 with DOUBLE input", () => {
    const bytes = buildOnnxModel(params, meta);
    const { props, inputWidth } = readOnnxMetadata(bytes);
    expect(inputWidth).toBe(F);
    expect(JSON.parse(props.get(META_KEYS.featureNames)!)).toEqual(names);
    const m = onnxProto.onnx.ModelProto.decode(bytes);
    expect(Number(m.irVersion)).toBe(8);
    expect(Number(m.opsetImport[0]!.version)).toBe(13);
    expect(m.graph?.input?.[0]?.type?.tensorType?.elemType).toBe(onnxProto.onnx.TensorProto.DataType.DOUBLE);
    expect(m.graph?.node?.map((n) => n.opType)).toEqual(["Sub", "Div", "MatMul", "Add", "Mul", "Add", "Sigmoid"]);
  });

  it("falls back to the model card beside the file when the ONNX has no metadata", async () => {
    const m = onnxProto.onnx.ModelProto.decode(buildOnnxModel(params, meta));
    m.metadataProps = [];
    const path = write("bare.onnx", onnxProto.onnx.ModelProto.encode(m).finish());
    writeFileSync(join(dir, "bare.json"), JSON.stringify({ version: "card-v9", featureNames: names, horizonDays: 10 }));
    const model = await ProbabilityModel.load(path);
    expect(model.version).toBe("card-v9");
    expect(model.horizonDays).toBe(10);
    await model.close();
  });

  it("rejects a wrong feature count, non-finite features and missing files with stable codes", async () => {
    const model = await ProbabilityModel.load(write("m2.onnx", buildOnnxModel(params, meta)));
    await expect(model.predict(new Float64Array(F - 1))).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(model.predict(new Float64Array(F + 1))).rejects.toBeInstanceOf(ArgusError);
    await expect(model.predictBatch(new Float64Array(F * 3), 2)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const bad = new Float64Array(F);
    bad[2] = NaN;
    await expect(model.predict(bad)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    // A model trained on other features cannot score bars through computeFeatures.
    expect(model.matchesFeatureSet).toBe(false);
    await expect(model.predictLatest([])).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await model.close();
    await expect(ProbabilityModel.load(join(dir, "nope.onnx"))).rejects.toMatchObject({ code: "FILE_NOT_FOUND" });
    await expect(ProbabilityModel.load(write("junk.onnx", new Uint8Array([1, 2, 3, 4, 5])))).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("measures batch-1 latency", async () => {
    const model = await ProbabilityModel.load(write("m3.onnx", buildOnnxModel(params, meta)));
    const r = await benchOnnxLatency(model, { calls: 2000, warmup: 200 });
    expect(r.calls).toBe(2000);
    expect(r.p50Us).toBeGreaterThan(0);
    expect(r.p99Us).toBeGreaterThanOrEqual(r.p50Us);
    await model.close();
  });
});
