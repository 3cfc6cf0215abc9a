import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project root (the folder with package.json), found from this file whether it runs
 * as TypeScript under vitest (src/core) or compiled (dist/src/core). Shipped files such as
 * data/ and the migrations are resolved from here, never from the working directory.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, "package.json"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("argus: cannot find the project root (no package.json above " + fileURLToPath(import.meta.url) + ")");
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot();

export function fromRoot(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
