/**
 * Insider buying and selling clusters from Form 4 transactions: several insiders trading
 * the same way on the open market within a month. One insider's trade says little (taxes,
 * diversification, a house); several independent insiders buying with their own money at
 * the same time is one of the better-documented insider signals. Pure functions.
 *
 * What counts
 * - Open-market trades only: code P (purchase) or S (sale) in the non-derivative table
 *   (derivative rows are in other units), with a matching acquired/disposed code when given.
 * - Known by asOf: the Form 4 was filed on or before `asOf` and not before the window start.
 * - One insider = the reporting owners that file together: owners listed on one filing
 *   (a fund and its manager, a director and his trust) are joined, across filings, into
 *   one insider, so a joint filing is not three insiders.
 * - Amendments: a 4/A that repeats a transaction (same insider, date, code, shares, price,
 *   security) replaces the earlier filing's copy; identical lots within one filing stay.
 * - Sales under a Rule 10b5-1 plan are pre-scheduled, so they say nothing about the
 *   insider's view today: they are left out of selling clusters (and named in the detail).
 *   A sale is "planned" when the document's aff10b5One box is checked, or a footnote on the
 *   row mentions Rule 10b5-1 (and does not say "not … 10b5-1").
 *
 * When it is a cluster (CLUSTER_DAYS window anchored at each trade, overlapping
 * qualifying windows merged into one cluster):
 * - at least 3 distinct insiders traded the same way, or
 * - at least 2 did, at least one of them an officer or director, for $100,000 or more in total.
 *
 * Score (buying): min(90, 15 × min(insiders, 4) + value points + 10 if an officer or
 * director took part), value points = 10 × log10(total $ / 10,000) clamped to 0..30 (so
 * $100k → 10, $1M → 20, $10M+ → 30). Breadth counts most (independent opinions); size
 * and seniority add conviction. Capped at 90: insiders' opinions are not facts about the
 * books the way a non-reliance notice (95) is. Direction +min(1, 0.4 + 0.15 × min(insiders, 4)).
 * Selling: half of both (insiders sell for many reasons besides their view of the stock).
 */
import { dayNumber } from "../../data/calendar/dates.js";
import { formatMoney } from "../../core/text-table.js";
import type { OwnershipDocument } from "../forms/ownership.js";
import { insiderTransactions } from "../forms/ownership.js";
import { cleanFilingText } from "../untrusted.js";
import type { RawSignal, SignalFiling, SignalInsiderTransaction } from "./types.js";

export const CLUSTER_DAYS = 30;
export const MIN_INSIDERS = 3;
export const MIN_INSIDERS_WITH_OFFICER = 2;
export const MIN_VALUE_WITH_OFFICER = 100_000;
export const INSIDER_POINTS = 15;
export const INSIDER_POINTS_CAP = 4;
export const OFFICER_DIRECTOR_POINTS = 10;
export const VALUE_POINTS_MAX = 30;
export const BUY_CLUSTER_CAP = 90;
export const SELL_WEIGHT = 0.5;

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Transactions of one ownership document, tagged with their filing and the 10b5-1 box. */
export function signalInsiderTransactions(
  doc: OwnershipDocument,
  filing: { accessionNumber: string; filingDate: string; url: string },
): SignalInsiderTransaction[] {
  return insiderTransactions(doc).map((t) => ({ ...t, ...filing, aff10b5One: doc.aff10b5One }));
}

/** True when the trade is flagged as made under a Rule 10b5-1 plan (the box, or a footnote). */
export function isPlannedTrade(t: SignalInsiderTransaction): boolean {
  if (t.aff10b5One === true) return true;
  return t.footnotes.some((f) => {
    const text = f.text ?? "";
    return /10b5-1/i.test(text) && !/\bnot\b[^.]{0,60}10b5-1/i.test(text);
  });
}

