import { readFileSync } from "node:fs";
import { fromRoot } from "./package-root.js";

export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(fromRoot("package.json"), "utf8")) as { version: string }).version;
