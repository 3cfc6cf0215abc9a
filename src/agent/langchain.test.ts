import { existsSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgent } from "langchain";
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import { fakeModel } from "@langchain/core/testing";
import type { StructuredToolInterface } from "@langchain/core/tools";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";
import { fromRoot } from "../core/package-root.js";
import { createTestApp } from "../../test/support/app.js";
import { WEEKEND_NOON } from "../../test/support/trading.js";
import { TOOL_AREAS, createToolRegistry } from "../../tools/index.js";
import { ToolRegistry } from "../../tools/registry.js";
import { defineTool, READ_ONLY, type ElicitationRequest, type ToolContext } from "../../tools/spec.js";
import { argusLangChainTools, LANGCHAIN_CALLER, renderToolResult, type ArgusToolArtifact } from "./langchain.js";

const t = createTestApp({ now: WEEKEND_NOON });
afterAll(() => t.cleanup());
const registry = createToolRegistry();
const ctx = { app: t.app };

/** The ToolMessages among what the model was shown on its n-th call. */
function toolMessagesSeen(model: ReturnType<typeof fakeModel>, call: number): ToolMessage[] {
  return model.calls[call]!.messages.filter((m: BaseMessage): m is ToolMessage => ToolMessage.isInstance(m));
}

function byId(messages: ToolMessage[], id: string): ToolMessage {
  const m = messages.find((x) => x.tool_call_id === id);
  if (!m) throw new Error(`no ToolMessage for ${id}`);
  return m;
}

async function expected(name: string, args: Record<string, unknown>): Promise<string> {
  return renderToolResult(await registry.call(name, args, ctx)).content;
}

