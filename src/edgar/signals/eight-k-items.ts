/**
 * Form 8-K items (General Instructions B and the form's item list, as amended through the
 * 2023 cybersecurity rule) with their meanings and how much each matters as a signal.
 *
 * How to read the scores: `score` is the base 0..100 importance before age decay, and
 * `direction` is -1 (bad news for holders) … +1 (good news), 0 when the item alone does
 * not say which way. The anchors:
 *   100  the company itself says it is in bankruptcy or receivership (1.03);
 *    95  its past financial statements can no longer be relied on (4.02; a restatement);
 *   ~70  a default-like event: debt accelerated (2.04), a missed ABS distribution (6.04);
 *   ~55  a write-down (2.06) or a material cyber incident (1.05): real losses, usually
 *        partly anticipated;
 *   ~50  an auditor change (4.01) or change in control (5.01): often benign, sometimes
 *        the first sign of trouble, always worth reading;
 *   ~35  restructuring (2.05), a listing notice that may just be a voluntary transfer (3.01);
 *  10–25 routine corporate events (agreements, officer changes, debt issuance, earnings
 *        releases); 2.02 is scored low and neutral because earnings are scheduled — the
 *        news is in the numbers, which this module does not read;
 *    0  administrative items (5.07 vote results, 7.01 Reg FD, 8.01 other, 9.01 exhibits):
 *        no signal is made for them.
 * Items whose meaning depends on the document (5.02 departures vs compensation plans,
 * 1.01 agreements) get a small score and a near-zero direction rather than a guess.
 */

export interface EightKItemInfo {
  item: string;
  /** The item's caption on Form 8-K. */
  title: string;
  /** Plain-language meaning. */
  meaning: string;
  /** Base importance 0..100 before age decay; 0 means no signal is made. */
  score: number;
  /** -1 … +1. */
  direction: number;
  /** Why the score is what it is. */
  rationale: string;
}

type ItemRow = Omit<EightKItemInfo, "item">;

