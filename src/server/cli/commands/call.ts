import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ArgusError } from "../../../core/errors.js";
import { human } from "./trading.js";
import { cliApp, printJson } from "../context.js";

function parseArgs(json: string | undefined): unknown {
  if (json === undefined || json.trim() === "") return {};
  try {
    return JSON.parse(json);
  } catch (e) {
    throw new ArgusError("INVALID_INPUT", `The arguments are not valid JSON (${(e as Error).message}); quote them, e.g. '{"symbol":"NOVA.DEMO"}'.`);
  }
}

/** `argus call <tool> [json]`: any registry tool, in process, exactly as a model would call it. */
export async function callCommand(tool: string, json: string | undefined, flags: { images?: string } = {}): Promise<number> {
  const { app, registry } = cliApp({ quiet: true });
  try {
    let args: unknown;
    try {
      args = parseArgs(json);
    } catch (e) {
      printJson({ error: (e as ArgusError).toJSON() });
      return 1;
    }
    // A person at a terminal: what the call writes (a proposal, a cancel) is audited as theirs.
    const result = await registry.call(tool, args, { app, caller: human() });
    if (result.ok) {
      printJson(result.structured);
      if (result.images.length > 0) {
        if (flags.images) {
          const dir = resolve(flags.images);
          mkdirSync(dir, { recursive: true });
          result.images.forEach((img, i) => {
            const file = join(dir, `${tool}-${i + 1}.${img.mimeType === "image/png" ? "png" : "svg"}`);
            writeFileSync(file, Buffer.from(img.data, "base64"));
            process.stderr.write(`wrote ${file}\n`);
          });
        } else {
          process.stderr.write(`${result.images.length} image(s) not shown; pass --images <dir> to save them.\n`);
        }
      }
      return 0;
    }
    printJson({ error: result.error.toJSON() });
    return 1;
  } finally {
    app.close();
  }
}

/** `argus tools`: the registry's tools, one line each. */
export function toolsCommand(): number {
  const { app, registry } = cliApp({ quiet: true });
  try {
    for (const t of registry.list()) {
      const kind = t.annotations.readOnlyHint ? "read-only" : "writes";
      process.stdout.write(`${t.name.padEnd(22)} ${kind.padEnd(9)} ${t.title}\n`);
    }
    return 0;
  } finally {
    app.close();
  }
}
