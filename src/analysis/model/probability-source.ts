import { existsSync, readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import type { Logger } from "../../core/logger.js";
import { fromRoot } from "../../core/package-root.js";
import type { Bar } from "../../data/bar.js";
import type { ProbabilitySource } from "../analysis-engine.js";
import { FEATURE_NAMES, latestFeatures } from "../features.js";
import { cardPathFor, ProbabilityModel } from "./probability-model.js";

/**
 * The last date of the data the model was fitted or calibrated on (its card's train and
 * validation splits), or null when the card does not say. Before and on that date the
 * model has seen the future, so a replay must not use it.
 */
function fittedThrough(cardPath: string): string | null {
  try {
    const card = JSON.parse(readFileSync(cardPath, "utf8")) as { splits?: Record<string, { to?: unknown }> };
    const ends = ["train", "validation"].map((k) => card.splits?.[k]?.to).filter((x): x is string => typeof x === "string" && /^\d{4}-\d{2}-\d{2}$/.test(x));
    return ends.length > 0 ? ends.sort().at(-1)! : null;
  } catch {
    return null;
  }
}

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
        fittedThrough: fittedThrough(cardPathFor(path)),
        async predictLatest(daily: readonly Bar[]): Promise<number | null> {
          const row = latestFeatures(daily);
          return row === null ? null : model.predict(row);
        },
      };
    })());
}
