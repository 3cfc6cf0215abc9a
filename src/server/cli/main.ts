#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from "commander";
import { PACKAGE_VERSION } from "../../core/version.js";
import { isArgusError } from "../../core/errors.js";
import { askCommand, chatCommand, type AgentFlags } from "./commands/agent.js";
import { backtestCommand } from "./commands/backtest.js";
import { callCommand, toolsCommand } from "./commands/call.js";
import { demoCommand } from "./commands/demo.js";
import { doctorCommand } from "./commands/doctor.js";
import { importCommand } from "./commands/import.js";
import { qualityCommand } from "./commands/quality.js";
import { serveCommand } from "./commands/serve.js";
import { tokenCommand } from "./commands/token.js";
import { approveCommand, auditCommand, haltCommand, limitsCommand, proposalsCommand, rejectCommand, resumeCommand } from "./commands/trading.js";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("must be a port number (0-65535)");
  return n;
}

/** Runs a command and exits with its code; errors become one readable line, never a stack. */
function run(fn: () => number | Promise<number>): Promise<void> {
  return Promise.resolve()
    .then(fn)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      process.stderr.write(isArgusError(err) ? `${err.code}: ${err.message}\n` : `argus: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    });
}

const program = new Command()
  .name("argus")
  .description("Argus: MCP server for equity research and supervised trading")
  .version(PACKAGE_VERSION);

program
  .command("serve")
  .description("serve MCP on stdio or Streamable HTTP (default --http)")
  .option("--stdio", "serve on stdin/stdout (for Claude Desktop and IDEs that spawn the server)")
  .option("--http", "serve Streamable HTTP (default)")
  .option("--port <port>", "HTTP port (default 7420 or ARGUS_HTTP_PORT)", port)
  .option("--host <host>", "HTTP bind address (default 127.0.0.1)")
  .option("--stateless", "HTTP without sessions: a fresh server per request")
  .action((flags) => run(() => serveCommand(flags)));

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return n;
}

/** Options shared by the copilot commands; each overrides its agent.* setting. */
function agentOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--provider <provider>", "model API (default agent.provider / ARGUS_AGENT_PROVIDER)").choices(["anthropic", "openai"]))
    .option("--model <model>", "model id (default per provider, or ARGUS_AGENT_MODEL)")
    .option("--server <url>", "use a running Argus at this /mcp URL instead of this process (token: ARGUS_TOKEN, else <ARGUS_HOME>/token)")
    .option("--max-steps <n>", "model calls allowed for one question", positiveInt)
    .addOption(new Option("--mode <mode>", "research: no orders, cancels or imports; trade: orders too, each approved by you here").choices(["research", "trade"]));
}

agentOptions(program.command("ask"))
  .description("ask the copilot one question; the answer streams to stdout, tool calls to stderr")
  .argument("<question>", "the question, in quotes")
  .option("--json", "print one JSON document (answer, stop reason, usage, tool calls) instead of streaming")
  .action((question: string, flags: AgentFlags) => run(() => askCommand(question, flags)));

agentOptions(program.command("chat"))
  .description("talk with the copilot: history, /tools, /mode, /cost, /clear; Ctrl-C stops an answer")
  .action((flags: AgentFlags) => run(() => chatCommand(flags)));

program
  .command("call")
  .description("call any tool in process and print its JSON result")
  .argument("<tool>", "tool name, e.g. get_bars (see `argus tools`)")
  .argument("[json]", "arguments as a JSON object", "{}")
  .option("--images <dir>", "save image results (charts) into this folder")
  .action((tool: string, json: string, flags: { images?: string }) => run(() => callCommand(tool, json, flags)));

program.command("tools").description("list the tools").action(() => run(toolsCommand));

program
  .command("import")
  .description("import OHLCV bars from CSV files (any path: this is you at a terminal)")
  .argument("<files...>", "CSV files")
  .option("--symbol <symbol>", "ticker (default: from the file name)")
  .addOption(new Option("--timeframe <tf>", "bar size (default: inferred)").choices(["1Min", "5Min", "15Min", "1Hour", "1Day"]))
  .addOption(new Option("--layout <layout>", "file layout").choices(["auto", "yahoo", "indexed", "minute", "generic"]))
  .option("--tz <zone>", "IANA time zone of naive time stamps (default America/New_York)")
  .addOption(new Option("--time-label <label>", "whether stamps mark the bar start or end").choices(["start", "end"]))
  .option("--sector <sector>", "sector to record")
  .option("--name <name>", "company name to record")
  .option("--skip-bad-rows", "import the good rows of a file with bad ones")
  .option("--dry-run", "check the files, write nothing")
  .action((files: string[], flags) => run(() => importCommand(files, flags)));

program
  .command("backtest")
  .description("replay a strategy over history (a JSON configuration; see docs/BACKTESTING.md) with a progress bar")
  .argument("<config>", "backtest configuration JSON file")
  .option("--chart <png>", "save the equity and drawdown chart as a PNG")
  .option("--json", "print the structured result")
  .option("--no-progress", "no progress bar")
  .action((file: string, flags) => run(() => backtestCommand(file, flags)));

program
  .command("quality")
  .description("data-quality report for a symbol (exit 2 when problems are found)")
  .argument("<symbol>")
  .addOption(new Option("--timeframe <tf>").choices(["1Min", "5Min", "15Min", "1Hour", "1Day"]))
  .option("--json", "print the full JSON report")
  .action((symbol: string, flags) => run(() => qualityCommand(symbol, flags)));

program
  .command("token")
  .description("print the HTTP bearer token (creating it on first use)")
  .option("--rotate", "replace the token with a new one")
  .option("--approver", "the approver token (for the approvals API) instead of the MCP token")
  .action((flags) => run(() => tokenCommand(flags)));

program
  .command("demo")
  .description("show the synthetic demo universe; --refresh regenerates it up to the last closed session")
  .option("--refresh", "replace the demo data (it does not grow by itself)")
  .action((flags) => run(() => demoCommand(flags)));

program
  .command("proposals")
  .description("order proposals awaiting a human decision (--all for every proposal)")
  .option("--all", "include decided, blocked and expired proposals")
  .option("--json", "print JSON")
  .action((flags) => run(() => proposalsCommand(flags)));

program
  .command("approve")
  .description("approve a proposal: re-checks it against the firewall and submits it (you are the human in the loop)")
  .argument("<proposalId>")
  .action((id: string) => run(() => approveCommand(id)));

program
  .command("reject")
  .description("reject a proposal")
  .argument("<proposalId>")
  .option("--reason <text>", "why, for the audit log")
  .action((id: string, flags) => run(() => rejectCommand(id, flags)));

program
  .command("halt")
  .description("kill switch: HALT trading, cancel every open order and reject pending proposals")
  .option("--reason <text>", "why, for the audit log")
  .action((flags) => run(() => haltCommand(flags)));

program
  .command("resume")
  .description("leave HALTED (or set REDUCING with --state REDUCING)")
  .option("--state <state>", "ACTIVE (default), REDUCING or HALTED")
  .option("--reason <text>", "why, for the audit log")
  .action((flags) => run(() => resumeCommand(flags)));

program
  .command("limits")
  .description("show the risk limits in force, or set one: argus limits set maxNotionalPerOrder 10000")
  .argument("[action]", "show | set")
  .argument("[key]")
  .argument("[value]", "a JSON value")
  .action((action?: string, key?: string, value?: string) => run(() => limitsCommand(action, key, value)));

program
  .command("audit")
  .description("verify the audit log's hash chain (exit 2 when broken) or export it as JSON lines")
  .argument("<action>", "verify | export")
  .option("--out <file>", "export to a file instead of stdout")
  .option("--from <seq>", "export from this row")
  .action((action: string, flags) => run(() => auditCommand(action, flags)));

program.command("doctor").description("check configuration, database and data, and say how to fix what is missing").action(() => run(doctorCommand));

await program.parseAsync(process.argv);
