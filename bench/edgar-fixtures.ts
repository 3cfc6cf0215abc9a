import { fromRoot } from "../src/core/package-root.js";

/** ../shared/fixtures/edgar/companyfacts beside the project, as in test/support; BENCH_EDGAR_FIXTURES overrides. */
export function companyFactsDir(): string {
  return process.env.BENCH_EDGAR_FIXTURES ?? fromRoot("..", "shared", "fixtures", "edgar", "companyfacts");
}