/** Dollar value: the reported total, else shares × price; undefined when neither is known. */
export function transactionValue(t: SignalInsiderTransaction): number | undefined {
  if (t.totalValue !== undefined) return t.totalValue;
  if (t.shares !== undefined && t.pricePerShare !== undefined) return t.shares * t.pricePerShare;
  return undefined;
}

const tradeDate = (t: SignalInsiderTransaction): string => (t.date ?? t.filingDate).slice(0, 10);

function ownerKey(o: { cik: string; name: string }): string {
  const cik = o.cik.trim().replace(/^0+/, "");
  return cik !== "" ? `cik:${cik}` : `name:${o.name.trim().toLowerCase()}`;
}

/** Joins owners that appear on the same filing into one insider (union-find). */
class Insiders {
  private readonly parent = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly officerOrDirector = new Set<string>();

  add(t: SignalInsiderTransaction): void {
    const keys = t.owners.length > 0 ? t.owners.map(ownerKey) : [`filing:${t.accessionNumber}`];
    t.owners.forEach((o, i) => {
      const k = keys[i] as string;
      if (!this.names.has(k)) this.names.set(k, cleanFilingText(o.name.trim()) || k);
      if (/director|officer/i.test(o.relationship)) this.officerOrDirector.add(k);
    });
    for (const k of keys) if (!this.parent.has(k)) this.parent.set(k, k);
    for (const k of keys.slice(1)) this.union(keys[0] as string, k);
  }

  private find(k: string): string {
    let r = k;
    while (this.parent.get(r) !== r) r = this.parent.get(r) ?? r;
    this.parent.set(k, r);
    return r;
  }

  private union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb < ra ? ra : rb, rb < ra ? rb : ra);
  }

  of(t: SignalInsiderTransaction): string {
    const first = t.owners[0];
    return this.find(first ? ownerKey(first) : `filing:${t.accessionNumber}`);
  }

  members(root: string): string[] {
    return [...this.parent.keys()].filter((k) => this.find(k) === root);
  }

  label(root: string): string {
    return this.members(root)
      .map((k) => this.names.get(k) ?? k)
      .join(" / ");
  }

  isOfficerOrDirector(root: string): boolean {
    return this.members(root).some((k) => this.officerOrDirector.has(k));
  }
}

/** Drops a transaction repeated by a later 4/A (keeps the latest-filed copy). */
function dropAmendedDuplicates(txs: SignalInsiderTransaction[], insiders: Insiders): SignalInsiderTransaction[] {
  const byKey = new Map<string, SignalInsiderTransaction[]>();
  for (const t of txs) {
    const key = [insiders.of(t), tradeDate(t), t.code, t.table, t.securityTitle, t.shares ?? "", t.pricePerShare ?? "", t.acquiredDisposed ?? ""].join("|");
    const list = byKey.get(key);
    if (list) list.push(t);
    else byKey.set(key, [t]);
  }
  const keep = new Set<SignalInsiderTransaction>();
  for (const list of byKey.values()) {
    const accessions = new Set(list.map((t) => t.accessionNumber));
    if (accessions.size > 1 && list.some((t) => t.documentType.endsWith("/A"))) {
      const latest = [...list].sort((a, b) => b.filingDate.localeCompare(a.filingDate) || b.accessionNumber.localeCompare(a.accessionNumber))[0] as SignalInsiderTransaction;
      for (const t of list) if (t.accessionNumber === latest.accessionNumber) keep.add(t);
    } else {
      for (const t of list) keep.add(t);
    }
  }
  return txs.filter((t) => keep.has(t));
}

interface ClusterStats {
  insiders: Set<string>;
  value: number;
  unpriced: number;
  officerOrDirector: boolean;
}

