import type { ArgusConfig } from "../core/config.js";

/** The exact acknowledgement ARGUS_LIVE_ACK must hold for live trading. */
export const LIVE_ACK_PHRASE = "I understand that live mode sends real orders with real money";

export interface ModeInfo {
  mode: "paper" | "live";
  broker: "paper" | "alpaca";
  /** Why the mode is what it is, for get_mode and the logs. */
  reason: string;
}

/**
 * Paper unless BOTH settings say live (DESIGN §4): mode "live" and the acknowledgement
 * phrase. Any other value — a typo, "LIVE", a missing ack — means paper.
 */
export function resolveMode(config: ArgusConfig["execution"]): ModeInfo {
  const wantsLive = config.mode === "live";
  const acknowledged = config.liveAck === LIVE_ACK_PHRASE;
  if (wantsLive && acknowledged && config.broker === "alpaca") {
    return { mode: "live", broker: "alpaca", reason: "ARGUS_MODE=live with the acknowledgement, broker alpaca" };
  }
  const reason = !wantsLive
    ? `mode "${config.mode}" is not "live"`
    : !acknowledged
      ? "ARGUS_MODE=live but ARGUS_LIVE_ACK does not hold the acknowledgement phrase"
      : "live mode needs the alpaca broker";
  return { mode: "paper", broker: config.broker, reason: `paper: ${reason}` };
}
