/**
 * Writes the fitted model as an ONNX graph (opset 13, IR version 8) in DOUBLE precision,
 * so onnxruntime reproduces the training-side float64 prediction to ~1e-15:
 *
 *   features [N,F] → Sub(mean) → Div(std) → MatMul(W [F,1]) → Add(bias)
 *                  → Mul(platt_a) → Add(platt_b) → Sigmoid → probability [N,1]
 *
 * Constants are kept unfolded so each initializer matches a number in the model card.
 * Metadata (version, feature names, horizon) travels in metadata_props as well.
 */
import onnxProto from "onnx-proto";
import { ArgusError } from "../../core/errors.js";
import type { LinearProbabilityParams } from "./linear-model.js";

const { onnx } = onnxProto;

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 8;
export const INPUT_NAME = "features";
export const OUTPUT_NAME = "probability";

/** metadata_props keys. */
export const META_KEYS = {
  version: "argus.model_version",
  featureNames: "argus.feature_names",
  featureVersion: "argus.feature_version",
  horizonDays: "argus.horizon_days",
  target: "argus.target",
} as const;

export interface OnnxModelMetadata {
  version: string;
  featureNames: readonly string[];
  featureVersion: string;
  horizonDays: number;
  target: string;
}

function tensor(name: string, dims: number[], values: ArrayLike<number>): onnxProto.onnx.ITensorProto {
  return { name, dims, dataType: onnx.TensorProto.DataType.DOUBLE, doubleData: Array.from(values) };
}

function valueInfo(name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.DOUBLE,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export function buildOnnxModel(params: LinearProbabilityParams, meta: OnnxModelMetadata): Uint8Array {
  const f = params.weights.length;
  if (params.mean.length !== f || params.std.length !== f || meta.featureNames.length !== f) {
    throw new ArgusError("INVALID_INPUT", `buildOnnxModel: ${f} weights, ${params.mean.length} means, ${params.std.length} stds, ${meta.featureNames.length} feature names.`);
  }
  const node = (opType: string, inputs: string[], output: string): onnxProto.onnx.INodeProto => ({
    opType,
    input: inputs,
    output: [output],
    name: `${opType.toLowerCase()}_${output}`,
  });
  const graph: onnxProto.onnx.IGraphProto = {
    name: "argus_probability",
    docString: "Calibrated probability that the forward return over the horizon is positive: sigmoid(platt_a * (((x - mean) / std) @ W + bias) + platt_b).",
    input: [valueInfo(INPUT_NAME, ["N", f])],
    output: [valueInfo(OUTPUT_NAME, ["N", 1])],
    initializer: [
      tensor("mean", [f], params.mean),
      tensor("std", [f], params.std),
      tensor("W", [f, 1], params.weights),
      tensor("bias", [1], [params.bias]),
      tensor("platt_a", [1], [params.platt.a]),
      tensor("platt_b", [1], [params.platt.b]),
    ],
    node: [
      node("Sub", [INPUT_NAME, "mean"], "centered"),
      node("Div", ["centered", "std"], "standardized"),
      node("MatMul", ["standardized", "W"], "score"),
      node("Add", ["score", "bias"], "logit"),
      node("Mul", ["logit", "platt_a"], "scaled_logit"),
      node("Add", ["scaled_logit", "platt_b"], "calibrated_logit"),
      node("Sigmoid", ["calibrated_logit"], OUTPUT_NAME),
    ],
  };
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "argus",
    producerVersion: meta.version,
    docString: `Argus probability model ${meta.version}: P(${meta.target}).`,
    graph,
    metadataProps: [
      { key: META_KEYS.version, value: meta.version },
      { key: META_KEYS.featureNames, value: JSON.stringify(meta.featureNames) },
      { key: META_KEYS.featureVersion, value: meta.featureVersion },
      { key: META_KEYS.horizonDays, value: String(meta.horizonDays) },
      { key: META_KEYS.target, value: meta.target },
    ],
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Reads metadata_props (only those under META_KEYS) and the input width from ONNX bytes. */
export function readOnnxMetadata(bytes: Uint8Array): { props: Map<string, string>; inputWidth: number | null } {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new ArgusError("INVALID_INPUT", `Not an ONNX model: ${(err as Error).message}`);
  }
  const props = new Map<string, string>();
  for (const p of model.metadataProps ?? []) if (p.key) props.set(p.key, p.value ?? "");
  const input = model.graph?.input?.find((i) => i.name === INPUT_NAME);
  const last = input?.type?.tensorType?.shape?.dim?.at(-1);
  const width = last?.dimValue == null ? null : Number(last.dimValue);
  return { props, inputWidth: width !== null && width > 0 ? width : null };
}
