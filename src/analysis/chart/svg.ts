/** Small SVG string helpers: escaping, numbers, text metrics, colours. */

// Characters XML 1.0 forbids (C0 controls other than tab/newline/CR) and lone surrogates:
// either would make the document unparsable, so they are dropped or replaced.
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe inside an SVG element or attribute value. */
export function escapeXml(text: string): string {
  return text.replace(XML_INVALID, (c) => (c.length === 1 && c.charCodeAt(0) < 0x20 ? "" : "\uFFFD")).replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** Collapses whitespace and shortens to `max` characters with an ellipsis. */
export function clipText(text: string, max: number): string {
  const t = text.replace(/\s+/g, " ").trim();
  const chars = Array.from(t);
  return chars.length <= max ? t : `${chars.slice(0, Math.max(1, max - 1)).join("").trimEnd()}…`;
}

/** A coordinate with at most 2 decimals and no trailing zeros. */
export function num(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}

/** Approximate advance width of `text` in a sans font (DejaVu Sans-like metrics). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    if (ch === " ") em += 0.32;
    else if (/[0-9]/.test(ch)) em += 0.64;
    else if (/[.,:;'|!il1]/.test(ch)) em += 0.34;
    else if (/[MWmw—]/.test(ch)) em += 0.9;
    else if (/[A-Z]/.test(ch)) em += 0.7;
    else em += 0.6;
  }
  return em * fontSize * (bold ? 1.08 : 1);
}

/** Shortens `text` (with an ellipsis) until its estimated width fits `maxWidth`. */
export function fitText(text: string, fontSize: number, maxWidth: number, bold = false): string {
  if (textWidth(text, fontSize, bold) <= maxWidth) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (textWidth(`${chars.slice(0, mid).join("")}…`, fontSize, bold) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return lo === 0 ? "" : `${chars.slice(0, lo).join("").trimEnd()}…`;
}

const COLOR = /^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,24}|rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(,\s*[\d.]+%?\s*)?\))$/;

/** True for the CSS colour forms an overlay may use (nothing that could break out of an attribute). */
export function isSafeColor(color: string): boolean {
  return COLOR.test(color);
}

/** `<text>` with escaped content; `attrs` must already be safe. */
export function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs ? ` ${attrs}` : ""}>${escapeXml(content)}</text>`;
}