function stats(txs: readonly SignalInsiderTransaction[], insiders: Insiders): ClusterStats {
  const s: ClusterStats = { insiders: new Set(), value: 0, unpriced: 0, officerOrDirector: false };
  for (const t of txs) {
    const who = insiders.of(t);
    s.insiders.add(who);
    if (insiders.isOfficerOrDirector(who)) s.officerOrDirector = true;
    const v = transactionValue(t);
    if (v === undefined) s.unpriced += 1;
    else s.value += v;
  }
  return s;
}

export function qualifiesAsCluster(s: { insiders: number; value: number; officerOrDirector: boolean }): boolean {
  return s.insiders >= MIN_INSIDERS || (s.insiders >= MIN_INSIDERS_WITH_OFFICER && s.officerOrDirector && s.value >= MIN_VALUE_WITH_OFFICER);
}

/** The buying-cluster base score and direction (see the module comment). */
export function clusterScore(s: { insiders: number; value: number; officerOrDirector: boolean }, side: "buy" | "sell"): { baseScore: number; direction: number; valuePoints: number } {
  const valuePoints = s.value > 0 ? Math.min(VALUE_POINTS_MAX, Math.max(0, 10 * Math.log10(s.value / 10_000))) : 0;
  const n = Math.min(s.insiders, INSIDER_POINTS_CAP);
  const buy = Math.min(BUY_CLUSTER_CAP, INSIDER_POINTS * n + valuePoints + (s.officerOrDirector ? OFFICER_DIRECTOR_POINTS : 0));
  const buyDirection = Math.min(1, 0.4 + 0.15 * n);
  return side === "buy"
    ? { baseScore: round1(buy), direction: Math.round(buyDirection * 100) / 100, valuePoints }
    : { baseScore: round1(buy * SELL_WEIGHT), direction: -Math.round(buyDirection * SELL_WEIGHT * 100) / 100, valuePoints };
}

