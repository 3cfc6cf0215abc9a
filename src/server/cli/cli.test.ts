import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES } from "../../../test/support/app.js";
import { fromRoot } from "../../core/package-root.js";

const run = promisify(execFile);
const CLI = fromRoot("dist", "src", "server", "cli", "main.js");

describe.skipIf(!existsSync(CLI))("argus CLI (built)", () => {
  const home = mkdtempSync(join(tmpdir(), "argus-cli-"));
  const env = { PATH: process.env.PATH ?? "", ARGUS_HOME: home, ARGUS_CLOCK_AT: "2026-11-23T15:00:00Z" };
  const argus = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };
  beforeAll(async () => {
    await argus("doctor"); // first start: creates the database and loads the demo
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("`call` runs any tool and prints its JSON; errors print a code and exit 1", async () => {
    const ok = await argus("call", "get_latest_price", '{"symbol":"nova.demo"}');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ symbol: "NOVA.DEMO", stale: false, source: { synthetic: true } });
    const bad = await argus("call", "get_bars", '{"symbol":"NOVA.DEMO","from":"2025-02-01","to":"2025-01-01"}');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.code).toBe("INVALID_RANGE");
    const notJson = await argus("call", "get_bars", "{symbol:");
    expect(notJson.code).toBe(1);
    expect(JSON.parse(notJson.stdout).error.code).toBe("INVALID_INPUT");
  });

  it("`backtest` runs the README's example on demo data, saves the chart, and refuses a bad config before running", async () => {
    const cfg = join(home, "sma.json");
    writeFileSync(
      cfg,
      JSON.stringify({
        start: "2018-01-02",
        end: "2023-12-29",
        universe: ["NOVA.DEMO", "MEDX.DEMO", "LDGR.DEMO", "RVLR.DEMO", "HRVM.DEMO"],
        benchmark: "MKT.DEMO",
        strategy: { kind: "rules", indicators: { fast: { name: "sma", period: 50 }, slow: { name: "sma", period: 200 } }, entry: { left: "fast", op: ">", right: "slow" }, exit: { left: "fast", op: "<", right: "slow" } },
      }),
    );
    const png = join(home, "sma.png");
    const ok = await argus("backtest", cfg, "--chart", png);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^Backtest bt-[0-9a-f-]+ /);
    expect(ok.stdout).toMatch(/MKT\.DEMO buy-and-hold/);
    expect(ok.stdout).toMatch(/Sharpe +-?\d+\.\d\d/);
    expect(ok.stdout).toMatch(/Chart saved to /);
    expect(existsSync(png)).toBe(true);
    writeFileSync(cfg, JSON.stringify({ start: "2023-12-29", end: "2018-01-02", universe: ["NOVA.DEMO"], strategy: { kind: "null" } }));
    const bad = await argus("backtest", cfg);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^INVALID_RANGE: start 2023-12-29 is after end 2018-01-02/);
  });

  it.skipIf(!existsSync(join(FIXTURES, "bars")))("`import` reads any path, reports per file and exits 1 when a file is bad", async () => {
    const good = await argus("import", join(FIXTURES, "bars", "daily", "AAPL.csv"), "--sector", "Information Technology");
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ symbol: "AAPL", imported: 5271 });
    const brokenFile = join(home, "BAD.csv");
    writeFileSync(brokenFile, "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,11,9,10.5,10.5,100\n2020-01-03,10,8,9,10.5,10.5,100\n");
    const bad = await argus("import", brokenFile);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/CSV_MALFORMED/);
    expect(bad.stderr).toMatch(/line 3/);
    const listed = await argus("call", "list_symbols", '{"query":"BAD"}');
    expect(JSON.parse(listed.stdout).count).toBe(0);
  });

  it("`approve`, `proposals`, `halt`, `resume`, `limits` and `audit` are the human's controls", async () => {
    const weekend = { ...env, ARGUS_CLOCK_AT: "2026-11-21T17:00:00Z" };
    const at = async (...args: string[]) => {
      try {
        const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: weekend });
        return { code: 0, stdout, stderr };
      } catch (e) {
        const err = e as { code: number; stdout: string; stderr: string };
        return { code: err.code, stdout: err.stdout, stderr: err.stderr };
      }
    };
    const proposed = JSON.parse((await at("call", "propose_order", '{"symbol":"NOVA.DEMO","side":"buy","qty":2}')).stdout);
    expect(proposed.status).toBe("awaiting_approval");
    expect((await at("proposals")).stdout).toContain(proposed.proposalId);
    const approved = await at("approve", proposed.proposalId);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(/Approved and submitted/);
    expect((await at("approve", proposed.proposalId)).code).toBe(1); // already decided
    expect((await at("limits", "set", "maxNotionalPerOrder", "5000")).code).toBe(0);
    expect(JSON.parse((await at("limits")).stdout).maxNotionalPerOrder).toBe(5000);
    expect((await at("limits", "set", "maxNotionalPerOrder", "-1")).code).toBe(1);
    expect((await at("halt", "--reason", "test")).stdout).toMatch(/HALTED/);
    expect(JSON.parse((await at("call", "get_mode")).stdout)).toMatchObject({ mode: "paper", tradingState: "HALTED" });
    expect((await at("resume")).stdout).toMatch(/ACTIVE/);
    const verify = await at("audit", "verify");
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/intact/);
    const exported = (await at("audit", "export")).stdout.trim().split("\n").map((l) => JSON.parse(l) as { kind: string });
    expect(exported.map((e) => e.kind)).toEqual(expect.arrayContaining(["proposal.created", "proposal.approved", "order.submitted", "limits.changed", "killswitch.tripped", "state.changed"]));
  });

  it("`quality` exits 0 on clean demo data and `tools` lists the registry", async () => {
    const q = await argus("quality", "MKT.DEMO", "--timeframe", "1Day");
    expect(q.stdout).toMatch(/MKT\.DEMO 1Day/);
    expect(q.code).toBe(0);
    const demo = await argus("demo");
    expect(demo.stdout).toMatch(/^23 SYNTHETIC demo symbols/);
    expect(demo.stdout).toMatch(/\.\. 2026-11-20/);
    const tools = await argus("tools");
    expect(tools.stdout).toMatch(/get_bars\s+read-only/);
    expect(tools.stdout).toMatch(/import_bars_csv\s+writes/);
  });
});
