import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../../../test/support/fake-anthropic.js";
import { fromRoot } from "../../core/package-root.js";

const CLI = fromRoot("dist", "src", "server", "cli", "main.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `argus ask` as a person runs it: the built CLI, the real Anthropic SDK pointed at a
 * local server through ANTHROPIC_BASE_URL, the answer on stdout, the trace on stderr, and
 * an approval prompt answered by typing into stdin once it is shown.
 */
describe.skipIf(!existsSync(CLI))("argus ask (built CLI)", () => {
  const home = mkdtempSync(join(tmpdir(), "argus-ask-"));
  let fake: FakeAnthropic;
  // Saturday noon in New York: Friday's closes are the freshest prices, so orders can pass.
  const baseEnv = () => ({ PATH: process.env.PATH ?? "", ARGUS_HOME: home, ARGUS_CLOCK_AT: "2026-11-21T17:00:00Z", ANTHROPIC_BASE_URL: fake.baseUrl });
  const argus = (args: string[], env: Record<string, string>, typeWhenAsked?: string) =>
    new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env });
      const run: Run = { code: null, stdout: "", stderr: "" };
      if (typeWhenAsked === undefined) child.stdin.end();
      child.stdout.on("data", (d: Buffer) => (run.stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => {
        run.stderr += d.toString();
        if (typeWhenAsked !== undefined && run.stderr.endsWith("[y/N] ")) child.stdin.write(`${typeWhenAsked}\n`);
      });
      child.on("close", (code) => resolve({ ...run, code }));
    });
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it("without a key, says which variable to set and exits 1 before touching anything", async () => {
    const r = await argus(["ask", "hello"], baseEnv());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^LLM_KEY_MISSING: .*set ANTHROPIC_API_KEY/);
    expect(fake.requests).toHaveLength(0);
  });

  it("streams the answer to stdout and the tool trace and cost to stderr", async () => {
    fake.push({ toolCalls: [{ name: "get_latest_price", args: { symbol: "NOVA.DEMO" } }] }, { text: "NOVA.DEMO (synthetic) closed Friday; see get_latest_price." });
    const r = await argus(["ask", "Where is NOVA.DEMO?"], { ...baseEnv(), ANTHROPIC_API_KEY: "sk-ant-test" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("NOVA.DEMO (synthetic) closed Friday; see get_latest_price.\n");
    expect(r.stderr).toMatch(/→ get_latest_price \{"symbol":"NOVA.DEMO"\}/);
    expect(r.stderr).toMatch(/\[claude-sonnet-4-6 · 2 call\(s\) · \d+ in \/ \d+ out · [\d.]+ s · \$[\d.]+\]/);
    expect(r.stderr).not.toContain("sk-ant-test");
  });

  it("--json prints one document with the stop reason, usage and tool calls; a step limit exits 3", async () => {
    const loop = { toolCalls: [{ name: "get_market_status", args: {} }] };
    fake.push(loop, loop);
    const r = await argus(["ask", "loop", "--json", "--max-steps", "2"], { ...baseEnv(), ANTHROPIC_API_KEY: "sk-ant-test" });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ stop: "step_limit", provider: "anthropic", model: "claude-sonnet-4-6", usage: { calls: 2 } });
    expect(doc.message).toMatch(/Stopped after 2 model steps/);
    expect(doc.toolCalls).toEqual([expect.objectContaining({ name: "get_market_status", isError: false }), expect.objectContaining({ name: "get_market_status" })]);
  });

  it("asks the person at the terminal before an order is sent, and sends it only on their yes", async () => {
    const propose = { toolCalls: [{ name: "propose_order", args: { symbol: "NOVA.DEMO", side: "buy", qty: 1, rationale: "asked" } }] };
    fake.push(propose, (req) => ({ text: JSON.stringify(req.body.messages.at(-1)).includes('\\"status\\":\\"submitted\\"') ? "Submitted." : "Not submitted." }));
    const yes = await argus(["ask", "buy one NOVA.DEMO"], { ...baseEnv(), ANTHROPIC_API_KEY: "sk-ant-test" }, "y");
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stderr).toMatch(/Approve this PAPER order\?\nBUY 1 shares NOVA\.DEMO market/);
    expect(yes.stdout).toBe("Submitted.\n");

    // Input that ends before the prompt (a closed pipe) is no answer: the proposal waits.
    // (Another quantity: the frozen clock would make the same order a duplicate.)
    fake.push({ toolCalls: [{ name: "propose_order", args: { symbol: "NOVA.DEMO", side: "buy", qty: 2 } }] }, { text: "It awaits your approval." });
    const none = await argus(["ask", "buy one NOVA.DEMO"], { ...baseEnv(), ANTHROPIC_API_KEY: "sk-ant-test" });
    expect(none.code).toBe(0);
    const lastResult = JSON.stringify(fake.requests.at(-1)!.body.messages.at(-1));
    expect(lastResult).toContain('\\"status\\":\\"awaiting_approval\\"');
  });
});