describe("argusLangChainTools inside a LangChain agent", () => {
  it("runs a research conversation: the model reads the real tool output and answers", async () => {
    const model = fakeModel()
      .respondWithTools([{ name: "list_symbols", args: {}, id: "c1" }])
      .respondWithTools([{ name: "get_latest_price", args: { symbol: "nova.demo" }, id: "c2" }])
      .respond(new AIMessage("NOVA.DEMO last traded at 447.08 (synthetic demo data)."));
    const agent = createAgent({ model, tools: argusLangChainTools({ app: t.app }) });
    const out = await agent.invoke({ messages: [new HumanMessage("What is NOVA.DEMO trading at?")] });

    expect(model.callCount).toBe(3);
    const afterList = byId(toolMessagesSeen(model, 1), "c1");
    expect(afterList.status).toBe("success");
    expect(afterList.name).toBe("list_symbols");
    expect(afterList.content).toBe(await expected("list_symbols", {}));
    expect(afterList.content).toContain("NOVA.DEMO");

    const afterPrice = byId(toolMessagesSeen(model, 2), "c2");
    expect(afterPrice.content).toBe(await expected("get_latest_price", { symbol: "nova.demo" }));
    // Summary line first, then the structured output as JSON the model can read.
    const [summary, json] = (afterPrice.content as string).split("\n");
    expect(summary).toMatch(/NOVA\.DEMO last \d/);
    expect(JSON.parse(json!)).toMatchObject({ symbol: "NOVA.DEMO", stale: false });
    expect((afterPrice.artifact as ArgusToolArtifact).ok).toBe(true);

    expect(out.messages.at(-1)!.content).toMatch(/447\.08/);
  });

  it("returns bad arguments as `CODE: message` with status error, and the agent carries on", async () => {
    const model = fakeModel()
      .respondWithTools([
        { name: "get_latest_price", args: { symbol: 42 }, id: "bad-type" }, // refused by the JSON Schema, answered by the registry
        { name: "get_latest_price", args: { symbol: "NOPE.DEMO" }, id: "unknown" }, // valid shape, the tool says no
      ])
      .respondWithTools([{ name: "get_latest_price", args: { symbol: "NOVA.DEMO" }, id: "fixed" }])
      .respond(new AIMessage("Recovered."));
    const agent = createAgent({ model, tools: argusLangChainTools({ app: t.app, include: ["data"] }) });
    const out = await agent.invoke({ messages: [new HumanMessage("price?")] });

    const seen = toolMessagesSeen(model, 1);
    const badType = byId(seen, "bad-type");
    expect(badType.status).toBe("error");
    expect(badType.content).toMatch(/^INVALID_INPUT: Invalid arguments for get_latest_price: symbol: /);
    expect(badType.artifact).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    const unknown = byId(seen, "unknown");
    expect(unknown.status).toBe("error");
    expect(unknown.content).toMatch(/^UNKNOWN_SYMBOL: /);

    expect(byId(toolMessagesSeen(model, 2), "fixed").status).toBe("success");
    expect(out.messages.at(-1)!.content).toBe("Recovered.");
  });

  it("never approves: propose_order leaves the proposal awaiting a human, sends nothing, and audits the caller", async () => {
    let proposalId = "";
    const model = fakeModel()
      .respondWithTools([{ name: "propose_order", args: { symbol: "NOVA.DEMO", side: "buy", qty: 1, rationale: "test", confirm: true, approved: true }, id: "p1" }])
      .respond((messages) => {
        const proposed = messages.find((m): m is ToolMessage => ToolMessage.isInstance(m) && m.tool_call_id === "p1")!;
        proposalId = ((proposed.artifact as ArgusToolArtifact & { ok: true }).structured.proposalId as string) ?? "";
        return new AIMessage({ content: "", tool_calls: [{ name: "get_proposal", args: { proposalId }, id: "p2", type: "tool_call" }] });
      })
      .respond(new AIMessage("The order awaits your approval."));
    const agent = createAgent({ model, tools: argusLangChainTools({ app: t.app, include: ["execution"] }) });
    await agent.invoke({ messages: [new HumanMessage("Buy one NOVA.DEMO.")] });

    const proposed = byId(toolMessagesSeen(model, 1), "p1");
    expect(proposed.status).toBe("success");
    expect(proposed.content).toMatch(/awaits a human's approval; nothing was sent/);
    expect(byId(toolMessagesSeen(model, 2), "p2").content).toMatch(/: awaiting_approval/);

    expect(proposalId).toMatch(/.+/);
    expect(t.app.execution.getProposal(proposalId).status).toBe("awaiting_approval");
    expect(t.app.execution.getProposal(proposalId).brokerOrderId).toBeNull();
    expect(await t.app.execution.orders({ status: "all", limit: 50 })).toEqual([]);
    const created = t.app.audit.list({ kind: "proposal.created", subject: proposalId, limit: 1 });
    expect(created[0]).toMatchObject({ actor: "model", channel: "langchain" });
  });

  it("asks the host's human through `elicit` when given, and a dismissed form still sends nothing", async () => {
    const asked: ElicitationRequest[] = [];
    const [propose] = argusLangChainTools({
      app: t.app,
      include: ["propose_order"],
      caller: { actor: "model:test-agent", channel: "langchain" },
      elicit: async (req) => {
        asked.push(req);
        return { action: "cancel" };
      },
    });
    const msg = (await propose!.invoke({ name: "propose_order", args: { symbol: "MKT.DEMO", side: "buy", qty: 1 }, id: "e1", type: "tool_call" })) as ToolMessage;
    expect(asked).toHaveLength(1);
    expect(asked[0]!.message).toMatch(/Approve this PAPER order\?/);
    const id = (msg.artifact as ArgusToolArtifact & { ok: true }).structured.proposalId as string;
    expect(t.app.execution.getProposal(id).status).toBe("awaiting_approval");
    expect(t.app.audit.list({ kind: "proposal.created", subject: id, limit: 1 })[0]).toMatchObject({ actor: "model:test-agent", channel: "langchain" });
    expect(await t.app.execution.orders({ status: "all", limit: 50 })).toEqual([]);
  });
});

describe("argusLangChainTools options and shapes", () => {
  const names = (tools: StructuredToolInterface[]) => tools.map((x) => x.name);

  it("offers every tool by default, with the registry's name, description and input JSON Schema", () => {
    const tools = argusLangChainTools({ app: t.app });
    expect(names(tools)).toEqual(registry.names());
    for (const tool of tools) {
      const d = registry.list().find((x) => x.name === tool.name)!;
      const asSentToAProvider = convertToOpenAITool(tool).function;
      expect(asSentToAProvider.description).toBe(registry.get(tool.name)!.description);
      expect(asSentToAProvider.parameters, tool.name).toEqual(d.inputSchema);
    }
    // Defaulted fields stay optional for the model (a zod schema would render them required).
    const bars = convertToOpenAITool(tools.find((x) => x.name === "get_bars")!).function.parameters as { required: string[] };
    expect(bars.required).toEqual(["symbol"]);
  });

  it("readOnly keeps only tools annotated readOnlyHint, so no proposals or cancels", () => {
    const tools = argusLangChainTools({ app: t.app, readOnly: true });
    const readOnly = registry.list().filter((d) => d.annotations.readOnlyHint === true).map((d) => d.name);
    expect(names(tools)).toEqual(readOnly);
    for (const n of ["propose_order", "cancel_order", "import_bars_csv"]) expect(names(tools)).not.toContain(n);
    expect(names(tools)).toContain("check_order");
  });

  it("include takes areas and names, mixed, and refuses unknown entries", () => {
    expect(names(argusLangChainTools({ app: t.app, include: ["data"] }))).toEqual(TOOL_AREAS.data.map((s) => s.name));
    const mixed = names(argusLangChainTools({ app: t.app, include: ["backtest", "get_bars"] }));
    expect(mixed).toEqual(["get_bars", ...TOOL_AREAS.backtest.map((s) => s.name)]);
    expect(names(argusLangChainTools({ app: t.app, include: ["execution"], readOnly: true }))).not.toContain("propose_order");
    expect(() => argusLangChainTools({ app: t.app, include: ["trading"] })).toThrow(/neither a tool name nor an area/);
  });

  it("returns plain strings when invoked with arguments outside an agent, errors included", async () => {
    const [price] = argusLangChainTools({ app: t.app, include: ["get_latest_price"] });
    expect(await price!.invoke({ symbol: "NOVA.DEMO" })).toBe(await expected("get_latest_price", { symbol: "NOVA.DEMO" }));
    expect(await price!.invoke({ symbol: 42 } as never)).toMatch(/^INVALID_INPUT: /);
    expect(await price!.invoke({})).toMatch(/^INVALID_INPUT: .*symbol/);
  });

  it("keeps chart images out of the model's text and hands them to the host as the artifact", async () => {
    const [chart] = argusLangChainTools({ app: t.app, include: ["chart_ticker"] });
    const msg = (await chart!.invoke({ name: "chart_ticker", args: { symbol: "NOVA.DEMO" }, id: "ch", type: "tool_call" })) as ToolMessage;
    expect(msg.status).toBe("success");
    expect(msg.content).toMatch(/\[1 image \(image\/png\) not included here; the application has it in this tool result's artifact\.\]$/);
    const artifact = msg.artifact as ArgusToolArtifact & { ok: true };
    expect(artifact.images).toHaveLength(1);
    expect(artifact.images[0]!.mimeType).toBe("image/png");
    expect(msg.content).not.toContain(artifact.images[0]!.data.slice(0, 40));
  });

  it("passes the run's abort signal and the caller to the tool context", async () => {
    const seen: ToolContext[] = [];
    const controller = new AbortController();
    let abortedInside: boolean | undefined;
    const probe = defineTool({
      name: "probe",
      title: "Probe",
      description: "Records its context.",
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      annotations: READ_ONLY,
      run(_input, c) {
        seen.push(c);
        // The host cancels while the tool runs: the signal the tool holds must follow.
        controller.abort();
        abortedInside = c.signal?.aborted;
        return { ok: true };
      },
      summarize: () => "ok",
    });
    const custom = new ToolRegistry([probe as never]);
    const model = fakeModel()
      .respondWithTools([{ name: "probe", args: {}, id: "x" }])
      .respond(new AIMessage("done"));
    const agent = createAgent({ model, tools: argusLangChainTools({ app: t.app, registry: custom }) });
    await agent.invoke({ messages: [new HumanMessage("go")] }, { signal: controller.signal }).catch(() => undefined);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.caller).toEqual(LANGCHAIN_CALLER);
    expect(seen[0]!.trusted).toBeUndefined();
    expect(seen[0]!.signal).toBeInstanceOf(AbortSignal);
    expect(abortedInside).toBe(true);

    // A run already cancelled starts nothing.
    const [tool] = argusLangChainTools({ app: t.app, registry: custom });
    await expect(tool!.invoke({}, { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(seen).toHaveLength(1);
  });
});

describe("the argus/langchain package export", () => {
  const pkg = JSON.parse(readFileSync(fromRoot("package.json"), "utf8")) as { exports: Record<string, { types: string; default: string } | string>; bin: Record<string, string> };
  const entry = pkg.exports["./langchain"] as { types: string; default: string };

  it("points at what `npm run build` emits from this module, beside the bin", () => {
    // tsconfig: rootDir "." and outDir "dist", so src/agent/langchain.ts builds to dist/src/agent/langchain.js.
    expect(entry.default).toBe("./dist/src/agent/langchain.js");
    expect(entry.types).toBe("./dist/src/agent/langchain.d.ts");
    expect(pkg.exports["./package.json"]).toBe("./package.json");
    expect(pkg.bin.argus).toBe("dist/src/server/cli/main.js");
    const build = readFileSync(fromRoot("tsconfig.build.json"), "utf8");
    expect(build).toMatch(/"declaration":\s*true/);
  });

  it.skipIf(!existsSync(fromRoot("dist", "src", "agent", "langchain.js")))("resolves by package name once built", async () => {
    const spec = "argus/langchain";
    const mod = (await import(/* @vite-ignore */ spec)) as Record<string, unknown>;
    expect(typeof mod.argusLangChainTools).toBe("function");
    expect(typeof mod.openArgus).toBe("function");
    expect(existsSync(fromRoot(entry.types))).toBe(true);
  });
});
