import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { BarsStore } from "../src/data/bars-store.js";
import type { BarsRequest } from "../src/data/data-manager.js";
import { parseTimeRange } from "../src/data/time-input.js";
import { toCallToolResult } from "../src/server/mcp/server.js";
import { barOut } from "../tools/data/shapes.js";
import { TOOL_ARGS, TOOL_NAME, type Fixture } from "./fixture.js";
import type { StageTiming } from "./report.js";

/**
 * Mean cost of each stage of one get_bars call, in process: where Argus spends the time
 * the bare server does not. Stages marked "both" are paid equally by the peer.
 */

const ITERATIONS = 600;
const WARMUP = 150;

async function time(fn: () => unknown): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < ITERATIONS; i++) await fn();
  return ((performance.now() - start) * 1000) / ITERATIONS;
}

export async function profileStages(fx: Fixture): Promise<StageTiming[]> {
  const { app, registry } = fx;
  const spec = registry.get(TOOL_NAME);
  if (!spec) throw new Error(`no ${TOOL_NAME} in the registry`);
  const ctx = { app };

  const parsed = spec.input.parse(TOOL_ARGS) as unknown as BarsRequest;
  const sample = app.data.getBars(parsed);
  const firstT = sample.bars[0]?.t ?? 0;
  const lastT = sample.bars[sample.bars.length - 1]?.t ?? 0;
  const store = new BarsStore(app.db);
  const limit = (parsed.limit ?? 1000) + 1;
  const raw = app.db.$client.prepare(
    "SELECT ts AS t, open, high, low, close, volume, adj_close AS adjClose FROM bars WHERE symbol = ? AND timeframe = ? AND ts >= ? AND ts <= ? ORDER BY ts ASC LIMIT ?",
  );
  const runOut = (await spec.run(parsed as never, ctx)) as Record<string, unknown>;
  const validated = spec.output.parse(runOut) as Record<string, unknown>;
  const outcome = await registry.call(TOOL_NAME, TOOL_ARGS, ctx);
  const wire = { jsonrpc: "2.0", id: 1, result: toCallToolResult(outcome, { textJson: false }) };
  const wireText = JSON.stringify(wire);
  const validator = new AjvJsonSchemaValidator().getValidator(fx.payload.tool.outputSchema as never);

  const stages: StageTiming[] = [];
  const add = async (stage: string, note: string, fn: () => unknown) => stages.push({ stage, note, meanUs: await time(fn) });

  await add("Argus: registry.call (whole tool)", "input zod + run + output check (ajv) + summarize; the bare server does none of it", () => registry.call(TOOL_NAME, TOOL_ARGS, ctx));
  await add("  input validation (zod safeParse)", "Argus only", () => spec.input.safeParse(TOOL_ARGS));
  await add("  spec.run (getBars + shaping)", "Argus only", () => spec.run(parsed as never, ctx));
  await add("    DataManager.getBars", "symbol lookup, range parse, calendar, query", () => app.data.getBars(parsed));
  await add("      symbol lookup (requireSymbol)", "cached symbol row", () => app.data.requireSymbol(parsed.symbol));
  await add("      from/to parsing (parseTimeRange)", "day numbers + cached zone offsets", () => parseTimeRange(parsed.from, parsed.to));
  await add("      visibility bound (visibleUntil)", "calendar", () => app.data.visibleUntil(parsed.timeframe));
  await add("      BarsStore.query (cached series)", "binary search + slice", () => store.query({ symbol: sample.symbol, timeframe: parsed.timeframe, fromT: firstT, toT: lastT, limit, anchor: "first" }));
  await add("      reference: SQLite read of the same rows", "what the series cache saves (not on the call path)", () => raw.all(sample.symbol, parsed.timeframe, firstT, lastT, limit));
  await add("    bar shaping (barOut / toExchangeIso)", `${sample.bars.length} bars`, () => sample.bars.map(barOut));
  await add("  output check (compiled JSON Schema, ajv)", `${sample.bars.length} bars; Argus only`, () => validator(runOut));
  await add("  summarize (text)", "Argus only", () => spec.summarize(validated));
  await add("Both: JSON.stringify of the response", `${wireText.length} chars; stdio and HTTP encode it`, () => JSON.stringify(wire));
  await add("Both: JSON.parse of the response", "stdio and HTTP decode it on the client", () => JSON.parse(wireText));
  await add("Both: client CallToolResultSchema parse (zod)", "SDK client, every call", () => CallToolResultSchema.parse(wire.result));
  await add("Both: client outputSchema check (ajv)", "SDK client, every call", () => validator(wire.result.structuredContent));
  return stages;
}
