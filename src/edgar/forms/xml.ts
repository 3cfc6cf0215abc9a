/**
 * Small helpers shared by the EDGAR form parsers: a validating XML parse that turns
 * malformed documents into INVALID_INPUT, and accessors for the loosely typed tree
 * fast-xml-parser returns (namespace prefixes removed, every value kept as a string).
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ArgusError } from "../../core/errors.js";

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  // Keep every value as text: CUSIPs and CIKs have leading zeros, and numbers are
  // parsed by the callers with their own rules (thousands separators, blanks).
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/**
 * Parses `xml` after checking it is well-formed. `what` names the document in error
 * messages ("13F information table", "Form 4 ownership document").
 */
export function parseXml(xml: string, what: string): XmlNode {
  if (typeof xml !== "string" || xml.trim() === "") {
    throw new ArgusError("INVALID_INPUT", `The ${what} is empty.`);
  }
  // Entity declarations are never used by EDGAR form XML; refusing them rules out
  // entity-expansion attacks on documents from untrusted sources.
  if (/<!ENTITY/i.test(xml)) {
    throw new ArgusError("INVALID_INPUT", `The ${what} declares XML entities, which EDGAR forms never do; refusing to parse it.`);
  }
  const text = xml.replace(/^\uFEFF/, "").trim();
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new ArgusError("INVALID_INPUT", `The ${what} is not well-formed XML: ${msg} (line ${line}, column ${col}).`, {
      line,
      column: col,
    });
  }
  let tree: unknown;
  try {
    tree = parser.parse(text);
  } catch (err) {
    throw new ArgusError("INVALID_INPUT", `The ${what} could not be parsed as XML: ${(err as Error).message}`);
  }
  if (!isNode(tree)) throw new ArgusError("INVALID_INPUT", `The ${what} has no root element.`);
  return tree;
}

export function isNode(x: unknown): x is XmlNode {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** The child as an object; empty elements (parsed as "") and absent ones become {}. */
export function child(node: unknown, name: string): XmlNode {
  if (!isNode(node)) return {};
  const c = node[name];
  if (Array.isArray(c)) return isNode(c[0]) ? c[0] : {};
  return isNode(c) ? c : {};
}

/** The children named `name` as an array of objects, whether there were none, one or many. */
export function children(node: unknown, name: string): XmlNode[] {
  if (!isNode(node)) return [];
  const c = node[name];
  if (c === undefined || c === null) return [];
  const list = Array.isArray(c) ? c : [c];
  // An empty element such as <infoTable/> parses as "": keep it as {} so counts stay right.
  return list.map((x) => (isNode(x) ? x : {}));
}

/** Text content of a node or of its child `name`; undefined when absent or blank. */
export function text(node: unknown, name?: string): string | undefined {
  let v: unknown = node;
  if (name !== undefined) {
    if (!isNode(node)) return undefined;
    v = node[name];
  }
  if (Array.isArray(v)) v = v[0];
  if (isNode(v)) v = v["#text"];
  if (v === undefined || v === null) return undefined;
  const s = String(v).replace(/\s+/g, " ").trim();
  return s === "" ? undefined : s;
}

/** An attribute value of a node. */
export function attr(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  const v = node[`@_${name}`];
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * Parses a number as filed: thousands separators, surrounding blanks and a leading "$"
 * are tolerated. Blank → undefined. Anything else unparseable throws INVALID_INPUT.
 */
export function parseNumber(raw: string | undefined, field: string): number | undefined {
  if (raw === undefined) return undefined;
  const cleaned = raw.replace(/[\s,$]/g, "");
  if (cleaned === "") return undefined;
  const n = Number(cleaned);
  if (!Number.isFinite(n)) {
    throw new ArgusError("INVALID_INPUT", `The ${field} "${raw}" is not a number.`, { field, value: raw });
  }
  return n;
}

/** EDGAR boolean flags come as 1/0, true/false or Y/N. Blank → undefined. */
export function parseFlag(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const s = raw.trim().toLowerCase();
  if (s === "1" || s === "true" || s === "y" || s === "yes") return true;
  if (s === "0" || s === "false" || s === "n" || s === "no") return false;
  return undefined;
}

/** MM-DD-YYYY (13F cover pages) or YYYY-MM-DD → YYYY-MM-DD; other shapes pass through. */
export function isoDate(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const mdy = /^(\d{2})-(\d{2})-(\d{4})$/.exec(raw);
  if (mdy) return `${mdy[3]}-${mdy[1]}-${mdy[2]}`;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  return raw;
}
