import { z } from "zod";

/** Bar timeframes, named as Alpaca names them. */
export const TIMEFRAMES = ["1Min", "5Min", "15Min", "1Hour", "1Day"] as const;
export const timeframeSchema = z.enum(TIMEFRAMES);
export type Timeframe = z.infer<typeof timeframeSchema>;

/** Length of an intraday bar in minutes; 1Day bars span a session, not a fixed length. */
export const INTRADAY_MINUTES: Record<Exclude<Timeframe, "1Day">, number> = {
  "1Min": 1,
  "5Min": 5,
  "15Min": 15,
  "1Hour": 60,
};

export function isIntraday(tf: Timeframe): tf is Exclude<Timeframe, "1Day"> {
  return tf !== "1Day";
}
