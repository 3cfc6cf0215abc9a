import type { ArgusConfig } from "../core/config.js";
import type { Clock } from "../core/clock.js";
import { ArgusError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { Db } from "../db/connection.js";
import type { DataManager } from "../data/data-manager.js";
import { AlpacaBroker } from "./alpaca/alpaca-broker.js";
import type { ModeInfo } from "./mode.js";
import { PaperBroker } from "./paper/paper-broker.js";
import type { Broker } from "./types.js";

/** The broker for the resolved mode: the paper simulator, or Alpaca (its paper endpoint unless live). */
export function createBroker(config: ArgusConfig, mode: ModeInfo, deps: { db: Db; data: DataManager; clock: Clock; logger: Logger }): Broker {
  if (config.execution.broker === "paper") {
    return new PaperBroker(deps.db, deps.data, deps.clock, config.execution.paper);
  }
  const { keyId, secretKey, baseUrl, timeoutMs } = config.execution.alpaca;
  if (!keyId || !secretKey) {
    throw new ArgusError("CONFIG_INVALID", "ARGUS_BROKER=alpaca needs APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment.");
  }
  return new AlpacaBroker({ keyId, secretKey, live: mode.mode === "live", timeoutMs, logger: deps.logger, ...(baseUrl ? { baseUrl } : {}) });
}
