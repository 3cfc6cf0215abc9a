import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { fromRoot } from "../../core/package-root.js";

/** The body of a prompts/*.md file, without its front matter. */
export function readPrompt(name: string): string {
  const text = readFileSync(fromRoot("prompts", `${name}.md`), "utf8");
  return text.replace(/^---\n[\s\S]*?\n---\n/, "").trim();
}

export interface PromptFile {
  /** The front matter, parsed as YAML; the prompt's own schema validates it. */
  meta: unknown;
  body: string;
}

/** A prompts/*.md file split into its front matter and its body (trimmed). */
export function readPromptFile(name: string): PromptFile {
  const path = fromRoot("prompts", `${name}.md`);
  return parsePromptFile(readFileSync(path, "utf8"), path);
}

/** Front matter between "---" lines, read by a YAML parser; a malformed file fails loudly at load. */
export function parsePromptFile(text: string, source = "prompt"): PromptFile {
  const m = /^---\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/.exec(text.replace(/^\uFEFF/, ""));
  if (!m) throw new Error(`${source}: expected front matter between "---" lines at the top of the file.`);
  try {
    return { meta: parseYaml(m[1] ?? "", { uniqueKeys: true }) ?? {}, body: text.slice(m[0].length + (text.startsWith("\uFEFF") ? 1 : 0)).trim() };
  } catch (e) {
    throw new Error(`${source}: the front matter is not valid YAML (${(e as Error).message}).`);
  }
}
