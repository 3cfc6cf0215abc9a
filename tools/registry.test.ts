import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestApp } from "../test/support/app.js";
import { ArgusError } from "../src/core/errors.js";
import { ToolRegistry } from "./registry.js";
import { defineTool, READ_ONLY } from "./spec.js";

const echo = defineTool({
  name: "echo",
  title: "Echo",
  description: "Echoes a number back, or misbehaves on request, to exercise the registry.",
  input: z.object({ n: z.number().int().max(10), mode: z.enum(["ok", "wrong-type", "extra-key", "throw-argus", "throw-other"]).default("ok") }),
  output: z.object({ n: z.number().int() }),
  annotations: READ_ONLY,
  run({ n, mode }) {
    if (mode === "wrong-type") return { n: "seven" } as unknown as { n: number };
    if (mode === "extra-key") return { n, secret: "internal" } as { n: number };
    if (mode === "throw-argus") throw new ArgusError("NO_DATA", "Nothing there; try another number.");
    if (mode === "throw-other") throw new Error("ENOENT /home/someone/.secret");
    return { n };
  },
  summarize: (o) => `n is ${o.n}`,
});

describe("ToolRegistry", () => {
  const t = createTestApp({ demo: false });
  afterAll(() => t.cleanup());
  const registry = new ToolRegistry([echo as never]);
  const ctx = { app: t.app };

  it("validates input, runs the tool and returns structured output with its summary", async () => {
    expect(await registry.call("echo", { n: 3 }, ctx)).toEqual({ ok: true, structured: { n: 3 }, text: "n is 3", images: [] });
  });

  it("turns invalid input into INVALID_INPUT naming the field", async () => {
    const r = await registry.call("echo", { n: 11 }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("INVALID_INPUT");
      expect(r.error.message).toMatch(/^Invalid arguments for echo: n:/);
    }
  });

  it("refuses output that breaks the declared schema, including extra keys, as INTERNAL", async () => {
    for (const mode of ["wrong-type", "extra-key"]) {
      const r = await registry.call("echo", { n: 1, mode }, ctx);
      expect(r.ok ? "ok" : r.error.code, mode).toBe("INTERNAL");
    }
  });

  it("passes ArgusErrors through and hides the text of unexpected errors", async () => {
    const known = await registry.call("echo", { n: 1, mode: "throw-argus" }, ctx);
    expect(known.ok ? null : known.error.code).toBe("NO_DATA");
    const unknown = await registry.call("echo", { n: 1, mode: "throw-other" }, ctx);
    expect(unknown.ok ? null : unknown.error.code).toBe("INTERNAL");
    expect(unknown.ok ? "" : unknown.error.message).not.toMatch(/secret/);
  });

  it("rejects duplicate names and unknown tools", async () => {
    expect(() => new ToolRegistry([echo as never, echo as never])).toThrow(/Duplicate/);
    const r = await registry.call("nope", {}, ctx);
    expect(r.ok ? null : r.error.code).toBe("UNKNOWN_TOOL");
  });
});
