import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's chromium (DESIGN §10); `.ci/run` installs it. */
export const CHROMIUM = process.env.ARGUS_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Whether browser tests run here. Without chromium they skip and say why — except when
 * ARGUS_REQUIRE_BROWSER=1 (set by CI), where a missing browser is a failure, not a skip.
 */
export function browserAvailable(): boolean {
  const present = existsSync(CHROMIUM);
  if (!present && process.env.ARGUS_REQUIRE_BROWSER === "1") throw new Error(`ARGUS_REQUIRE_BROWSER=1 but there is no chromium at ${CHROMIUM}; apt-get install -y chromium`);
  if (!present) console.warn(`Skipping browser tests: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set ARGUS_CHROMIUM).`);
  return present;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"] });
}
