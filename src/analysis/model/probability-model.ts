/**
 * Loads an exported probability model and scores feature rows with onnxruntime-node.
 * The session runs single-threaded (intra- and inter-op threads 1, sequential, basic
 * graph optimisation): a batch-1 call is a few microseconds of arithmetic, and thread
 * hand-offs would only add latency.
 */
import { existsSync, readFileSync } from "node:fs";
import { InferenceSession, Tensor } from "onnxruntime-node";
import { z } from "zod";
import { ArgusError } from "../../core/errors.js";
import { FEATURE_NAMES, FEATURE_VERSION, latestFeatures, type OhlcvBar, type OhlcvColumns } from "../features.js";
import { INPUT_NAME, META_KEYS, OUTPUT_NAME, readOnnxMetadata } from "./onnx-export.js";

/** The part of a model card (the JSON beside the .onnx) the loader reads. */
const cardMetaSchema = z.object({
  version: z.string().min(1),
  featureNames: z.array(z.string().min(1)).min(1),
  featureVersion: z.string().optional(),
  horizonDays: z.number().int().positive(),
});

/** The model card path for a model: same name, `.json` instead of `.onnx`. */
export function cardPathFor(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/i, "") + ".json";
}

export class ProbabilityModel {
  private constructor(
    private readonly session: InferenceSession,
    readonly path: string,
    readonly version: string,
    readonly featureNames: readonly string[],
    readonly featureVersion: string | null,
    readonly horizonDays: number,
  ) {}

  /**
   * Opens the model at `path`. Version, feature names and horizon come from the ONNX
   * metadata_props, or from the model card JSON beside the file when the ONNX has none.
   * Throws FILE_NOT_FOUND for a missing file and INVALID_INPUT for a file that is not a
   * usable model.
   */
  static async load(path: string): Promise<ProbabilityModel> {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new ArgusError("FILE_NOT_FOUND", `No model at ${path}; run \`npm run train\` to produce one.`);
    }
    const { props, inputWidth } = readOnnxMetadata(bytes);
    let meta: z.infer<typeof cardMetaSchema>;
    if (props.has(META_KEYS.version) && props.has(META_KEYS.featureNames) && props.has(META_KEYS.horizonDays)) {
      const parsed = cardMetaSchema.safeParse({
        version: props.get(META_KEYS.version),
        featureNames: safeJson(props.get(META_KEYS.featureNames)!),
        featureVersion: props.get(META_KEYS.featureVersion),
        horizonDays: Number(props.get(META_KEYS.horizonDays)),
      });
      if (!parsed.success) throw new ArgusError("INVALID_INPUT", `${path}: malformed metadata_props: ${parsed.error.message}`);
      meta = parsed.data;
    } else {
      const cardPath = cardPathFor(path);
      if (!existsSync(cardPath)) {
        throw new ArgusError("INVALID_INPUT", `${path} has no Argus metadata and there is no model card at ${cardPath}.`);
      }
      const parsed = cardMetaSchema.safeParse(safeJson(readFileSync(cardPath, "utf8")));
      if (!parsed.success) throw new ArgusError("INVALID_INPUT", `${cardPath}: not a model card: ${parsed.error.message}`);
      meta = parsed.data;
    }
    if (inputWidth !== null && inputWidth !== meta.featureNames.length) {
      throw new ArgusError("INVALID_INPUT", `${path}: the graph takes ${inputWidth} features but the metadata names ${meta.featureNames.length}.`);
    }
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, {
        graphOptimizationLevel: "basic",
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
      });
    } catch (err) {
      throw new ArgusError("INVALID_INPUT", `${path}: onnxruntime cannot load the model: ${(err as Error).message}`);
    }
    if (!session.inputNames.includes(INPUT_NAME) || !session.outputNames.includes(OUTPUT_NAME)) {
      await session.release();
      throw new ArgusError("INVALID_INPUT", `${path}: expected input "${INPUT_NAME}" and output "${OUTPUT_NAME}", found ${session.inputNames.join(",")} → ${session.outputNames.join(",")}.`);
    }
    return new ProbabilityModel(session, path, meta.version, Object.freeze([...meta.featureNames]), meta.featureVersion ?? null, meta.horizonDays);
  }

  get featureCount(): number {
    return this.featureNames.length;
  }

  /** Calibrated probability for one feature row (length = featureNames.length, all finite). */
  async predict(features: Float64Array): Promise<number> {
    const out = await this.predictBatch(features, 1);
    return out[0]!;
  }

  /** Calibrated probabilities for a rows × F row-major matrix. */
  async predictBatch(matrix: Float64Array, rows: number): Promise<Float64Array> {
    const f = this.featureNames.length;
    if (!(matrix instanceof Float64Array)) {
      throw new ArgusError("INVALID_INPUT", "Features must be a Float64Array.");
    }
    if (!Number.isInteger(rows) || rows < 1 || matrix.length !== rows * f) {
      throw new ArgusError(
        "INVALID_INPUT",
        rows === 1
          ? `The model takes ${f} features (${this.featureNames.join(", ")}); got ${matrix.length}.`
          : `The model takes ${f} features per row; got ${matrix.length} values for ${rows} rows.`,
        { expected: f, got: matrix.length, rows },
      );
    }
    for (let i = 0; i < matrix.length; i++) {
      if (!Number.isFinite(matrix[i]!)) {
        const r = Math.floor(i / f);
        throw new ArgusError("INVALID_INPUT", `Feature ${this.featureNames[i % f]} in row ${r} is not finite (${matrix[i]}); warm-up rows have no prediction.`, { row: r, feature: this.featureNames[i % f] });
      }
    }
    const result = await this.session.run({ [INPUT_NAME]: new Tensor("float64", matrix, [rows, f]) });
    const out = result[OUTPUT_NAME];
    if (!out || !(out.data instanceof Float64Array) || out.data.length !== rows) {
      throw new ArgusError("INTERNAL", "The model returned an unexpected output.");
    }
    return out.data;
  }

  /**
   * Whether this model's inputs are the features this build computes (`computeFeatures`):
   * same names in the same order and, when the model records one, the same feature version.
   */
  get matchesFeatureSet(): boolean {
    return (
      this.featureNames.length === FEATURE_NAMES.length &&
      this.featureNames.every((n, j) => n === FEATURE_NAMES[j]) &&
      (this.featureVersion === null || this.featureVersion === FEATURE_VERSION)
    );
  }

  /**
   * Probability for the last of `bars` (daily, oldest first): computes the features with
   * `computeFeatures` and scores the last row. Null while the features are warming up
   * (fewer than ~252 bars). Throws INVALID_INPUT when the model was trained on another
   * feature set.
   */
  async predictLatest(bars: readonly OhlcvBar[] | OhlcvColumns): Promise<number | null> {
    if (!this.matchesFeatureSet) {
      throw new ArgusError(
        "INVALID_INPUT",
        `Model ${this.version} expects features [${this.featureNames.join(", ")}] (${this.featureVersion ?? "unversioned"}); this build computes ${FEATURE_VERSION}. Retrain with \`npm run train\`.`,
      );
    }
    const row = latestFeatures(bars);
    return row === null ? null : this.predict(row);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
