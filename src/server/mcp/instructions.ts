import { readFileSync } from "node:fs";
import { fromRoot } from "../../core/package-root.js";

/** The body of a prompts/*.md file, without its front matter. */
export function readPrompt(name: string): string {
  const text = readFileSync(fromRoot("prompts", `${name}.md`), "utf8");
  return text.replace(/^---\n[\s\S]*?\n---\n/, "").trim();
}
