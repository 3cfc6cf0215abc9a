/**
 * One OHLCV bar. `t` is the bar's START in epoch milliseconds UTC (Alpaca's
 * convention). A 1Day bar starts at 00:00 America/New_York of its session date.
 */
export interface Bar {
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Split- and dividend-adjusted close, when the source provides one. */
  adjClose?: number | null;
}