/** Every current Form 8-K item. */
export const EIGHT_K_ITEMS: Readonly<Record<string, ItemRow>> = {
  // Section 1 — Registrant's Business and Operations
  "1.01": {
    title: "Entry into a Material Definitive Agreement",
    meaning: "The company signed a material agreement outside the ordinary course (merger agreement, credit facility, major contract).",
    score: 10,
    direction: 0,
    rationale: "Very common and two-sided (a credit line or a merger); the document decides.",
  },
  "1.02": {
    title: "Termination of a Material Definitive Agreement",
    meaning: "A material agreement was terminated (a lost customer, a cancelled deal, a repaid facility).",
    score: 20,
    direction: -0.2,
    rationale: "Loss of a contract is more often bad than good, but routine refinancings also terminate agreements.",
  },
  "1.03": {
    title: "Bankruptcy or Receivership",
    meaning: "The company (or its parent) entered bankruptcy, receivership or similar proceedings.",
    score: 100,
    direction: -1,
    rationale: "The most severe event an issuer can report; equity is usually impaired or wiped out.",
  },
  "1.04": {
    title: "Mine Safety - Reporting of Shutdowns and Patterns of Violations",
    meaning: "A mine received an imminent-danger shutdown order or a pattern-of-violations notice.",
    score: 25,
    direction: -0.3,
    rationale: "Operational and regulatory hit, usually local to one mine.",
  },
  "1.05": {
    title: "Material Cybersecurity Incidents",
    meaning: "The company determined a cybersecurity incident is material (required since December 2023).",
    score: 60,
    direction: -0.6,
    rationale: "Material by the company's own determination; costs, liability and reputational damage follow.",
  },
  // Section 2 — Financial Information
  "2.01": {
    title: "Completion of Acquisition or Disposition of Assets",
    meaning: "A significant acquisition or disposition of assets closed.",
    score: 15,
    direction: 0,
    rationale: "Usually announced earlier (1.01); the closing itself is rarely news.",
  },
  "2.02": {
    title: "Results of Operations and Financial Condition",
    meaning: "An earnings release or other announcement of results for a completed period.",
    score: 10,
    direction: 0,
    rationale: "Scheduled; the signal is in the numbers, which this module does not read.",
  },
  "2.03": {
    title: "Creation of a Direct Financial Obligation or an Obligation under an Off-Balance Sheet Arrangement of a Registrant",
    meaning: "The company took on material debt or an off-balance-sheet obligation.",
    score: 10,
    direction: -0.1,
    rationale: "Routine for large issuers (bond deals); slightly more leverage.",
  },
  "2.04": {
    title: "Triggering Events That Accelerate or Increase a Direct Financial Obligation or an Obligation under an Off-Balance Sheet Arrangement",
    meaning: "A default or other triggering event accelerated or increased a material obligation.",
    score: 70,
    direction: -0.8,
    rationale: "A default-like event: lenders can demand repayment; often precedes distress.",
  },
  "2.05": {
    title: "Costs Associated with Exit or Disposal Activities",
    meaning: "The company committed to a restructuring (layoffs, closures) with material charges.",
    score: 35,
    direction: -0.3,
    rationale: "Material charges now, possibly better margins later; mildly bearish on balance.",
  },
  "2.06": {
    title: "Material Impairments",
    meaning: "The company concluded a material impairment charge is required (goodwill, intangibles, other assets).",
    score: 55,
    direction: -0.6,
    rationale: "An admission that past investments are worth materially less than booked.",
  },
  // Section 3 — Securities and Trading Markets
  "3.01": {
    title: "Notice of Delisting or Failure to Satisfy a Continued Listing Rule or Standard; Transfer of Listing",
    meaning: "The exchange sent a deficiency or delisting notice, or the company is moving its listing.",
    score: 35,
    direction: -0.3,
    // Escalated to 75 / -0.9 when it follows a late filing or non-reliance notice (filing-events.ts).
    rationale: "Ambiguous without the document: a deficiency notice is serious, a voluntary transfer (e.g. NYSE to Nasdaq) is not.",
  },
  "3.02": {
    title: "Unregistered Sales of Equity Securities",
    meaning: "The company sold unregistered equity (a private placement, a conversion).",
    score: 15,
    direction: -0.2,
    rationale: "Dilution, sometimes at a discount; small for large issuers.",
  },
  "3.03": {
    title: "Material Modification to Rights of Security Holders",
    meaning: "The rights of holders of a class of securities were materially modified (e.g. a rights plan, a reverse split).",
    score: 20,
    direction: -0.2,
    rationale: "Often defensive (poison pills) or a sign of a low share price (reverse splits).",
  },
  // Section 4 — Matters Related to Accountants and Financial Statements
  "4.01": {
    title: "Changes in Registrant's Certifying Accountant",
    meaning: "The auditor resigned, declined to stand for re-election or was dismissed, or a new one was engaged.",
    score: 50,
    direction: -0.5,
    rationale: "Often routine rotation, but auditor resignations and disagreements are classic red flags; read the letter.",
  },
  "4.02": {
    title: "Non-Reliance on Previously Issued Financial Statements or a Related Audit Report or Completed Interim Review",
    meaning: "Previously issued financial statements should no longer be relied upon: a restatement is coming.",
    score: 95,
    direction: -1,
    rationale: "The company (or its auditor) says its reported numbers were wrong; reported as a restatement signal.",
  },
  // Section 5 — Corporate Governance and Management
  "5.01": {
    title: "Changes in Control of Registrant",
    meaning: "Control of the company changed hands.",
    score: 50,
    direction: 0,
    rationale: "Big for holders, but whether it is good depends on the terms.",
  },
  "5.02": {
    title: "Departure of Directors or Certain Officers; Election of Directors; Appointment of Certain Officers; Compensatory Arrangements of Certain Officers",
    meaning: "A director or senior officer left or was appointed, or officer pay arrangements changed.",
    score: 20,
    direction: -0.1,
    rationale: "Very common and mixed (compensation plans share the item with CEO departures); slightly bearish on balance.",
  },
  "5.03": {
    title: "Amendments to Articles of Incorporation or Bylaws; Change in Fiscal Year",
    meaning: "The charter or bylaws were amended, or the fiscal year changed.",
    score: 5,
    direction: 0,
    rationale: "Governance housekeeping as a rule.",
  },
  "5.04": {
    title: "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans",
    meaning: "A blackout period for employee benefit plans (insiders may not trade).",
    score: 5,
    direction: 0,
    rationale: "Administrative.",
  },
  "5.05": {
    title: "Amendment to Registrant's Code of Ethics, or Waiver of a Provision of the Code of Ethics",
    meaning: "The code of ethics was amended or a provision waived.",
    score: 20,
    direction: -0.2,
    rationale: "A waiver for an officer can signal a conflict of interest.",
  },
  "5.06": {
    title: "Change in Shell Company Status",
    meaning: "The company ceased to be a shell company (e.g. a SPAC completed its merger).",
    score: 30,
    direction: 0,
    rationale: "Transforms the company; direction depends on the deal.",
  },
  "5.07": {
    title: "Submission of Matters to a Vote of Security Holders",
    meaning: "Results of a shareholder vote (usually the annual meeting).",
    score: 0,
    direction: 0,
    rationale: "Routine annual filing: no signal.",
  },
  "5.08": {
    title: "Shareholder Director Nominations",
    meaning: "The deadline for shareholder director nominations (when the meeting date moved).",
    score: 0,
    direction: 0,
    rationale: "Administrative: no signal.",
  },
  // Section 6 — Asset-Backed Securities
  "6.01": {
    title: "ABS Informational and Computational Material",
    meaning: "Informational and computational material for asset-backed securities.",
    score: 0,
    direction: 0,
    rationale: "Administrative: no signal.",
  },
  "6.02": {
    title: "Change of Servicer or Trustee",
    meaning: "The servicer or trustee of an asset-backed issuer changed.",
    score: 15,
    direction: -0.1,
    rationale: "Usually administrative; occasionally follows servicer trouble.",
  },
  "6.03": {
    title: "Change in Credit Enhancement or Other External Support",
    meaning: "Credit enhancement or other external support of an ABS issuer changed or was lost.",
    score: 25,
    direction: -0.3,
    rationale: "Loss of support weakens the securities.",
  },
  "6.04": {
    title: "Failure to Make a Required Distribution",
    meaning: "An ABS issuer failed to make a required distribution to holders.",
    score: 70,
    direction: -0.8,
    rationale: "A payment default on the securities.",
  },
  "6.05": {
    title: "Securities Act Updating Disclosure",
    meaning: "Updated pool characteristics for an ABS offering.",
    score: 0,
    direction: 0,
    rationale: "Administrative: no signal.",
  },
  "6.06": {
    title: "Static Pool",
    meaning: "Static pool information for an ABS offering.",
    score: 0,
    direction: 0,
    rationale: "Administrative: no signal.",
  },
  // Section 7 — Regulation FD
  "7.01": {
    title: "Regulation FD Disclosure",
    meaning: "Information furnished under Regulation FD (presentations, press releases).",
    score: 0,
    direction: 0,
    rationale: "Content varies; the item itself says nothing: no signal.",
  },
  // Section 8 — Other Events
  "8.01": {
    title: "Other Events",
    meaning: "Any other event the company considers important to holders.",
    score: 0,
    direction: 0,
    rationale: "Catch-all; the item itself says nothing: no signal.",
  },
  // Section 9 — Financial Statements and Exhibits
  "9.01": {
    title: "Financial Statements and Exhibits",
    meaning: "Exhibits and financial statements attached to the report.",
    score: 0,
    direction: 0,
    rationale: "Attachments for the other items: no signal.",
  },
};

