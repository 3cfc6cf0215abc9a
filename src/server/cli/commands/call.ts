import { ArgusError } from "../../../core/errors.js";
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
export async function callCommand(tool: string, json: string | undefined): Promise<number> {
  const { app, registry } = cliApp({ quiet: true });
  try {
    let args: unknown;
    try {
      args = parseArgs(json);
    } catch (e) {
      printJson({ error: (e as ArgusError).toJSON() });
      return 1;
    }
    const result = await registry.call(tool, args, { app });
    if (result.ok) {
      printJson(result.structured);
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
