import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema, type CallToolResult, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { MCP_TOKEN, startTradingHarness, type TradingHarness } from "../../test/support/trading.js";

/**
 * Approval inside the tool call (MCP elicitation) over Streamable HTTP: the question goes
 * to the user's client, tied to the tool call by relatedRequestId, and only the user's
 * answer — not anything the model sends — decides.
 */
describe("elicitation approval over HTTP", () => {
  let h: TradingHarness;
  let user: Client | undefined;
  afterEach(async () => {
    await user?.close().catch(() => undefined);
    await h?.close();
  });

  async function clientAnswering(answer: ElicitResult, seen: string[]): Promise<Client> {
    const c = new Client({ name: "desktop-with-elicitation", version: "1" }, { capabilities: { elicitation: {} } });
    c.setRequestHandler(ElicitRequestSchema, async (req) => {
      seen.push((req.params as { message: string }).message);
      return answer;
    });
    await c.connect(new StreamableHTTPClientTransport(new URL(h.server.url), { requestInit: { headers: { Authorization: `Bearer ${MCP_TOKEN}` } } }));
    return c;
  }
  const propose = (c: Client) =>
    c.callTool({ name: "propose_order", arguments: { symbol: "NOVA.DEMO", side: "buy", qty: 2, rationale: "test" } }) as Promise<CallToolResult>;

  it("accept submits, showing the order and its checks to the user", async () => {
    h = await startTradingHarness();
    const seen: string[] = [];
    user = await clientAnswering({ action: "accept", content: { approve: true } }, seen);
    const r = (await propose(user)).structuredContent as Record<string, unknown>;
    expect(r).toMatchObject({ status: "submitted", decidedBy: "human:mcp-client-user", decisionChannel: "elicitation" });
    expect(seen[0]).toMatch(/BUY 2 shares NOVA\.DEMO market/);
    expect(seen[0]).toMatch(/risk checks passed/);
    expect(await h.t.app.execution.orders({ status: "all", limit: 10 })).toHaveLength(1);
  });

  for (const [label, answer] of [
    ["decline", { action: "decline" }],
    ["accept without ticking the box", { action: "accept", content: { approve: false } }],
  ] as const) {
    it(`${label} rejects and sends nothing`, async () => {
      h = await startTradingHarness();
      user = await clientAnswering(answer as ElicitResult, []);
      const r = (await propose(user)).structuredContent as Record<string, unknown>;
      expect(r.status).toBe("rejected");
      expect(await h.t.app.execution.orders({ status: "all", limit: 10 })).toHaveLength(0);
    });
  }

  it("with elicitation approval turned off, an auto-accepting client cannot approve", async () => {
    h = await startTradingHarness({ env: { ARGUS_ELICITATION_APPROVAL: "false" } });
    const seen: string[] = [];
    user = await clientAnswering({ action: "accept", content: { approve: true } }, seen);
    const r = (await propose(user)).structuredContent as Record<string, unknown>;
    expect(r.status).toBe("awaiting_approval");
    expect(seen).toHaveLength(0);
    expect(await h.t.app.execution.orders({ status: "all", limit: 10 })).toHaveLength(0);
  });

  it("cancel leaves the proposal for an out-of-band decision; a client without elicitation falls back to it", async () => {
    h = await startTradingHarness();
    user = await clientAnswering({ action: "cancel" }, []);
    const r = (await propose(user)).structuredContent as Record<string, unknown>;
    expect(r.status).toBe("awaiting_approval");
    expect(await h.t.app.execution.orders({ status: "all", limit: 10 })).toHaveLength(0);
    // h.model declared no elicitation: its proposal waits, and the approvals API decides.
    const plain = (await h.call("propose_order", { symbol: "QBIT.DEMO", side: "buy", qty: 1 })).structuredContent as Record<string, unknown>;
    expect(plain.status).toBe("awaiting_approval");
    expect(String(plain.howToApprove)).toMatch(/argus approve/);
    expect((await h.decide(String(plain.proposalId), "approve")).status).toBe(200);
    expect(await h.t.app.execution.orders({ status: "all", limit: 10 })).toHaveLength(1);
  });
});