/** Index ranges [start, end] of clusters in date-sorted trades: qualifying 30-day windows, overlaps merged. */
function findClusters(txs: readonly SignalInsiderTransaction[], insiders: Insiders): Array<[number, number]> {
  const dayOf = txs.map((t) => dayNumber(tradeDate(t)));
  const windows: Array<[number, number]> = [];
  let end = 0;
  for (let i = 0; i < txs.length; i++) {
    if (end < i) end = i;
    while (end + 1 < txs.length && (dayOf[end + 1] as number) - (dayOf[i] as number) <= CLUSTER_DAYS) end += 1;
    const s = stats(txs.slice(i, end + 1), insiders);
    if (qualifiesAsCluster({ insiders: s.insiders.size, value: s.value, officerOrDirector: s.officerOrDirector })) windows.push([i, end]);
  }
  const merged: Array<[number, number]> = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

function clusterFilings(txs: readonly SignalInsiderTransaction[]): SignalFiling[] {
  const byAccession = new Map<string, SignalFiling>();
  for (const t of txs) {
    const d = tradeDate(t);
    const f = byAccession.get(t.accessionNumber);
    if (f) {
      if (f.reportDate === null || d < f.reportDate) f.reportDate = d;
    } else {
      byAccession.set(t.accessionNumber, { accessionNumber: t.accessionNumber, form: t.documentType, filingDate: t.filingDate, reportDate: d, url: t.url });
    }
  }
  const list = [...byAccession.values()].sort((a, b) => a.filingDate.localeCompare(b.filingDate) || a.accessionNumber.localeCompare(b.accessionNumber));
  // Key filing first: the latest, which made the cluster known in full.
  const key = list.pop();
  return key ? [key, ...list] : [];
}

export function insiderClusterSignals(all: readonly SignalInsiderTransaction[], ctx: { asOf: string; windowStart: string }): RawSignal[] {
  const known = all.filter((t) => t.filingDate <= ctx.asOf && t.filingDate >= ctx.windowStart && t.table === "nonDerivative");
  const insiders = new Insiders();
  for (const t of known) insiders.add(t);
  const deduped = dropAmendedDuplicates(known, insiders);
  const byDate = (a: SignalInsiderTransaction, b: SignalInsiderTransaction): number =>
    tradeDate(a).localeCompare(tradeDate(b)) || a.filingDate.localeCompare(b.filingDate) || a.accessionNumber.localeCompare(b.accessionNumber);

  const out: RawSignal[] = [];
  for (const side of ["buy", "sell"] as const) {
    const code = side === "buy" ? "P" : "S";
    const wrongWay = side === "buy" ? "D" : "A";
    const trades = deduped.filter((t) => t.code === code && t.acquiredDisposed !== wrongWay).sort(byDate);
    const planned = side === "sell" ? trades.filter(isPlannedTrade) : [];
    const counted = side === "sell" ? trades.filter((t) => !isPlannedTrade(t)) : trades;

    for (const [i, j] of findClusters(counted, insiders)) {
      const members = counted.slice(i, j + 1);
      const s = stats(members, insiders);
      const n = s.insiders.size;
      const { baseScore, direction, valuePoints } = clusterScore({ insiders: n, value: s.value, officerOrDirector: s.officerOrDirector }, side);
      const from = tradeDate(members[0] as SignalInsiderTransaction);
      const to = tradeDate(members[members.length - 1] as SignalInsiderTransaction);
      const spanDays = dayNumber(to) - dayNumber(from) + 1;
      const verb = side === "buy" ? "bought" : "sold";

      const perInsider = [...s.insiders].map((who) => {
        const mine = members.filter((t) => insiders.of(t) === who);
        const v = mine.reduce((sum, t) => sum + (transactionValue(t) ?? 0), 0);
        const rel = insiders.isOfficerOrDirector(who) ? "officer/director" : "other insider";
        return `${insiders.label(who)} (${rel}): ${mine.length} trade${mine.length > 1 ? "s" : ""}, ${formatMoney(v)}`;
      });
      const why = [
        `${INSIDER_POINTS} × ${Math.min(n, INSIDER_POINTS_CAP)} insider${n > 1 ? "s" : ""}`,
        `${round1(valuePoints)} for ${formatMoney(s.value)}`,
        ...(s.officerOrDirector ? [`${OFFICER_DIRECTOR_POINTS} for an officer or director`] : []),
      ].join(" + ");
      let detail =
        `${n} insiders ${verb} on the open market (code ${code}) between ${from} and ${to}: ${perInsider.join("; ")}. ` +
        `Base ${baseScore} = ${side === "sell" ? `${SELL_WEIGHT} × ` : ""}min(${BUY_CLUSTER_CAP}, ${why}).`;
      if (s.unpriced > 0) detail += ` ${s.unpriced} trade${s.unpriced > 1 ? "s have" : " has"} no price and count $0.`;
      const plannedHere = planned.filter((t) => tradeDate(t) >= from && tradeDate(t) <= to);
      if (plannedHere.length > 0) {
        const who = new Set(plannedHere.map((t) => insiders.of(t)));
        const v = plannedHere.reduce((sum, t) => sum + (transactionValue(t) ?? 0), 0);
        detail += ` Not counted: ${plannedHere.length} sale${plannedHere.length > 1 ? "s" : ""} (${formatMoney(v)}) by ${[...who].map((w) => insiders.label(w)).join("; ")} under Rule 10b5-1 plans.`;
      }
      out.push({
        kind: side === "buy" ? "insider_buying_cluster" : "insider_selling_cluster",
        direction,
        baseScore,
        date: members.reduce((max, t) => (t.filingDate > max ? t.filingDate : max), members[0]?.filingDate ?? ctx.asOf),
        title: `Insider ${side === "buy" ? "buying" : "selling"} cluster: ${n} insiders ${verb} ${formatMoney(s.value)} over ${spanDays} day${spanDays > 1 ? "s" : ""}`,
        detail,
        filings: clusterFilings(members),
      });
    }
  }
  return out;
}
