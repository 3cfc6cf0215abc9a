/** Shares outstanding for market capitalisation, from the cover page or the balance sheet. Pure. */
import type { CompanyFacts, RawFact } from "../statements/index.js";
import { betterFact, dayNumber, factsOf, inputFromFact, known, type Amount } from "./inputs.js";
import type { FactorInput } from "./types.js";

/** A count older than this many days before the balance date is stale (the filer stopped tagging it). */
export const STALE_SHARES_DAYS = 180;

interface Count {
  value: number;
  end: string;
  accn: string;
  inputs: FactorInput[];
  classes: number;
}

/**
 * The latest-ending count of `taxonomy:tag` filed on or before asOf. When the winning filing
 * reports several values for that date (one per share class), they are summed.
 */
function latestCount(facts: CompanyFacts, taxonomy: string, tag: string, asOf: string | undefined): Count | undefined {
  const list = factsOf(facts, taxonomy, tag, "shares", asOf).filter((f) => f.start === undefined);
  if (list.length === 0) return undefined;
  let maxEnd = list[0]!.end;
  for (const f of list) if (f.end > maxEnd) maxEnd = f.end;
  const atEnd = list.filter((f) => f.end === maxEnd);
  let win: RawFact = atEnd[0]!;
  for (const f of atEnd) if (betterFact(f, win)) win = f;
  const group = atEnd.filter((f) => f.accn === win.accn);
  const inputs = group.map((f, i) =>
    inputFromFact(facts, `${taxonomy}:${tag}`, group.length > 1 ? `sharesOutstanding (value ${i + 1} of ${group.length})` : "sharesOutstanding", { value: f.val, source: f, latest: f }, {
      label: `${f.form} cover/balance date ${f.end}`,
      end: f.end,
    }),
  );
  return { value: group.reduce((s, f) => s + f.val, 0), end: maxEnd, accn: win.accn, inputs, classes: group.length };
}

/**
 * Shares outstanding as of `asOf`: dei:EntityCommonStockSharesOutstanding (the cover page),
 * else us-gaap:CommonStockSharesOutstanding (the balance sheet), else the weighted diluted
 * share count of the basis period (`fallback`), each step with a note. A count dated more
 * than STALE_SHARES_DAYS before `refDate` is passed over.
 */
export function sharesOutstanding(
  facts: CompanyFacts,
  asOf: string | undefined,
  refDate: string | null,
  fallback: () => Amount,
): { amount: Amount; source: string } {
  const skipped: string[] = [];
  const candidates: Array<[string, string, string]> = [
    ["dei", "EntityCommonStockSharesOutstanding", "cover page"],
    ["us-gaap", "CommonStockSharesOutstanding", "balance sheet"],
  ];
  for (const [taxonomy, tag, where] of candidates) {
    const c = latestCount(facts, taxonomy, tag, asOf);
    const name = `${taxonomy}:${tag}`;
    if (!c) {
      skipped.push(`no ${name}${asOf !== undefined ? ` filed on or before ${asOf}` : ""}`);
      continue;
    }
    if (refDate !== null && dayNumber(refDate) - dayNumber(c.end) > STALE_SHARES_DAYS) {
      skipped.push(`${name} is stale (latest ${c.end}, balance sheet ${refDate})`);
      continue;
    }
    // Notes travel into every factor built on the count, so only unusual choices make one.
    const notes = [...skipped];
    if (c.classes > 1) notes.push(`${name}: sum of ${c.classes} values the filing ${c.accn} reports for ${c.end} (share classes)`);
    return { amount: known(c.value, c.inputs, notes.length > 0 ? [notes.join("; ")] : []), source: `${name} at ${c.end} (${where})` };
  }
  const fb = fallback();
  const why = fb.value === null ? `${skipped.join("; ")}; ${fb.notes.join("; ")}` : `${skipped.join("; ")}; weighted-average diluted shares of the period used instead`;
  return {
    amount: { value: fb.value, inputs: fb.inputs, notes: [why] },
    source: "weighted-average diluted shares",
  };
}
