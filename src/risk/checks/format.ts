/**
 * Number formatting for check details, written for a human approver: "$31,250",
 * "1.5%", "120 s". Plain string work (no Intl) because the firewall runs on every
 * proposal and approval and its whole budget is tens of microseconds.
 */

function groupThousands(intPart: string): string {
  let out = "";
  let n = 0;
  for (let i = intPart.length - 1; i >= 0; i--) {
    out = intPart[i]! + out;
    if (++n % 3 === 0 && i > 0) out = "," + out;
  }
  return out;
}

function fixed(x: number, decimals: number, trimZeros: boolean): string {
  if (!Number.isFinite(x)) return String(x);
  const neg = x < 0;
  let s = Math.abs(x).toFixed(decimals);
  if (trimZeros && s.includes(".")) s = s.replace(/\.?0+$/, "");
  const dot = s.indexOf(".");
  const intPart = dot === -1 ? s : s.slice(0, dot);
  const frac = dot === -1 ? "" : s.slice(dot);
  return (neg ? "-" : "") + groupThousands(intPart) + frac;
}

/** Dollars: whole dollars from $1,000 up, cents below ("$31,250", "$412.50", "$0.5123"). */
export function usd(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const body = a >= 1000 ? fixed(a, 0, false) : a >= 1 ? fixed(a, 2, false) : fixed(a, 4, false);
  return (x < 0 ? "-$" : "$") + body;
}

/** A price as quoted: cents from $1, four decimals below. */
export function price(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return "$" + fixed(x, Math.abs(x) >= 1 ? 2 : 4, false);
}

/** A fraction as a percentage: 0.025 → "2.5%". */
export function pct(fraction: number): string {
  if (!Number.isFinite(fraction)) return String(fraction);
  const p = fraction * 100;
  const digits = Math.abs(p) >= 10 ? 1 : 2;
  return fixed(p, digits, true) + "%";
}

/** A share count: whole numbers grouped, fractions to at most 4 decimals ("1,200", "0.5"). */
export function shares(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return fixed(x, Number.isInteger(x) ? 0 : 4, true);
}

/** Seconds, rounded: "45 s". */
export function secs(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
