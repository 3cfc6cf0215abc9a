/** C(n, k) as a float (small n: eval run counts). */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/**
 * pass^k for one case from n runs of which c passed: the chance that k runs drawn from
 * them all pass, C(c,k)/C(n,k). With n = k it is 1 when every run passed, else 0.
 */
export function passHatK(n: number, c: number, k: number): number {
  if (k < 1 || n < k) throw new RangeError(`pass^k needs 1 ≤ k ≤ n (k=${k}, n=${n})`);
  return choose(c, k) / choose(n, k);
}

export interface PassKSummary {
  k: number;
  cases: number;
  /** Mean over cases of each case's pass rate: the expected pass rate of a single run. */
  passAt1: number;
  /** Mean over cases of pass^k: how often k runs of a case ALL pass. */
  passHatK: number;
  /** Cases whose every run passed. */
  casesPassingAll: number;
}

/** Each case's run results (true = passed), k runs each (n ≥ k). */
export function summarizePassK(runs: ReadonlyMap<string, readonly boolean[]> | Record<string, readonly boolean[]>, k: number): PassKSummary {
  const entries = runs instanceof Map ? [...runs.entries()] : Object.entries(runs);
  if (entries.length === 0) return { k, cases: 0, passAt1: 0, passHatK: 0, casesPassingAll: 0 };
  let p1 = 0;
  let pk = 0;
  let all = 0;
  for (const [, rs] of entries) {
    const c = rs.filter(Boolean).length;
    p1 += c / rs.length;
    pk += passHatK(rs.length, c, k);
    if (c === rs.length) all++;
  }
  return { k, cases: entries.length, passAt1: p1 / entries.length, passHatK: pk / entries.length, casesPassingAll: all };
}