/**
 * 8-Ks filed before 23 August 2004 used a different numbering (items 1–12). The
 * submissions index copies the codes as filed, so they are mapped to their modern
 * equivalent for meaning and scoring.
 */
export const LEGACY_EIGHT_K_ITEMS: Readonly<Record<string, { title: string; modern: string }>> = {
  "1": { title: "Changes in Control of Registrant", modern: "5.01" },
  "2": { title: "Acquisition or Disposition of Assets", modern: "2.01" },
  "3": { title: "Bankruptcy or Receivership", modern: "1.03" },
  "4": { title: "Changes in Registrant's Certifying Accountant", modern: "4.01" },
  "5": { title: "Other Events", modern: "8.01" },
  "6": { title: "Resignations of Registrant's Directors", modern: "5.02" },
  "7": { title: "Financial Statements and Exhibits", modern: "9.01" },
  "8": { title: "Change in Fiscal Year", modern: "5.03" },
  "9": { title: "Regulation FD Disclosure", modern: "7.01" },
  "10": { title: "Amendments to the Registrant's Code of Ethics, or Waiver of a Provision of the Code of Ethics", modern: "5.05" },
  "11": { title: "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans", modern: "5.04" },
  "12": { title: "Results of Operations and Financial Condition", modern: "2.02" },
};

/**
 * Legacy codes count half: filers of that era coded items loosely (the fixtures include
 * Intel's 1997–99 quarterly earnings 8-Ks coded item 1, "Changes in Control").
 */
export const LEGACY_ITEM_WEIGHT = 0.5;

/** "2.02,9.01" → ["2.02", "9.01"]; tolerates spaces, "Item 2.02" and empty entries. */
export function parseEightKItems(items: string | null | undefined): string[] {
  if (!items) return [];
  const out: string[] = [];
  for (const part of items.split(/[,;]/)) {
    const m = /(\d{1,2}(?:\.\d{2})?)/.exec(part);
    if (m?.[1] && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}

/**
 * Meaning and base score of an item. Legacy codes resolve to their modern equivalent with
 * LEGACY_ITEM_WEIGHT applied to the score; an unknown code gets score 0 (no signal).
 */
export function describeEightKItem(item: string): EightKItemInfo & { legacy: boolean; known: boolean } {
  const row = EIGHT_K_ITEMS[item];
  if (row) return { item, ...row, legacy: false, known: true };
  const legacy = LEGACY_EIGHT_K_ITEMS[item];
  const modern = legacy ? EIGHT_K_ITEMS[legacy.modern] : undefined;
  if (legacy && modern) {
    return {
      item,
      title: legacy.title,
      meaning: modern.meaning,
      score: modern.score * LEGACY_ITEM_WEIGHT,
      direction: modern.direction,
      rationale: `Pre-2004 item ${item} ≈ today's item ${legacy.modern}; counted at ${LEGACY_ITEM_WEIGHT}× because codes of that era are unreliable. ${modern.rationale}`,
      legacy: true,
      known: true,
    };
  }
  return { item, title: `Unknown item ${item}`, meaning: "Not an item of Form 8-K.", score: 0, direction: 0, rationale: "Unknown item: no signal.", legacy: false, known: false };
}
