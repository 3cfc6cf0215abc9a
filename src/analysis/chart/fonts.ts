import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { ResvgRenderOptions } from "@resvg/resvg-js";

/**
 * Fonts for resvg. resvg draws no text without a font, and `loadSystemFonts` (its
 * default) scans every system font directory on each render (~10 ms) and then picks the
 * first family it found, which on Debian is "DejaVu Math TeX Gyre". So we look for a
 * known sans font file once, load only it (plus its bold), and name it as the default
 * and sans-serif family. Order: files the caller passes, known sans fonts on Linux/macOS/
 * Windows, then any .ttf/.otf under the usual font directories (resvg falls back to any
 * loaded font when a family does not match). With none at all, resvg's own system scan is
 * the last try; if that finds nothing too, text is simply not drawn: the chart still
 * renders, and `font` reports null.
 */

/** The family the SVG asks for first; keep in step with the KNOWN list. */
export const FONT_STACK = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";

const KNOWN: { family: string; regular: string[]; bold: string[] }[] = [
  {
    family: "DejaVu Sans",
    regular: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans.ttf"],
    bold: ["/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf", "/usr/local/share/fonts/DejaVuSans-Bold.ttf"],
  },
  {
    family: "Liberation Sans",
    regular: ["/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf", "/usr/share/fonts/TTF/LiberationSans-Regular.ttf"],
    bold: ["/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf", "/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf", "/usr/share/fonts/TTF/LiberationSans-Bold.ttf"],
  },
  {
    family: "Noto Sans",
    regular: ["/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/noto/NotoSans-Regular.ttf", "/usr/share/fonts/google-noto/NotoSans-Regular.ttf"],
    bold: ["/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", "/usr/share/fonts/noto/NotoSans-Bold.ttf", "/usr/share/fonts/google-noto/NotoSans-Bold.ttf"],
  },
  {
    family: "Arial",
    regular: ["/System/Library/Fonts/Supplemental/Arial.ttf", "/Library/Fonts/Arial.ttf", "C:\\Windows\\Fonts\\arial.ttf"],
    bold: ["/System/Library/Fonts/Supplemental/Arial Bold.ttf", "/Library/Fonts/Arial Bold.ttf", "C:\\Windows\\Fonts\\arialbd.ttf"],
  },
];

const FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts", join(process.env.HOME ?? "/nonexistent", ".fonts"), join(process.env.HOME ?? "/nonexistent", ".local/share/fonts"), "/System/Library/Fonts", "/Library/Fonts", "C:\\Windows\\Fonts"];

export interface FontChoice {
  /** Family name when known; null when a fallback file of unknown family is used (or none). */
  family: string | null;
  files: string[];
  /** What the text is drawn with, for reports: a family, a file name, or null for no font. */
  label: string | null;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first few .ttf/.otf files under `dir` (breadth-first, bounded). */
function scanFonts(dir: string, limit: number): string[] {
  const found: string[] = [];
  const queue = [dir];
  let visited = 0;
  while (queue.length > 0 && found.length < limit && visited < 200) {
    const d = queue.shift()!;
    visited++;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) queue.push(p);
      else if (/\.(ttf|otf)$/i.test(e.name) && !/(math|symbol|emoji|dingbat)/i.test(e.name)) found.push(p);
      if (found.length >= limit) break;
    }
  }
  return found;
}

export function findFonts(extraFiles: readonly string[] = []): FontChoice {
  const extra = extraFiles.filter(isFile);
  if (extra.length > 0) return { family: null, files: extra, label: basename(extra[0]!) };
  for (const k of KNOWN) {
    const regular = k.regular.find(isFile);
    if (regular) {
      const bold = k.bold.find(isFile);
      return { family: k.family, files: bold ? [regular, bold] : [regular], label: k.family };
    }
  }
  for (const dir of FONT_DIRS) {
    const files = scanFonts(dir, 1);
    if (files.length > 0) return { family: null, files, label: basename(files[0]!) };
  }
  return { family: null, files: [], label: null };
}

const cache = new Map<string, FontChoice>();

/** findFonts, memoised per list of extra files (the file system is looked at once). */
export function chartFonts(extraFiles: readonly string[] = []): FontChoice {
  const key = extraFiles.join("\0");
  let choice = cache.get(key);
  if (!choice) {
    choice = findFonts(extraFiles);
    cache.set(key, choice);
  }
  return choice;
}

/** resvg font options for a choice: only its files, or resvg's system scan as a last resort. */
export function resvgFontOptions(choice: FontChoice): NonNullable<ResvgRenderOptions["font"]> {
  if (choice.files.length === 0) return { loadSystemFonts: true, defaultFontSize: 12 };
  const opts: NonNullable<ResvgRenderOptions["font"]> = { loadSystemFonts: false, fontFiles: choice.files, defaultFontSize: 12 };
  if (choice.family) {
    opts.defaultFontFamily = choice.family;
    opts.sansSerifFamily = choice.family;
  }
  return opts;
}
