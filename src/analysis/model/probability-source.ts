import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import type { Logger } from "../../core/logger.js";
import { fromRoot } from "../../core/package-root.js";
import type { Bar } from "../../data/bar.js";
import type { ProbabilitySource } from "../analysis-engine.js";
import { FEATURE_NAMES, latestFeatures } from "../features.js";
import { ProbabilityModel } from "./probability-model.js";

/**
 * The probability model as the engine sees it: loaded on first use (onnxruntime start-up
 * costs ~100 ms that tools which never analyse should not pay), and absent — null —
 * when the file is missing, which the analysis reports instead of inventing a number.
 */
export function lazyProbabilitySource(modelPath: string, logger: Logger): () => Promise<ProbabilitySource | null> {
  let loading: Promise<ProbabilitySource | null> | undefined;
  const path = isAbsolute(modelPath) ? modelPath : fromRoot(modelPath);
  return () =>
    (loading ??= (async () => {
      if (!existsSync(path)) {
        logger.warn({ path }, "no probability model; analyses will carry no probability (run npm run train)");
        return null;
      }
      const model = await ProbabilityModel.load(path);
      if (model.featureNames.join(",") !== FEATURE_NAMES.join(",")) {
        logger.error({ path, model: model.featureNames, code: FEATURE_NAMES }, "the model's features differ from this build's; retrain with npm run train");
        return null;
      }
      return {
        version: model.version,
        horizonDays: model.horizonDays,
        async predictLatest(daily: readonly Bar[]): Promise<number | null> {
          const row = latestFeatures(daily);
          return row === null ? null : model.predict(row);
        },
      };
    })());
}
