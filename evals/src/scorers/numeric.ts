import type { ExpectedNumber, Unit } from "../case.js";

/** A number as written in an answer, before it is read in any unit. */
export interface NumberCandidate {
  /** The text it was read from, e.g. "$383.3 billion". */
  text: string;
  /** The signed number as written, without its scale word: 383.3 for "$383.3 billion". */
  raw: number;
  /** 1e9 for billion/bn/B, 1e6 for million/mn/M, 1e3 for thousand/k, 1e12 for trillion, else 1. */
  scale: number;
  /** Written with %, "percent", "per cent" or "pct". */
  percent: boolean;
  /** Followed by "x" (a multiple, 1.5x). */
  multiple: boolean;
  /**
   * Unsigned, but just after a word of decline ("fell 25.4%", "a net loss of $59.6 million"):
   * it may also be read as negative. Answers say "fell 25%" far more often than "-25%".
   */
  falling: boolean;
}

const FALLING = /\b(fell|falls?|falling|declined?|declining|decreased?|down|dropped|drop|lost|loss(es)? of|lower by|shrank|negative)\b[^.\d]{0,20}$/i;

const SCALES: [RegExp, number][] = [
  [/^(trillions?|tn|t)\b/i, 1e12],
  [/^(billions?|bn|bln|b)\b/i, 1e9],
  [/^(millions?|mn|mln|mm|m)\b/i, 1e6],
  [/^(thousands?|k)\b/i, 1e3],
];

const NUMBER = /(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)/g;

/**
 * Every number in a text, with the scale word, percent sign and sign written around it:
 * "$383.3 billion", "383,285 million", "USD 1.2bn", "12.5%", "(1,234)" (negative, the
 * accounting way; not "(12.5%)" or "(383,285 million)"), "−4.2%" (a Unicode minus), "1.5x". Digits inside a word or a date
 * part still count as numbers (extra candidates never hurt: an expected number only
 * needs one match).
 */
export function extractNumbers(text: string): NumberCandidate[] {
  const out: NumberCandidate[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const start = m.index;
    let end = start + m[0].length;
    // Not the tail of a longer token (the ".3" of "1.2.3").
    const prevChar = text[start - 1] ?? "";
    if (/\d/.test(prevChar) || (prevChar === "." && /\d/.test(text[start - 2] ?? ""))) continue;
    let raw = Number(m[0].replace(/,/g, ""));
    if (!Number.isFinite(raw)) continue;
    const before = text.slice(Math.max(0, start - 8), start);
    // A sign: "-", "−", "–" right before the number or its currency, not after a digit (a date or a range).
    const signed = /(^|[^\d\w])[-−–]\s?(US\$|\$|USD\s?|€|£)?$/.test(before);
    if (signed) raw = -raw;
    let after = text.slice(end);
    let scale = 1;
    let percent = false;
    let multiple = false;
    const pct = /^\s?(%|percent\b|per\s?cent\b|pct\b)/i.exec(after);
    if (pct) {
      percent = true;
      end += pct[0].length;
    } else {
      const ws = /^[\s-]?/.exec(after)![0];
      for (const [re, s] of SCALES) {
        const sm = re.exec(after.slice(ws.length));
        if (sm) {
          scale = s;
          end += ws.length + sm[0].length;
          break;
        }
      }
      if (scale === 1) {
        const x = /^\s?[x×](?![a-z])/i.exec(after);
        if (x) {
          multiple = true;
          end += x[0].length;
        }
      }
    }
    after = text.slice(end);
    // Accounting negatives: "(1,234)", "($12.5)", "($1.2 billion)". A bare scaled number or a
    // percent in parentheses is far more often a restatement ("$383.3 billion (383,285 million)").
    const paren = /\(\s?(\$|US\$)?$/.exec(before);
    if (!signed && paren && /^\s?\)/.test(after) && (paren[1] !== undefined || (scale === 1 && !percent))) raw = -raw;
    const from = Math.max(0, start - (/(US\$|USD\s?|\$|€|£)$/.exec(before)?.[0].length ?? 0));
    const falling = raw > 0 && FALLING.test(text.slice(Math.max(0, from - 40), from));
    out.push({ text: text.slice(from, end).trim(), raw, scale, percent, multiple, falling });
  }
  return out;
}

/** The values a candidate can stand for in a unit (none when it cannot: a percent is not dollars). */
export function interpretations(c: NumberCandidate, unit: Unit): number[] {
  switch (unit) {
    case "usd":
    case "shares":
    case "count":
    case "usd_per_share":
    case "price":
      return c.percent || c.multiple ? [] : [c.raw * c.scale];
    case "percent":
      // "12.5%" is 12.5; a bare 0.125 may be the same fraction written as a ratio.
      if (c.percent) return [c.raw];
      if (c.scale !== 1 || c.multiple) return [];
      return [c.raw, c.raw * 100];
    case "ratio":
      if (c.percent) return [c.raw / 100];
      if (c.scale !== 1) return [];
      return [c.raw];
  }
}

export function withinTolerance(actual: number, e: Pick<ExpectedNumber, "value" | "tolerance">): boolean {
  const d = Math.abs(actual - e.value);
  // A hair of float slack so 0.1 + 0.2 style sums do not miss an exact tolerance.
  const eps = 1e-9 * Math.max(1, Math.abs(e.value));
  return (e.tolerance.abs !== undefined && d <= e.tolerance.abs + eps) || (e.tolerance.rel !== undefined && d <= e.tolerance.rel * Math.abs(e.value) + eps);
}

export interface NumberScore {
  id: string;
  label: string;
  expected: number;
  unit: Unit;
  found: boolean;
  /** The answer text that matched, when one did. */
  matched?: string;
  /** The value it was read as, in the expected unit. */
  readAs?: number;
}

export interface NumericScore {
  numbers: NumberScore[];
  /** Every expected number found (true when none is expected). */
  allFound: boolean;
  found: number;
  total: number;
}

/** Each expected number is found when ANY number in the answer, read in the expected unit, is within tolerance. */
export function scoreNumbers(answer: string, expected: readonly ExpectedNumber[]): NumericScore {
  const candidates = extractNumbers(answer);
  const numbers = expected.map((e): NumberScore => {
    for (const c of candidates) {
      const values = interpretations(c, e.unit);
      const hit = [...values, ...(c.falling ? values.map((v) => -v) : [])].find((v) => withinTolerance(v, e));
      if (hit !== undefined) return { id: e.id, label: e.label, expected: e.value, unit: e.unit, found: true, matched: c.text, readAs: hit };
    }
    return { id: e.id, label: e.label, expected: e.value, unit: e.unit, found: false };
  });
  const found = numbers.filter((n) => n.found).length;
  return { numbers, allFound: found === numbers.length, found, total: numbers.length };
}
